package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"sharaka/internal/app"
	"sharaka/internal/demo"
)

// cmdDemo runs the server on a demo database under --data, loading the demo
// city, organisations and people the first time (and never twice).
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var dataDir string
	cfg, err := parseConfig("demo", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&dataDir, "data", "./data", "directory for the demo database")
	})
	if err != nil {
		return err
	}
	cfg.DatabaseURL = filepath.Join(dataDir, "sharaka.db")
	cfg.Dev = true
	return serve(ctx, cfg, stdout, func(a *app.App) error {
		res, err := demo.Load(ctx, a.DB, a.Account, a.Org, a.Volunteer)
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		if res.Created {
			fmt.Fprintf(stdout, "Demo data loaded into %s\n", cfg.DatabaseURL)
		} else {
			fmt.Fprintf(stdout, "Demo data already present in %s\n", cfg.DatabaseURL)
		}
		fmt.Fprintln(stdout, "Demo logins (password for all: "+demo.Password+"):")
		for _, l := range res.Logins {
			fmt.Fprintf(stdout, "  %-37s %s\n", l.Email, l.Role)
		}
		fmt.Fprintln(stdout, "Mail is not sent in the demo: admins read it at /admin/outbox.")
		return nil
	})
}
