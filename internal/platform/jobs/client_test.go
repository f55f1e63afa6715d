package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/jobs"
)

type testArgs struct {
	Name string `json:"name"`
}

func (testArgs) Kind() string { return "test_job" }

// fastRetry retries after 50ms so that retry tests run in well under a second.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(50 * time.Millisecond) }

// recorder keeps the attempts each job name saw.
type recorder struct {
	mu   sync.Mutex
	runs map[string][]*river.Job[testArgs]
}

func (r *recorder) add(job *river.Job[testArgs]) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.runs == nil {
		r.runs = map[string][]*river.Job[testArgs]{}
	}
	r.runs[job.Args.Name] = append(r.runs[job.Args.Name], job)
	return len(r.runs[job.Args.Name])
}

func (r *recorder) get(name string) []*river.Job[testArgs] {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*river.Job[testArgs](nil), r.runs[name]...)
}

func newWorkers(work func(context.Context, *river.Job[testArgs]) error) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, river.WorkFunc(work))
	return w
}

func testOptions(t *testing.T, work bool) jobs.Options {
	return jobs.Options{
		Work:         work,
		Logger:       slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		RetryPolicy:  fastRetry{},
		PollInterval: 50 * time.Millisecond,
	}
}

// start builds a working client and stops it when the test ends.
func start(t *testing.T, d *db.DB, workers *river.Workers) *jobs.Client {
	t.Helper()
	return startWith(t, d, workers, testOptions(t, true))
}

func startWith(t *testing.T, d *db.DB, workers *river.Workers, opts jobs.Options) *jobs.Client {
	t.Helper()
	c, err := jobs.New(d, workers, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return c
}

// jobState reads a job's state and attempt count straight from River's table.
func jobState(t *testing.T, d *db.DB, name string) (state string, attempt int) {
	t.Helper()
	// River keeps args as jsonb on PostgreSQL and as a JSONB blob on SQLite.
	nameExpr := "args->>'name'"
	if d.Dialect == db.SQLite {
		nameExpr = "json_extract(args, '$.name')"
	}
	err := d.R.QueryRowContext(t.Context(),
		`SELECT state, attempt FROM river_job WHERE kind = 'test_job' AND `+nameExpr+` = $1`, name).Scan(&state, &attempt)
	if errors.Is(db.Map(err), db.ErrNotFound) {
		return "", 0
	}
	if err != nil {
		t.Fatalf("read job %s: %v", name, err)
	}
	return state, attempt
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFailedJobIsRetriedUntilDone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var rec recorder
		c := start(t, d, newWorkers(func(ctx context.Context, job *river.Job[testArgs]) error {
			if rec.add(job) < 3 {
				return errors.New("temporary failure")
			}
			return nil
		}))
		if err := c.EnqueueNow(t.Context(), testArgs{Name: "flaky"}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "completed job", func() bool {
			s, _ := jobState(t, d, "flaky")
			return s == string(rivertype.JobStateCompleted)
		})
		runs := rec.get("flaky")
		if len(runs) != 3 {
			t.Fatalf("ran %d times, want 3", len(runs))
		}
		for i, job := range runs {
			if job.Attempt != i+1 || len(job.Errors) != i {
				t.Errorf("run %d: attempt %d with %d recorded errors, want attempt %d with %d", i, job.Attempt, len(job.Errors), i+1, i)
			}
		}
		if _, attempt := jobState(t, d, "flaky"); attempt != 3 {
			t.Errorf("stored attempt = %d, want 3", attempt)
		}
	})
}

