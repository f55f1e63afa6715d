package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/i18n"
)

// cmdPlaces imports a places CSV (docs/places.md describes its columns).
func cmdPlaces(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "import" {
		return errors.New("usage: sharaka places import FILE [--db URL]")
	}
	file := args[1]
	cfg, err := parseConfig("places import", args[2:], stderr, nil)
	if err != nil {
		return err
	}
	cfg.Workers = false
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.Org.ImportPlacesCSV(ctx, f, "")
	if errors.Is(err, org.ErrImportRejected) && rep != nil {
		loc := i18n.New(i18n.EN, i18n.Latin, nil)
		for _, e := range rep.Errors {
			fmt.Fprintf(stderr, "%s:%d: %s: %s\n", file, e.Line, e.Field, loc.T(e.MsgID))
		}
		return fmt.Errorf("%d rows rejected; nothing was imported", len(rep.Errors))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "places imported: %d created, %d updated\n", rep.Created, rep.Updated)
	return nil
}
