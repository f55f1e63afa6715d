package volunteer

import (
	"context"
	"errors"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
)

// TestSignupNeedsTheCurrentCharter: an imported profile (or one that accepted
// an older charter) is treated as not ready, so sign-up sends the person to
// the profile page to accept the charter first.
func TestSignupNeedsTheCurrentCharter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := db.Now()
		for _, q := range []string{
			`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ('u1', 'i@example.org', 'مستورد', '!', $1, $1)`,
			`INSERT INTO volunteer_profiles (user_id, calendar_key, charter_version, charter_accepted_at, created_at, updated_at) VALUES ('u1', 'k', '` + CharterImported + `', $1, $1, $1)`,
		} {
			if _, err := d.W.ExecContext(ctx, q, now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := loadVolunteerState(ctx, d.R, "u1", now, i18n.AR); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("imported profile: %v, want not ready", err)
		}
		if _, err := d.W.ExecContext(ctx, `UPDATE volunteer_profiles SET charter_version = $1 WHERE user_id = 'u1'`, CharterVersion); err != nil {
			t.Fatal(err)
		}
		if _, err := loadVolunteerState(ctx, d.R, "u1", now, i18n.AR); err != nil {
			t.Fatalf("after accepting the charter: %v", err)
		}
	})
}
