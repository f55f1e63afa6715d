package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"sharaka/internal/app"
)

// cmdSearch rebuilds the search index from the records: `sharaka search reindex`.
func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "reindex" {
		return errors.New("usage: sharaka search reindex [--db URL]")
	}
	cfg, err := parseConfig("search reindex", args[1:], stderr, nil)
	if err != nil {
		return err
	}
	cfg.Workers = false
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	orgs, err := a.Org.ReindexOrgs(ctx)
	if err != nil {
		return err
	}
	opps, err := a.Volunteer.ReindexOpportunities(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %d organisations, %d opportunities\n", orgs, opps)
	return nil
}
