package volunteer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

// TestSignupReminders runs the reminder cases on one database each.
func TestSignupReminders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		suRun(t, suSetup(t, d), d, []suCase{
			{"sent once when due", suRemindersAreSentOnceWhenDue},
			{"opt-out and past reminders", suRemindersHonourOptOutAndSkipPastOnes},
		})
	})
}

// runReminder works a reminder job as River would, at the fake clock's time.
func (e *suEnv) runReminder(signupID, kind string) error {
	w := &reminderWorker{s: e.svc}
	return w.Work(e.ctx, &river.Job[ReminderArgs]{Args: ReminderArgs{SignupID: signupID, ReminderKind: kind}})
}

func suRemindersAreSentOnceWhenDue(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{titleAr: "تعليم القراءة", titleEn: "Reading lessons"})
	start := e.now.Add(72 * time.Hour)
	shift, _ := e.shift(o, start, 90, 5)
	v := e.volunteer("Lina", suVol{lang: "en"})
	g, _ := e.signUp(v, shift, SignupInput{})

	// The jobs are scheduled at the reminders' due times.
	arg := "args->>'signup_id'"
	if d.Dialect == db.SQLite {
		arg = "json_extract(args, '$.signup_id')"
	}
	rows, err := d.R.QueryContext(e.ctx, `SELECT scheduled_at FROM river_job WHERE kind = 'volunteer_reminder' AND `+arg+` = $1 ORDER BY scheduled_at`, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var when []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		when = append(when, at.UTC())
	}
	rows.Close()
	if len(when) != 2 || !when[0].Equal(start.Add(-24*time.Hour)) || !when[1].Equal(start.Add(-2*time.Hour)) {
		t.Fatalf("jobs scheduled at %v, want 24 h and 2 h before %v", when, start)
	}

	// Run early (the shift moved later since): the job waits, nothing is sent.
	wait, err := e.svc.SendReminder(e.ctx, g.ID, "24h")
	if err != nil || wait <= 0 || len(e.mail.to(v.Email)) != 0 {
		t.Fatalf("early: wait %v, err %v, mail %d", wait, err, len(e.mail.to(v.Email)))
	}
	var snooze *river.JobSnoozeError
	if err := e.runReminder(g.ID, "24h"); !errors.As(err, &snooze) || snooze.Duration != 48*time.Hour {
		t.Fatalf("early run of the worker: %v, want a snooze of 48 h", err)
	}

	e.now = start.Add(-24 * time.Hour)
	if err := e.runReminder(g.ID, "24h"); err != nil {
		t.Fatal(err)
	}
	if err := e.runReminder(g.ID, "24h"); err != nil {
		t.Fatal(err)
	}
	mails := e.mail.to(v.Email)
	if len(mails) != 1 || !strings.Contains(mails[0].subject, "Reading lessons") || !strings.Contains(mails[0].subject, "24 hours") {
		t.Fatalf("24 h reminder, run twice: %+v", mails)
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND kind = '24h' AND sent_at IS NOT NULL`, g.ID); n != 1 {
		t.Fatal("the reminder is not marked sent")
	}

	// Withdrawal cancels the 2 h reminder: its job sends nothing.
	e.now = start.Add(-20 * time.Hour)
	if _, err := e.svc.Withdraw(e.ctx, v, g.ID); err != nil {
		t.Fatal(err)
	}
	e.now = start.Add(-2 * time.Hour)
	if err := e.runReminder(g.ID, "2h"); err != nil {
		t.Fatal(err)
	}
	if len(e.mail.to(v.Email)) != 1 {
		t.Fatal("a cancelled reminder was sent")
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND kind = '2h' AND cancelled_at IS NOT NULL AND sent_at IS NULL`, g.ID); n != 1 {
		t.Fatal("the 2 h reminder is not cancelled")
	}
}

func suRemindersHonourOptOutAndSkipPastOnes(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	start := e.now.Add(72 * time.Hour)
	shift, _ := e.shift(o, start, 90, 5)
	quiet := e.volunteer("هادئ", suVol{optOut: true})
	g, _ := e.signUp(quiet, shift, SignupInput{})
	e.now = start.Add(-2 * time.Hour)
	if err := e.runReminder(g.ID, "2h"); err != nil {
		t.Fatal(err)
	}
	if len(e.mail.to(quiet.Email)) != 0 {
		t.Fatal("a reminder went to someone who opted out")
	}

	// Signing up three hours before: the 24 h reminder is already past and skipped.
	e.now = suEpoch
	soon, _ := e.shift(o, e.now.Add(3*time.Hour), 60, 5)
	v := e.volunteer("مستعجل", suVol{})
	g, _ = e.signUp(v, soon, SignupInput{})
	var kinds []string
	rows, err := d.R.QueryContext(e.ctx, `SELECT kind FROM reminders WHERE signup_id = $1`, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		_ = rows.Scan(&k)
		kinds = append(kinds, k)
	}
	rows.Close()
	if strings.Join(kinds, ",") != "2h" {
		t.Fatalf("reminders of a shift in 3 hours: %v, want only 2h", kinds)
	}
	// In Arabic, for an Arabic speaker.
	e.now = e.now.Add(time.Hour)
	if err := e.runReminder(g.ID, "2h"); err != nil {
		t.Fatal(err)
	}
	mails := e.mail.to(v.Email)
	if len(mails) != 1 || !strings.Contains(mails[0].subject, "تذكير") || !strings.Contains(mails[0].text, "/signups/"+g.ID) {
		t.Fatalf("Arabic reminder: %+v", mails)
	}
	// A reminder of a sign-up that no longer exists is simply done.
	if err := e.runReminder(db.NewID(), "2h"); err != nil {
		t.Fatal(err)
	}
}
