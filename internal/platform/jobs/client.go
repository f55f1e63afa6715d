package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"sharaka/internal/platform/db"
)

// Options configures a Client.
type Options struct {
	// Work starts workers; false makes an insert-only client (a web-only instance).
	Work bool
	// Logger receives River's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Queues maps queue names to their maximum concurrent workers; when empty,
	// River's default queue runs with DefaultMaxWorkers.
	Queues map[string]int
	// RetryPolicy replaces River's default exponential backoff (tests use a short one).
	RetryPolicy river.ClientRetryPolicy
	// Periodic jobs run on a schedule on the elected leader among the
	// instances that work (clean-ups and the like).
	Periodic []*river.PeriodicJob
	// PollInterval is how often workers look for due jobs (retries, scheduled
	// jobs, and on SQLite new ones); River's default of 1s when zero.
	PollInterval time.Duration
}

// DefaultMaxWorkers is the concurrency of River's default queue when Options.Queues is empty.
const DefaultMaxWorkers = 10

// Client enqueues jobs inside the application's transactions and, when asked
// to work, runs them. It hides which River driver serves which database.
type Client struct {
	d *db.DB
	// inserter writes jobs through database/sql transactions: River's SQLite
	// driver on SQLite, its database/sql driver on PostgreSQL.
	inserter *river.Client[sqlTx]
	// runner works jobs; nil when Options.Work is false. On SQLite it is the
	// inserter itself; on PostgreSQL a pgx client, which gets LISTEN/NOTIFY.
	runner runner
}

// runner is what Start and Stop need of a river.Client of either transaction type.
type runner interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// New builds a client over d. workers must hold every job kind that will be
// enqueued (River refuses unknown kinds at insert, which catches typos early).
func New(d *db.DB, workers *river.Workers, opts Options) (*Client, error) {
	if workers == nil {
		return nil, errors.New("jobs: workers must not be nil")
	}
	c := &Client{d: d}
	switch d.Dialect {
	case db.SQLite:
		// One client does both: River's SQLite driver wants the single writer
		// connection, and a second client over it would only add contention.
		cl, err := river.NewClient(riversqlite.New(d.W), config(workers, opts, opts.Work))
		if err != nil {
			return nil, fmt.Errorf("jobs: new sqlite client: %w", err)
		}
		c.inserter = cl
		if opts.Work {
			c.runner = cl
		}
	case db.Postgres:
		ins, err := river.NewClient(riverdatabasesql.New(d.W), config(workers, opts, false))
		if err != nil {
			return nil, fmt.Errorf("jobs: new database/sql client: %w", err)
		}
		c.inserter = ins
		if opts.Work {
			run, err := river.NewClient(riverpgxv5.New(d.Pool), config(workers, opts, true))
			if err != nil {
				return nil, fmt.Errorf("jobs: new pgx client: %w", err)
			}
			c.runner = run
		}
	default:
		return nil, fmt.Errorf("jobs: unsupported dialect %q", d.Dialect)
	}
	return c, nil
}

func config(workers *river.Workers, opts Options, work bool) *river.Config {
	cfg := &river.Config{
		Logger:      opts.Logger,
		RetryPolicy: opts.RetryPolicy,
		Workers:     workers,
		// Job arguments can hold secrets (a reset link in an email), so finished
		// jobs are kept only long enough to inspect a recent problem.
		CompletedJobRetentionPeriod: time.Hour,
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if opts.PollInterval > 0 {
		cfg.FetchPollInterval = opts.PollInterval
		// River requires the cooldown not to exceed the poll interval.
		cfg.FetchCooldown = min(opts.PollInterval, river.FetchCooldownDefault)
	}
	if !work {
		return cfg
	}
	cfg.PeriodicJobs = opts.Periodic
	cfg.Queues = map[string]river.QueueConfig{}
	for name, n := range opts.Queues {
		cfg.Queues[name] = river.QueueConfig{MaxWorkers: n}
	}
	if len(cfg.Queues) == 0 {
		cfg.Queues[river.QueueDefault] = river.QueueConfig{MaxWorkers: DefaultMaxWorkers}
	}
	return cfg
}

// Enqueue inserts a job inside tx, so the job exists if and only if tx commits.
//
// It always uses River's InsertTx: on SQLite the caller's transaction holds
// the only writer connection, and a plain Insert would wait for it forever.
func (c *Client) Enqueue(ctx context.Context, tx db.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if tx == nil {
		return fmt.Errorf("enqueue %s: nil transaction", args.Kind())
	}
	if _, err := c.inserter.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueNow inserts a job in a transaction of its own, for work not tied to a write.
func (c *Client) EnqueueNow(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return c.d.WithTx(ctx, func(tx db.Tx) error {
		return c.Enqueue(ctx, tx, args, opts)
	})
}

// Start runs the workers until Stop or until ctx is cancelled (which also
// stops them), so pass a context that lives as long as the process. It does
// nothing on an insert-only client.
func (c *Client) Start(ctx context.Context) error {
	if c.runner == nil {
		return nil
	}
	if err := c.runner.Start(ctx); err != nil {
		return fmt.Errorf("start job workers: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish. If ctx ends
// first, running jobs are cancelled (River retries them later) and Stop waits
// a few more seconds for them to return. It does nothing on an insert-only client.
func (c *Client) Stop(ctx context.Context) error {
	if c.runner == nil {
		return nil
	}
	err := c.runner.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("stop job workers: %w", err)
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.runner.StopAndCancel(hard); err != nil {
		return fmt.Errorf("stop job workers after cancelling running jobs: %w", err)
	}
	return fmt.Errorf("stop job workers: running jobs cancelled: %w", ctx.Err())
}
