package demo_test

import (
	"context"
	"flag"
	"testing"

	"sharaka/internal/app"
	"sharaka/internal/demo"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

func TestLoadOnceThenNoDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg, err := config.Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--workers=false"}, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.New(ctx, cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			var n int
			if err := d.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		res, err := demo.Load(ctx, d, a.Account, a.Org, a.Volunteer)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || len(res.Logins) < 8 {
			t.Fatalf("first load: %+v", res)
		}
		tables := []string{"places", "users", "organisations", "memberships", "volunteer_profiles", "opportunities", "shifts", "signups", "attendance", "hours", "certificates"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = count("SELECT COUNT(*) FROM " + tb)
		}
		if before["places"] < 20 || before["organisations"] < 5 || before["memberships"] < before["organisations"]+3 {
			t.Fatalf("city: %v", before)
		}
		if before["users"] < demo.DemoVolunteers || before["volunteer_profiles"] < demo.DemoVolunteers {
			t.Fatalf("volunteers: %v", before)
		}
		// A living scene: upcoming shifts with people on them, a past with
		// attendance, approved hours, some left to review, and certificates.
		if count(`SELECT COUNT(*) FROM shifts WHERE starts_at > CURRENT_TIMESTAMP`) < 15 || count(`SELECT COUNT(*) FROM signups WHERE status = 'confirmed'`) < 100 {
			t.Fatalf("upcoming: %v", before)
		}
		if count(`SELECT COUNT(*) FROM hours WHERE status = 'approved'`) < 20 || count(`SELECT COUNT(*) FROM hours WHERE status = 'pending'`) < 5 || before["certificates"] < 3 {
			t.Fatalf("history: %v", before)
		}
		if count(`SELECT COUNT(*) FROM signups WHERE no_show`) < 1 || count(`SELECT COUNT(*) FROM signups WHERE status = 'waitlisted' OR status = 'pending'`) < 1 {
			t.Fatal("no no-shows, waitlists or pending reviews to show")
		}
		// Every demo login works with the documented password.
		for _, l := range res.Logins {
			if _, err := a.Account.Authenticate(ctx, l.Email, demo.Password); err != nil {
				t.Errorf("login %s: %v", l.Email, err)
			}
		}
		if count(`SELECT COUNT(*) FROM organisations WHERE status = 'verified'`) < 3 || count(`SELECT COUNT(*) FROM organisations WHERE status = 'pending'`) < 1 {
			t.Fatal("the admin needs organisations in each state")
		}
		again, err := demo.Load(ctx, d, a.Account, a.Org, a.Volunteer)
		if err != nil || again.Created {
			t.Fatalf("second load: %+v %v", again, err)
		}
		for _, tb := range tables {
			if n := count("SELECT COUNT(*) FROM " + tb); n != before[tb] {
				t.Errorf("second load changed %s: %d → %d", tb, before[tb], n)
			}
		}
	})
}
