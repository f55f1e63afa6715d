// Package app is the composition root: configuration → database → services →
// routes → server, and the order in which they start and stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/jobs"
	"sharaka/internal/platform/mail"
	"sharaka/internal/platform/web"
	"sharaka/internal/search"
	"sharaka/internal/volunteer"
)

// App is one running Sharaka instance.
type App struct {
	Cfg     *config.Config
	DB      *db.DB
	Jobs    *jobs.Client
	Site    *web.Site
	Account *account.Service
	Org     *org.Service
	// Volunteer runs volunteering.
	Volunteer *volunteer.Service
	Handler   http.Handler
	metrics   *metrics
	mux       *recordingMux
	// search is the site search's index (searchIndex), made once.
	search     *search.Index
	searchOnce sync.Once
}

// Open connects to the database, applies migrations and wires every area.
func Open(ctx context.Context, cfg *config.Config) (*App, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a, err := New(ctx, cfg, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// Migrate applies our schema and River's.
func Migrate(ctx context.Context, d *db.DB) error {
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	return jobs.Migrate(ctx, d)
}

// New wires an app over an open database (tests pass their own).
func New(ctx context.Context, cfg *config.Config, d *db.DB) (*App, error) {
	if err := Migrate(ctx, d); err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, DB: d, metrics: newMetrics()}
	var sender mail.Sender
	if cfg.SMTP.Host != "" {
		s, err := mail.NewSMTPSender(mail.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: mail.TLSMode(cfg.SMTP.TLS)})
		if err != nil {
			return nil, err
		}
		sender = s
	} else {
		sender = mail.NewOutboxSender(d)
	}
	// River needs every worker before the client exists; the mailer reaches
	// the client through a pointer filled in just after.
	mailer := &queuer{}
	a.Account = account.NewService(d, mailer, cfg.BaseURL)
	a.Org = org.NewService(d, mailer, cfg.BaseURL)
	a.Volunteer = volunteer.NewService(d, a.Org, mailer, cfg.BaseURL)
	workers := river.NewWorkers()
	mail.AddWorker(workers, sender)
	volunteer.AddWorkers(workers, a.Volunteer)
	river.AddWorker(workers, &account.CleanupWorker{DB: d})
	jc, err := jobs.New(d, workers, jobs.Options{Work: cfg.Workers, Periodic: []*river.PeriodicJob{account.CleanupPeriodic()}})
	if err != nil {
		return nil, err
	}
	a.Jobs, mailer.jc = jc, jc
	a.Volunteer.UseJobs(jc)

	if a.Site, err = web.New(cfg.Dev); err != nil {
		return nil, err
	}
	if err := a.routes(); err != nil {
		return nil, err
	}
	return a, nil
}

// queuer adapts the mail job to the Mailer interface the areas declare.
type queuer struct{ jc *jobs.Client }

func (q *queuer) Queue(ctx context.Context, tx db.Tx, to, subject, text string) error {
	return mail.Queue(ctx, q.jc, tx, mail.Message{To: to, Subject: subject, Text: text})
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve listens on the configured address until ctx is cancelled, then stops
// taking requests, lets in-flight requests and jobs finish, and returns.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	a.searchIndex().Warm() // typo tolerance's words, read before the first search needs them
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Cfg.Addr, err)
	}
	return a.ServeListener(ctx, ln, ready)
}

// ServeListener is Serve on a listener the caller opened (tests use port 0).
func (a *App) ServeListener(ctx context.Context, ln net.Listener, ready func(addr string)) error {
	if err := a.Jobs.Start(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("start jobs: %w", err)
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		_ = a.Jobs.Stop(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down", "timeout", a.Cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), a.Cfg.ShutdownTimeout)
	defer cancel()
	herr := srv.Shutdown(sctx)
	jerr := a.Jobs.Stop(sctx)
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		herr = errors.Join(herr, err)
	}
	return errors.Join(herr, jerr)
}
