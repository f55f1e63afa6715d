package volunteer

// The job that runs the engine for a distribution run, with visible
// progress. It is safe to run twice: a run that is no longer queued or
// running is left alone, and one interrupted mid-way starts over.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/assign"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// DistributeArgs is the job that works one distribution run.
type DistributeArgs struct {
	RunID string `json:"run_id"`
}

// Kind names the job in River's table.
func (DistributeArgs) Kind() string { return "volunteer_distribute" }

type distributeWorker struct {
	river.WorkerDefaults[DistributeArgs]
	s *Service
}

// Timeout lets a city-sized run finish: River's default of a minute is for
// short jobs, and the engine stops early on its own only when asked.
func (w *distributeWorker) Timeout(*river.Job[DistributeArgs]) time.Duration { return 10 * time.Minute }

func (w *distributeWorker) Work(ctx context.Context, job *river.Job[DistributeArgs]) error {
	return w.s.RunDistribution(ctx, job.Args.RunID)
}

func addDistributeWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &distributeWorker{s: s})
}

// Progress is written at most every distProgressStep of the work and never
// more often than distProgressEvery: enough for the page's one-second poll
// without a write per step of the engine.
const (
	distProgressStep  = 0.05
	distProgressEvery = 500 * time.Millisecond
)

// RunDistribution works a run: builds the instance, solves it, stores the
// preview. A failure marks the run failed with a message for the
// coordinator (the details go to the log) and is not retried, since the same
// data would fail the same way; a shutdown mid-way returns the error so that
// River runs the job again later.
func (s *Service) RunDistribution(ctx context.Context, runID string) error {
	run, err := distLoadRun(ctx, s.db.R, runID)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load run %s: %w", runID, err)
	}
	if !run.Status.Working() {
		return nil
	}
	ok, err := distMarkRunning(ctx, s.db.W, runID, s.now())
	if err != nil || !ok {
		return err
	}
	res, err := s.distribute(ctx, run)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("run %s interrupted: %w", runID, err)
		}
		msg := distFailedMsg
		if he := (*httpx.Error)(nil); errors.As(err, &he) && he.MsgID != "" {
			msg = he.MsgID
		}
		slog.ErrorContext(ctx, "distribution run failed", "run", runID, "opportunity", run.OpportunityID, "err", err)
		if ferr := distFail(context.WithoutCancel(ctx), s.db.W, runID, msg, s.now()); ferr != nil {
			return ferr
		}
		return nil
	}
	return distFinish(ctx, s.db.W, runID, res, s.now())
}

// distribute builds and solves a run's instance.
func (s *Service) distribute(ctx context.Context, run *DistributionRun) (*DistributionResult, error) {
	opp, err := loadOpportunity(ctx, s.db.R, run.OpportunityID)
	if err != nil {
		return nil, err
	}
	b, err := s.distInstance(ctx, run, opp)
	if err != nil {
		return nil, err
	}
	pool, err := distPoolSize(ctx, s.db.R, opp.OrgID)
	if err != nil {
		return nil, err
	}
	report := s.distProgress(ctx, run.ID)
	report(0.05) // the data is read
	if len(b.in.Shifts) == 0 || len(b.in.Volunteers) == 0 {
		return b.result(nil, nil, pool), nil
	}
	opt := assign.DefaultOptions()
	opt.Progress = func(f float64) { report(0.05 + 0.85*f) }
	res, err := assign.Solve(ctx, b.in, opt)
	if err != nil {
		return nil, fmt.Errorf("solve run %s: %w", run.ID, err)
	}
	return b.result(res, assign.Baseline(b.in), pool), nil
}

// distProgress returns a reporter that writes a run's progress, throttled;
// a failed write is logged and the run goes on (progress is only shown).
func (s *Service) distProgress(ctx context.Context, runID string) func(float64) {
	last, lastAt := -1.0, time.Time{}
	return func(f float64) {
		now := time.Now()
		if last >= 0 && (f-last < distProgressStep || now.Sub(lastAt) < distProgressEvery) {
			return
		}
		last, lastAt = f, now
		if err := distSetProgress(ctx, s.db.W, runID, f); err != nil {
			slog.WarnContext(ctx, "distribution progress", "run", runID, "err", err)
		}
	}
}
