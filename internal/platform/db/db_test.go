package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

func TestMigrationsCurrentAndErrorsMapped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		n, err := d.MigrationsPending(ctx)
		if err != nil || n != 0 {
			t.Fatalf("pending migrations = %d, %v; want 0", n, err)
		}
		// Migrating again is a no-op.
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		ins := `INSERT INTO places (id, level, code, name_ar, created_at) VALUES ($1, 'city', $2, $3, $4)`
		if _, err := d.W.ExecContext(ctx, ins, "p1", "C1", "المدينة", now); err != nil {
			t.Fatal(err)
		}
		_, err = d.W.ExecContext(ctx, ins, "p2", "C1", "أخرى", now)
		if !errors.Is(db.Map(err), db.ErrConflict) {
			t.Fatalf("duplicate code: got %v, want ErrConflict", err)
		}
		var name string
		var created time.Time
		if err := d.R.QueryRowContext(ctx, `SELECT name_ar, created_at FROM places WHERE id = $1`, "p1").Scan(&name, &created); err != nil {
			t.Fatal(err)
		}
		if name != "المدينة" || !created.Equal(now) {
			t.Fatalf("read back %q %v, want %q %v", name, created, "المدينة", now)
		}
		err = d.R.QueryRowContext(ctx, `SELECT name_ar FROM places WHERE id = $1`, "nope").Scan(&name)
		if !errors.Is(db.Map(err), db.ErrNotFound) {
			t.Fatalf("missing row: got %v, want ErrNotFound", err)
		}
		// Foreign keys are enforced on both.
		_, err = d.W.ExecContext(ctx, `INSERT INTO places (id, parent_id, level, code, name_ar, created_at) VALUES ('p3', 'missing', 'district', 'D1', 'حي', $1)`, now)
		if !errors.Is(db.Map(err), db.ErrReference) {
			t.Fatalf("insert with a missing parent: %v, want ErrReference (foreign keys on)", err)
		}
		// A failed transaction leaves nothing behind.
		txErr := errors.New("stop")
		err = d.WithTx(ctx, func(tx db.Tx) error {
			if _, err := tx.ExecContext(ctx, ins, "p4", "C4", "x", now); err != nil {
				return err
			}
			return txErr
		})
		if !errors.Is(err, txErr) {
			t.Fatalf("WithTx returned %v", err)
		}
		var count int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM places WHERE id = 'p4'`).Scan(&count); err != nil || count != 0 {
			t.Fatalf("rolled-back row present: %d %v", count, err)
		}
	})
}
