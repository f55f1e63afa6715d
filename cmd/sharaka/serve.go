package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"sharaka/internal/app"
	"sharaka/internal/platform/config"
)

// parseConfig reads the shared flags plus any extra ones a command defines.
func parseConfig(name string, args []string, stderr io.Writer, extra func(fs *flag.FlagSet)) (*config.Config, error) {
	fs := flag.NewFlagSet("sharaka "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	cfg, err := config.Parse(fs, args, config.Env)
	if err != nil {
		return nil, err
	}
	app.SetupLogging(cfg, stderr)
	return cfg, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, stdout, nil)
}

// serve opens the app and runs it until ctx ends; before runs once the app is open.
func serve(ctx context.Context, cfg *config.Config, stdout io.Writer, before func(*app.App) error) error {
	start := time.Now()
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if before != nil {
		if err := before(a); err != nil {
			return err
		}
	}
	return a.Serve(ctx, func(addr string) {
		slog.Info("listening", "addr", addr, "db", a.DB.Dialect, "workers", cfg.Workers, "startup", time.Since(start).Round(time.Millisecond))
		fmt.Fprintf(stdout, "Sharaka is running at http://%s/\n", addr)
	})
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig("migrate", args, stderr, nil)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := app.Migrate(ctx, d); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}
