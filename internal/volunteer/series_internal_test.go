package volunteer

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/jobs"
)

type seriesNoMail struct{}

func (seriesNoMail) Queue(context.Context, db.Tx, string, string, string) error { return nil }

// TestGenerateShiftsJob runs the generation job as River would, on a clock
// the test moves: each run makes the days that came into the horizon, and
// books its next run six hours on, once per period however often it runs.
func TestGenerateShiftsJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d, org.NewService(d, seriesNoMail{}, ""), seriesNoMail{}, "")
		workers := river.NewWorkers()
		AddWorkers(workers, s)
		jc, err := jobs.New(d, workers, jobs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.UseJobs(jc)
		// Saturday 3 January 2026, 10:00 in Riyadh.
		now := time.Date(2026, 1, 3, 7, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return now }

		user, orgID, oppID := db.NewID(), db.NewID(), db.NewID()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, 'c@example.org', 'C', '', $2, $2)`, []any{user, now}},
			{`INSERT INTO organisations (id, name_ar, type, status, created_by, created_at) VALUES ($1, 'جمعية', 'charity', 'verified', $2, $3)`, []any{orgID, user, now}},
			{`INSERT INTO opportunities (id, org_id, title_ar, category, created_by, created_at, updated_at) VALUES ($1, $2, 'زيارة', 'elderly', $3, $4, $4)`, []any{oppID, orgID, user, now}},
		} {
			if _, err := d.W.ExecContext(ctx, q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		// Every day at 09:00, from today, with no end: today's 09:00 has passed.
		ser := &Series{ID: db.NewID(), OpportunityID: oppID, Weekdays: []int{0, 1, 2, 3, 4, 5, 6}, DurationMinutes: 60, From: "2026-01-03",
			SkipDates: []string{"2026-01-05"}, Roles: []RoleInput{{NameAr: "زائر", Slots: 3}}, SignupOpensDays: 7, CreatedAt: now, startMinute: 9 * 60}
		if err := seriesInsert(ctx, d.W, ser); err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			var n int
			if err := d.R.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		w := &generateShiftsWorker{svc: s}
		run := func() {
			t.Helper()
			if err := w.Work(ctx, &river.Job[GenerateShiftsArgs]{}); err != nil {
				t.Fatal(err)
			}
		}
		run()
		// 4 January to 28 February (today + 56 days) less the skipped 5 January.
		if n := count(`SELECT COUNT(*) FROM shifts`); n != 55 {
			t.Fatalf("first run: %d shifts, want 55", n)
		}
		if n := count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_generate_shifts'`); n != 1 {
			t.Fatalf("first run booked %d next runs", n)
		}
		run() // again within the same period: nothing new, no second booking
		if n := count(`SELECT COUNT(*) FROM shifts`) + count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_generate_shifts'`); n != 56 {
			t.Fatalf("second run in the period: %d shifts and jobs, want 55 + 1", n)
		}
		now = now.Add(SeriesGenerateEvery)
		run() // six hours on: still the same day in Riyadh, nothing to make; the chain goes on
		now = now.Add(24 * time.Hour)
		run() // a day later: one more day in the horizon
		if n := count(`SELECT COUNT(*) FROM shifts`); n != 56 {
			t.Fatalf("a day later: %d shifts, want 56", n)
		}
		if n := count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_generate_shifts'`); n != 3 {
			t.Fatalf("%d runs booked, want one per period run (3)", n)
		}
		var last string
		if err := d.R.QueryRowContext(ctx, `SELECT generated_until FROM shift_series WHERE id = $1`, ser.ID).Scan(&last); err != nil || last != "2026-03-01" {
			t.Fatalf("generated until %q (%v), want 2026-03-01", last, err)
		}
	})
}
