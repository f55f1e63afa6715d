package mail_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/jobs"
	"sharaka/internal/platform/mail"
)

// fastRetry retries after 50ms instead of River's seconds-to-weeks backoff.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(50 * time.Millisecond) }

// startJobs runs a job client whose send_email worker uses s.
func startJobs(t *testing.T, d *db.DB, s mail.Sender) *jobs.Client {
	t.Helper()
	workers := river.NewWorkers()
	mail.AddWorker(workers, s)
	jc, err := jobs.New(d, workers, jobs.Options{
		Work:         true,
		Logger:       slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		RetryPolicy:  fastRetry{},
		PollInterval: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := jc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := jc.Stop(ctx); err != nil {
			t.Errorf("stop jobs: %v", err)
		}
	})
	return jc
}

// queue enqueues m in a transaction that commits unless fail is set.
func queue(t *testing.T, d *db.DB, jc *jobs.Client, m mail.Message, fail bool) {
	t.Helper()
	stop := errors.New("roll back")
	err := d.WithTx(t.Context(), func(tx db.Tx) error {
		if err := mail.Queue(t.Context(), jc, tx, m); err != nil {
			return err
		}
		if fail {
			return stop
		}
		return nil
	})
	if fail && !errors.Is(err, stop) || !fail && err != nil {
		t.Fatalf("queue in transaction: %v", err)
	}
}

// sendJob reads the send_email job's state and attempts from River's table.
func sendJob(t *testing.T, d *db.DB) (state string, attempt int) {
	t.Helper()
	err := d.R.QueryRowContext(t.Context(), `SELECT state, attempt FROM river_job WHERE kind = 'send_email'`).Scan(&state, &attempt)
	if err != nil {
		t.Fatalf("read send_email job: %v", err)
	}
	return state, attempt
}

func waitJob(t *testing.T, d *db.DB, want rivertype.JobState) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		state, attempt := sendJob(t, d)
		if state == string(want) {
			return attempt
		}
		if time.Now().After(deadline) {
			t.Fatalf("send_email job is %s after %d attempts, want %s", state, attempt, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestQueuedMailReachesSMTPServer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := (&smtpServer{User: "sharaka", Pass: "secret"}).start(t)
		jc := startJobs(t, d, sender(t, srv, mail.SMTPConfig{TLS: mail.TLSNone, Username: "sharaka", Password: "secret"}))
		ghost := arabicMessage
		ghost.To = "ghost@example.org"
		queue(t, d, jc, ghost, true)
		queue(t, d, jc, arabicMessage, false)
		r := srv.next(t)
		if r.To != arabicMessage.To || r.User != "sharaka" {
			t.Fatalf("delivered to %q as %q", r.To, r.User)
		}
		checkArabic(t, r.Data)
		if attempt := waitJob(t, d, rivertype.JobStateCompleted); attempt != 1 {
			t.Errorf("completed after %d attempts, want 1", attempt)
		}
		srv.none(t) // the rolled-back message never goes out
	})
}

func TestTemporaryRejectionIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := (&smtpServer{Reject: func(n int) error {
			if n == 1 {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
			}
			return nil
		}}).start(t)
		jc := startJobs(t, d, sender(t, srv, mail.SMTPConfig{}))
		queue(t, d, jc, arabicMessage, false)
		checkArabic(t, srv.next(t).Data)
		if attempt := waitJob(t, d, rivertype.JobStateCompleted); attempt != 2 {
			t.Errorf("completed after %d attempts, want 2", attempt)
		}
		if n := srv.dataCount(); n != 2 {
			t.Errorf("server saw %d DATA commands, want 2 (one refused, one accepted)", n)
		}
		srv.none(t)
	})
}

func TestPermanentRejectionCancelsJob(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := (&smtpServer{}).start(t)
		jc := startJobs(t, d, sender(t, srv, mail.SMTPConfig{}))
		m := arabicMessage
		m.To = "nobody@example.org" // the test server answers 550 for this mailbox
		queue(t, d, jc, m, false)
		if attempt := waitJob(t, d, rivertype.JobStateCancelled); attempt != 1 {
			t.Errorf("cancelled after %d attempts, want 1", attempt)
		}
	})
}

func TestQueueRejectsInvalidMessage(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	workers := river.NewWorkers()
	mail.AddWorker(workers, mail.NewOutboxSender(d))
	jc, err := jobs.New(d, workers, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = d.WithTx(t.Context(), func(tx db.Tx) error {
		return mail.Queue(t.Context(), jc, tx, mail.Message{To: "a@example.org", Subject: "x\nBcc: b@example.org", Text: "t"})
	})
	if err == nil {
		t.Fatal("queued a message with a header injection")
	}
	var n int
	if err := d.R.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("jobs stored: %d (%v), want 0", n, err)
	}
}
