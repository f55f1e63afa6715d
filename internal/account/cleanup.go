package account

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/ratelimit"
)

// CleanupArgs is the periodic job that deletes what has expired: sessions,
// reset links, old throttle counters and rate-limit windows. Nothing here is
// history worth keeping; the audit log keeps the history.
type CleanupArgs struct{}

// Kind names the job.
func (CleanupArgs) Kind() string { return "account_cleanup" }

// CleanupWorker runs CleanupArgs.
type CleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	DB *db.DB
}

// Work deletes expired rows.
func (w *CleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	n, err := Cleanup(ctx, w.DB, db.Now())
	if err != nil {
		return err
	}
	slog.InfoContext(ctx, "account clean-up", "deleted", n)
	return nil
}

// CleanupPeriodic schedules the clean-up every hour, and once at start.
func CleanupPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return CleanupArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// Cleanup deletes expired sessions, reset links a day past expiry, throttle
// counters idle for a day and rate-limit windows over a day old.
func Cleanup(ctx context.Context, d *db.DB, now time.Time) (int64, error) {
	var total int64
	for _, q := range []struct{ sql, what string }{
		{`DELETE FROM sessions WHERE expires_at < $1`, "sessions"},
		{`DELETE FROM password_resets WHERE expires_at < $1`, "resets"},
		{`DELETE FROM login_failures WHERE last_failure_at < $1`, "throttles"},
	} {
		cutoff := now
		if q.what != "sessions" {
			cutoff = now.Add(-24 * time.Hour)
		}
		res, err := d.W.ExecContext(ctx, q.sql, cutoff)
		if err != nil {
			return total, fmt.Errorf("clean up %s: %w", q.what, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	n, err := ratelimit.Purge(ctx, d.W, 24*time.Hour, now)
	return total + n, err
}
