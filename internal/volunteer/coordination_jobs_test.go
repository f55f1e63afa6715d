package volunteer

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertest"
	"github.com/riverqueue/river/rivertype"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

// coordWorkPromote works a promotion job with River's test worker. On
// PostgreSQL it works the very job the withdrawal inserted, in a transaction
// of the test. On SQLite the database has one writer, so a test transaction
// holding the job row would block the worker's own writes: the job's
// arguments are worked in a scratch database's transaction instead, while the
// worker writes to the real one as it would in production.
func coordWorkPromote(t *testing.T, ctx context.Context, d *db.DB, s *Service, job *river.Job[PromoteArgs]) *rivertest.WorkResult {
	t.Helper()
	worker := &promoteWorker{s: s}
	var res *rivertest.WorkResult
	var err error
	switch d.Dialect {
	case db.Postgres:
		w := rivertest.NewWorker(t, riverpgxv5.New(d.Pool), &river.Config{}, worker)
		tx, berr := d.Pool.Begin(ctx)
		if berr != nil {
			t.Fatal(berr)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if res, err = w.WorkJob(ctx, t, tx, job.JobRow); err == nil {
			err = tx.Commit(ctx)
		}
	default:
		scratch := dbtest.Open(t, db.SQLite)
		w := rivertest.NewWorker(t, riversqlite.New(scratch.W), &river.Config{}, worker)
		tx, berr := scratch.W.BeginTx(ctx, nil)
		if berr != nil {
			t.Fatal(berr)
		}
		defer func() { _ = tx.Rollback() }()
		if res, err = w.Work(ctx, t, tx, job.Args, nil); err == nil {
			err = tx.Commit()
		}
	}
	if err != nil {
		t.Fatalf("work the promotion: %v", err)
	}
	return res
}

// The reminder and waitlist jobs, checked with River's test helpers:
// confirming schedules two reminders (24 h and 2 h before the start), a
// withdrawal inserts exactly one promotion, and working it confirms the first
// person waiting (who then gets their own reminders), not the second.
func TestCoordinationRiverJobs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := suSetup(t, d)
		ctx := context.Background()
		var requireMany func(want []rivertest.ExpectedJob) []*rivertype.JobRow
		var requireOne func(want PromoteArgs) *river.Job[PromoteArgs]
		switch d.Dialect {
		case db.Postgres:
			drv := riverpgxv5.New(d.Pool)
			requireMany = func(want []rivertest.ExpectedJob) []*rivertype.JobRow {
				return rivertest.RequireManyInserted(ctx, t, drv, want)
			}
			requireOne = func(want PromoteArgs) *river.Job[PromoteArgs] {
				return rivertest.RequireInserted(ctx, t, drv, want, nil)
			}
		default:
			drv := riversqlite.New(d.W)
			requireMany = func(want []rivertest.ExpectedJob) []*rivertype.JobRow {
				return rivertest.RequireManyInserted(ctx, t, drv, want)
			}
			requireOne = func(want PromoteArgs) *river.Job[PromoteArgs] {
				return rivertest.RequireInserted(ctx, t, drv, want, nil)
			}
		}
		reminder := func(at time.Time) rivertest.ExpectedJob {
			return rivertest.ExpectedJob{Args: ReminderArgs{}, Opts: &rivertest.RequireInsertedOpts{ScheduledAt: at, State: rivertype.JobStateScheduled}}
		}

		oppID := e.opp(suOpp{})
		start := suEpoch.Add(72 * time.Hour)
		shiftID, roles := e.shift(oppID, start, 120, 1)
		first, second, third := e.volunteer("أمل", suVol{}), e.volunteer("بشرى", suVol{}), e.volunteer("جود", suVol{})

		// Confirming schedules the two reminders.
		g, dec := e.signUp(first, shiftID, SignupInput{RoleID: roles[0]})
		if dec.Outcome != SignedUp {
			t.Fatalf("first: %s", dec.Outcome)
		}
		jobs := requireMany([]rivertest.ExpectedJob{reminder(start.Add(-24 * time.Hour)), reminder(start.Add(-2 * time.Hour))})
		if len(jobs) != 2 {
			t.Fatalf("reminder jobs: %+v", jobs)
		}
		for i, kind := range []string{"24h", "2h"} {
			var a ReminderArgs
			if err := json.Unmarshal(jobs[i].EncodedArgs, &a); err != nil || a.SignupID != g.ID || a.ReminderKind != kind {
				t.Errorf("reminder %d args: %s (%v)", i, jobs[i].EncodedArgs, err)
			}
		}

		// Two people wait; nothing is enqueued for them yet.
		for _, v := range []*httpx.Viewer{second, third} {
			if _, dec := e.signUp(v, shiftID, SignupInput{RoleID: roles[0]}); dec.Outcome != OnWaitlist {
				t.Fatalf("%s: %s", v.Name, dec.Outcome)
			}
		}
		requireMany([]rivertest.ExpectedJob{reminder(start.Add(-24 * time.Hour)), reminder(start.Add(-2 * time.Hour))})

		// The withdrawal inserts exactly one promotion, for the role.
		if _, err := e.svc.Withdraw(ctx, first, g.ID); err != nil {
			t.Fatal(err)
		}
		job := requireOne(PromoteArgs{})
		if job == nil || job.Args.RoleID != roles[0] {
			t.Fatalf("promotion job: %+v", job)
		}
		if st := e.status(e.signupOf(second, shiftID)); st != Waitlisted {
			t.Fatalf("promoted before the job ran: %s", st)
		}

		// Working it confirms the first person waiting, and only them.
		res := coordWorkPromote(t, ctx, d, e.svc, job)
		if res.EventKind != river.EventKindJobCompleted {
			t.Fatalf("promotion job: %s", res.EventKind)
		}
		secondID := e.signupOf(second, shiftID)
		if st := e.status(secondID); st != Confirmed {
			t.Errorf("first waiting: %s, want confirmed", st)
		}
		if st := e.status(e.signupOf(third, shiftID)); st != Waitlisted {
			t.Errorf("second waiting: %s, want waitlisted", st)
		}
		if n := e.jobsFor("volunteer_reminder", "signup_id", secondID); n != 2 {
			t.Errorf("reminders of the promoted person: %d, want 2", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND cancelled_at IS NOT NULL`, g.ID); n != 2 {
			t.Errorf("reminders of the withdrawn sign-up cancelled: %d, want 2", n)
		}
	})
}
