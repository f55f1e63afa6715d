package demo_test

import (
	"context"
	"testing"

	"sharaka/internal/account"
	"sharaka/internal/demo"
	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

type noMail struct{}

func (noMail) Queue(context.Context, db.Tx, string, string, string) error { return nil }

func TestLoadOnceThenNoDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		accounts := account.NewService(d, noMail{}, "http://x")
		orgs := org.NewService(d, noMail{}, "http://x")
		count := func(table string) int {
			var n int
			if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		res, err := demo.Load(ctx, d, accounts, orgs)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || len(res.Logins) < 8 {
			t.Fatalf("first load: %+v", res)
		}
		places, users, orgsN, members := count("places"), count("users"), count("organisations"), count("memberships")
		if places < 20 || users != len(res.Logins) || orgsN < 5 || members < orgsN+3 {
			t.Fatalf("loaded %d places, %d users, %d organisations, %d memberships", places, users, orgsN, members)
		}
		// Every demo login works with the documented password.
		for _, l := range res.Logins {
			if _, err := accounts.Authenticate(ctx, l.Email, demo.Password); err != nil {
				t.Errorf("login %s: %v", l.Email, err)
			}
		}
		var verified, pending int
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE status = 'verified'`).Scan(&verified)
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE status = 'pending'`).Scan(&pending)
		if verified < 3 || pending < 1 {
			t.Fatalf("%d verified, %d pending: the admin needs something in each", verified, pending)
		}
		again, err := demo.Load(ctx, d, accounts, orgs)
		if err != nil || again.Created {
			t.Fatalf("second load: %+v %v", again, err)
		}
		if count("places") != places || count("users") != users || count("organisations") != orgsN || count("memberships") != members {
			t.Fatal("second load duplicated data")
		}
	})
}
