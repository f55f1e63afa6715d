package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/jobs"
)

// SendArgs is the job that sends one message. The message is stored in the
// job row until River's retention period removes it after completion.
type SendArgs struct {
	Message Message `json:"message"`
}

// Kind names the job in River's table; changing it strands queued jobs.
func (SendArgs) Kind() string { return "send_email" }

// Worker sends queued messages through its Sender.
type Worker struct {
	river.WorkerDefaults[SendArgs]
	Sender Sender
}

// Work sends the message. A temporary failure returns the error, so River
// retries with backoff; an invalid message or a permanent refusal cancels
// the job, since every retry would fail the same way.
func (w *Worker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	if err := job.Args.Message.Validate(); err != nil {
		return river.JobCancel(fmt.Errorf("send email: %w", err))
	}
	err := w.Sender.Send(ctx, job.Args.Message)
	if errors.Is(err, ErrRejected) {
		return river.JobCancel(fmt.Errorf("send email (attempt %d): %w", job.Attempt, err))
	}
	if err != nil {
		return fmt.Errorf("send email (attempt %d): %w", job.Attempt, err)
	}
	return nil
}

// AddWorker registers the send_email worker with s as its sender.
func AddWorker(workers *river.Workers, s Sender) {
	river.AddWorker(workers, &Worker{Sender: s})
}

// Queue enqueues m inside tx: the message goes out only if tx commits. It is
// validated now, so a malformed message fails the caller instead of the job.
func Queue(ctx context.Context, jc *jobs.Client, tx db.Tx, m Message) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("queue email: %w", err)
	}
	return jc.Enqueue(ctx, tx, SendArgs{Message: m}, nil)
}
