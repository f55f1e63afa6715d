package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"sharaka/internal/platform/db"
)

// Migrate applies River's own schema migrations (its tables live beside ours).
func Migrate(ctx context.Context, d *db.DB) error {
	var err error
	if d.Dialect == db.Postgres {
		var m *rivermigrate.Migrator[pgxTx]
		m, err = rivermigrate.New(riverpgxv5.New(d.Pool), nil)
		if err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	} else {
		var m *rivermigrate.Migrator[sqlTx]
		m, err = rivermigrate.New(riversqlite.New(d.W), nil)
		if err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	return nil
}
