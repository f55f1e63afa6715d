// Command sharaka runs the Sharaka platform: serve, demo, migrate, user, version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones on machines without a zoneinfo database

	"sharaka/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "sharaka:", err)
		}
		os.Exit(2)
	}
}

const usage = `Sharaka — community partnership platform

Usage:
  sharaka serve   [flags]             run the server on an existing database
  sharaka demo    [--data DIR] [flags] create or reuse a demo database and run the server
  sharaka migrate [--db URL]          apply database migrations
  sharaka user create --admin --email E --name N   create a platform admin (password from stdin)
  sharaka places import FILE [--db URL]            import places from CSV
  sharaka assign solve --instance FILE --out FILE [--json]   distribute volunteers (docs/assign.md)
  sharaka bench assign [--volunteers N --shifts M --seed S --scarce ...]   benchmark the distribution engine
  sharaka search reindex [--db URL]   rebuild the search index from the records
  sharaka version                     print the version

Run "sharaka serve -h" for every flag and its environment variable.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "places":
		return cmdPlaces(ctx, rest, stdout, stderr)
	case "assign":
		return cmdAssign(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "search":
		return cmdSearch(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "sharaka", app.Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