// With no policy given, River's default backoff applies: the first retry
// comes about a second (attempt⁴ seconds, ±10%) after the failure.
func TestDefaultRetryPolicyBacksOff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var (
			mu    sync.Mutex
			times []time.Time
		)
		opts := testOptions(t, true)
		opts.RetryPolicy = nil
		c := startWith(t, d, newWorkers(func(ctx context.Context, job *river.Job[testArgs]) error {
			mu.Lock()
			defer mu.Unlock()
			if times = append(times, time.Now()); len(times) == 1 {
				return errors.New("temporary failure")
			}
			return nil
		}), opts)
		if err := c.EnqueueNow(t.Context(), testArgs{Name: "backoff"}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "completed job", func() bool {
			s, _ := jobState(t, d, "backoff")
			return s == string(rivertype.JobStateCompleted)
		})
		mu.Lock()
		defer mu.Unlock()
		if len(times) != 2 {
			t.Fatalf("ran %d times, want 2", len(times))
		}
		if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond || gap > 3*time.Second {
			t.Fatalf("retried %v after the failure, want about 1s", gap)
		}
	})
}

func TestJobOfRolledBackTransactionNeverRuns(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var rec recorder
		c := start(t, d, newWorkers(func(ctx context.Context, job *river.Job[testArgs]) error {
			rec.add(job)
			return nil
		}))
		ctx := t.Context()
		rollback := errors.New("rollback")
		err := d.WithTx(ctx, func(tx db.Tx) error {
			if err := c.Enqueue(ctx, tx, testArgs{Name: "ghost"}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("WithTx = %v, want the rollback error", err)
		}
		// A committed job enqueued after it runs; once it has, the worker has
		// had every chance to see the ghost.
		err = d.WithTx(ctx, func(tx db.Tx) error {
			return c.Enqueue(ctx, tx, testArgs{Name: "real"}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "committed job to run", func() bool { return len(rec.get("real")) == 1 })
		if n := len(rec.get("ghost")); n != 0 {
			t.Fatalf("rolled-back job ran %d times", n)
		}
		if s, _ := jobState(t, d, "ghost"); s != "" {
			t.Fatalf("rolled-back job stored with state %q", s)
		}
	})
}

func TestInsertOnlyClientLeavesWorkToWorkers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var rec recorder
		workers := newWorkers(func(ctx context.Context, job *river.Job[testArgs]) error {
			rec.add(job)
			return nil
		})
		web, err := jobs.New(d, workers, testOptions(t, false))
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		if err := web.Start(ctx); err != nil {
			t.Fatalf("Start on an insert-only client: %v", err)
		}
		if err := web.EnqueueNow(ctx, testArgs{Name: "from-web"}, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if s, _ := jobState(t, d, "from-web"); s != string(rivertype.JobStateAvailable) || len(rec.get("from-web")) != 0 {
			t.Fatalf("insert-only client: job state %q, runs %d; want available and not run", s, len(rec.get("from-web")))
		}
		if err := web.Stop(ctx); err != nil {
			t.Fatalf("Stop on an insert-only client: %v", err)
		}
		start(t, d, workers)
		waitFor(t, "worker instance to run the job", func() bool { return len(rec.get("from-web")) == 1 })
	})
}

func TestStopWaitsForRunningJob(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		started, release := make(chan struct{}), make(chan struct{})
		var finished atomic.Bool
		c, err := jobs.New(d, newWorkers(func(ctx context.Context, job *river.Job[testArgs]) error {
			close(started)
			<-release
			finished.Store(true)
			return nil
		}), testOptions(t, true))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := c.EnqueueNow(t.Context(), testArgs{Name: "slow"}, nil); err != nil {
			t.Fatal(err)
		}
		<-started
		stopped := make(chan error, 1)
		go func() { stopped <- c.Stop(context.Background()) }()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was still running", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(release)
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		if !finished.Load() {
			t.Fatal("Stop returned before the job finished")
		}
		if s, _ := jobState(t, d, "slow"); s != string(rivertype.JobStateCompleted) {
			t.Fatalf("job state after graceful stop = %q, want completed", s)
		}
	})
}

func TestNewRejectsShortKinds(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	w := river.NewWorkers()
	river.AddWorker(w, river.WorkFunc(func(context.Context, *river.Job[shortArgs]) error { return nil }))
	if _, err := jobs.New(d, w, jobs.Options{Work: true}); err == nil || !strings.Contains(err.Error(), "kind") {
		t.Fatalf("a one-character job kind: got %v, want an error about the kind", err)
	}
}

type shortArgs struct{}

func (shortArgs) Kind() string { return "x" }
