package volunteer

import (
	"context"

	"github.com/riverqueue/river"
)

// closeAttendanceArgs is the job that closes a shift's forgotten check-ins
// at its end plus the organisation's grace period; check-ins enqueue it
// (one per shift) scheduled for that time.
type closeAttendanceArgs struct {
	ShiftID string `json:"shift_id"`
}

// Kind names the job in River's table; changing it strands queued jobs.
func (closeAttendanceArgs) Kind() string { return "volunteer_close_attendance" }

type closeAttendanceWorker struct {
	river.WorkerDefaults[closeAttendanceArgs]
	svc *Service
}

// Work closes what is due. When the organisation lengthened its grace
// period after the job was scheduled, it waits until the new time.
func (w *closeAttendanceWorker) Work(ctx context.Context, job *river.Job[closeAttendanceArgs]) error {
	wait, _, err := w.svc.CloseAttendance(ctx, job.Args.ShiftID)
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

func addAttendanceWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &closeAttendanceWorker{svc: s})
}
