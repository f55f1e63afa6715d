package volunteer

// Reminders (24 hours and 2 hours before a confirmed shift) and the waitlist
// promotion that follows a withdrawal. Both are River jobs enqueued in the
// transaction that causes them, and both are safe to run twice.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
)

// reminderKinds are the reminders of a confirmed sign-up: kind and how long before the start.
var reminderKinds = []struct {
	kind   string
	before time.Duration
}{{"24h", 24 * time.Hour}, {"2h", 2 * time.Hour}}

// ReminderArgs is the job that sends one reminder when it is due.
type ReminderArgs struct {
	SignupID     string `json:"signup_id"`
	ReminderKind string `json:"kind"`
}

// Kind names the job in River's table.
func (ReminderArgs) Kind() string { return "volunteer_reminder" }

// PromoteArgs is the job that gives freed places of a role to its waitlist.
// Any part that frees places (more slots on a role) may enqueue it.
type PromoteArgs struct {
	RoleID string `json:"role_id"`
}

// Kind names the job in River's table.
func (PromoteArgs) Kind() string { return "volunteer_promote_waitlist" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Service
}

func (w *reminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	wait, err := w.s.SendReminder(ctx, job.Args.SignupID, job.Args.ReminderKind)
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

type promoteWorker struct {
	river.WorkerDefaults[PromoteArgs]
	s *Service
}

func (w *promoteWorker) Work(ctx context.Context, job *river.Job[PromoteArgs]) error {
	_, err := w.s.PromoteWaitlist(ctx, job.Args.RoleID)
	return err
}

func addSignupWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &reminderWorker{s: s})
	river.AddWorker(w, &promoteWorker{s: s})
}

// scheduleReminders writes the reminders of a newly confirmed sign-up and
// enqueues a job for each at its due time; reminders already due are skipped,
// and a reminder that exists is not scheduled again.
func (s *Service) scheduleReminders(ctx context.Context, tx db.Tx, signupID string, startsAt, now time.Time) error {
	for _, k := range reminderKinds {
		due := startsAt.Add(-k.before)
		if !due.After(now) {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO reminders (signup_id, kind, due_at) VALUES ($1, $2, $3)
			ON CONFLICT (signup_id, kind) DO NOTHING`, signupID, k.kind, due)
		if err != nil {
			return fmt.Errorf("insert reminder: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if err := s.enqueue(ctx, tx, ReminderArgs{SignupID: signupID, ReminderKind: k.kind}, &river.InsertOpts{ScheduledAt: due}); err != nil {
			return err
		}
	}
	return nil
}

// cancelReminders stops the reminders of a sign-up that are not sent yet.
func cancelReminders(ctx context.Context, tx db.Tx, signupID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE reminders SET cancelled_at = $2 WHERE signup_id = $1 AND sent_at IS NULL AND cancelled_at IS NULL`,
		signupID, now)
	if err != nil {
		return fmt.Errorf("cancel reminders: %w", err)
	}
	return nil
}

// SendReminder emails one reminder if it is still wanted: not sent or
// cancelled, the sign-up still confirmed, the shift still ahead and the
// volunteer not opted out. It returns how long to wait when the reminder is
// not due yet (the shift moved). Running it twice sends one email.
func (s *Service) SendReminder(ctx context.Context, signupID, kind string) (time.Duration, error) {
	var wait time.Duration
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var due, startsAt, endsAt time.Time
		var sent, cancelled sql.NullTime
		var status, shiftStatus, oppID, titleAr, titleEn, userID string
		var optOut bool
		err := tx.QueryRowContext(ctx, `SELECT r.due_at, r.sent_at, r.cancelled_at, g.status, g.user_id, s.starts_at, s.ends_at, s.status,
				o.id, o.title_ar, o.title_en, COALESCE(v.reminders_opt_out, TRUE)
			FROM reminders r JOIN signups g ON g.id = r.signup_id JOIN shifts s ON s.id = g.shift_id
				JOIN opportunities o ON o.id = s.opportunity_id LEFT JOIN volunteer_profiles v ON v.user_id = g.user_id
			WHERE r.signup_id = $1 AND r.kind = $2`, signupID, kind).Scan(
			&due, &sent, &cancelled, &status, &userID, &startsAt, &endsAt, &shiftStatus, &oppID, &titleAr, &titleEn, &optOut)
		if err = db.Map(err); errors.Is(err, db.ErrNotFound) {
			return nil // the sign-up is gone
		}
		if err != nil {
			return fmt.Errorf("load reminder: %w", err)
		}
		now := s.now()
		switch {
		case sent.Valid, cancelled.Valid, SignupStatus(status) != Confirmed, shiftStatus == "cancelled", !now.Before(startsAt), optOut:
			return nil
		case due.After(now.Add(time.Minute)):
			wait = due.Sub(now)
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE reminders SET sent_at = $3 WHERE signup_id = $1 AND kind = $2 AND sent_at IS NULL AND cancelled_at IS NULL`,
			signupID, kind, now)
		if err != nil {
			return fmt.Errorf("mark reminder sent: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		rc, err := loadRecipient(ctx, tx, userID)
		if err != nil {
			return err
		}
		title := pickTitle(rc.loc.Lang, titleAr, titleEn)
		subject := rc.loc.T("volunteer.reminder.subject_"+kind, "Title", title)
		body := rc.loc.T("volunteer.reminder.body", "Name", rc.name, "Title", title, "Starts", rc.loc.DateTime(startsAt),
			"Ends", rc.loc.Digitize(endsAt.In(rc.zone()).Format("15:04")), "Link", s.baseURL+"/signups/"+signupID)
		return s.mail.Queue(ctx, tx, rc.email, subject, body)
	})
	if err != nil {
		return 0, fmt.Errorf("send reminder %s %s: %w", kind, signupID, err)
	}
	return wait, nil
}

// PromoteWaitlist gives the free places of a role to the people waiting for
// it, first come first served, while each party fits; each promoted person
// gets their reminders and an email. It returns the sign-ups promoted.
// Running it again when nothing changed promotes nobody.
func (s *Service) PromoteWaitlist(ctx context.Context, roleID string) ([]string, error) {
	var promoted []string
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var shiftID string
		err := tx.QueryRowContext(ctx, `SELECT shift_id FROM shift_roles WHERE id = $1`, roleID).Scan(&shiftID)
		if err = db.Map(err); errors.Is(err, db.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load role: %w", err)
		}
		if err := lockShift(ctx, tx, shiftID); err != nil {
			return err
		}
		sh, err := loadShift(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		now := s.now()
		if sh.Status == "cancelled" || !now.Before(sh.StartsAt) {
			return nil
		}
		role := findRole(sh, roleID)
		if role == nil {
			return nil
		}
		free := role.Slots - role.Taken
		if free <= 0 {
			return nil
		}
		// First fit, in order: a party too large for the places left waits on,
		// and the next ones that fit go ahead, so one large party never stalls the line.
		rows, err := tx.QueryContext(ctx, `SELECT `+signupCols+`, g.decided_by IS NOT NULL FROM signups g
			WHERE g.role_id = $1 AND g.status = 'waitlisted' ORDER BY g.created_at, g.id`, roleID)
		if err != nil {
			return fmt.Errorf("load waitlist: %w", err)
		}
		var lucky []*Signup
		reviewed := map[string]bool{}
		for rows.Next() {
			var ok bool
			g, err := scanSignup(rows, &ok)
			if err != nil {
				rows.Close()
				return err
			}
			if g.PartySize > free {
				continue
			}
			free -= g.PartySize
			lucky = append(lucky, g)
			reviewed[g.ID] = ok
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(lucky) == 0 {
			return nil
		}
		opp, err := loadOpportunity(ctx, tx, sh.OpportunityID)
		if err != nil {
			return err
		}
		for _, g := range lucky {
			// Where a coordinator reviews sign-ups, someone who joined the line
			// without review goes to review now rather than straight in.
			if opp.Approval == ReviewApproval && !reviewed[g.ID] {
				if err := setSignupStatus(ctx, tx, g.ID, Pending, "", now); err != nil {
					return err
				}
				if err := s.notifySignup(ctx, tx, g, sh, opp, "volunteer.waitlist.to_review_subject", "volunteer.waitlist.to_review_body", 0); err != nil {
					return err
				}
				promoted = append(promoted, g.ID)
				continue
			}
			if err := setSignupStatus(ctx, tx, g.ID, Confirmed, "", now); err != nil {
				return err
			}
			if err := s.scheduleReminders(ctx, tx, g.ID, sh.StartsAt, now); err != nil {
				return err
			}
			if err := s.notifySignup(ctx, tx, g, sh, opp, "volunteer.waitlist.promoted_subject", "volunteer.waitlist.promoted_body", 0); err != nil {
				return err
			}
			promoted = append(promoted, g.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("promote waitlist of role %s: %w", roleID, err)
	}
	return promoted, nil
}

// findRole is the shift's role with that id, nil when there is none.
func findRole(sh *Shift, roleID string) *Role {
	for i := range sh.Roles {
		if sh.Roles[i].ID == roleID {
			return &sh.Roles[i]
		}
	}
	return nil
}

// recipient is who an email goes to, with their language, digits and zone.
type recipient struct {
	name, email string
	loc         *i18n.Locale
}

func (r recipient) zone() *time.Location {
	if r.loc.Zone != nil {
		return r.loc.Zone
	}
	return time.FixedZone("+03", 3*3600)
}

// loadRecipient reads the account's address and language settings (users.locale), for mail.
func loadRecipient(ctx context.Context, q db.Querier, userID string) (recipient, error) {
	var r recipient
	var lang, digits, zone string
	err := q.QueryRowContext(ctx, `SELECT name, email, locale, digits, time_zone FROM users WHERE id = $1`, userID).Scan(&r.name, &r.email, &lang, &digits, &zone)
	if err != nil {
		return r, fmt.Errorf("load recipient: %w", db.Map(err))
	}
	l, _ := i18n.ParseLang(lang)
	d, _ := i18n.ParseDigits(digits)
	var z *time.Location
	if zone != "" {
		if loc, err := time.LoadLocation(zone); err == nil {
			z = loc
		}
	}
	r.loc = i18n.New(l, d, z)
	return r, nil
}

// pickTitle is a title in lang, falling back to the Arabic one.
func pickTitle(lang i18n.Lang, ar, en string) string {
	if lang == i18n.EN && en != "" {
		return en
	}
	return ar
}

// notifySignup emails the person of a sign-up about what just happened to it,
// in their language; bodies get Name, Title, Starts, Position and Link.
func (s *Service) notifySignup(ctx context.Context, tx db.Tx, g *Signup, sh *Shift, opp *Opportunity, subjectID, bodyID string, position int) error {
	rc, err := loadRecipient(ctx, tx, g.UserID)
	if err != nil {
		return err
	}
	title := opp.Title(rc.loc.Lang)
	subject := rc.loc.T(subjectID, "Title", title)
	body := rc.loc.T(bodyID, "Name", rc.name, "Title", title, "Starts", rc.loc.DateTime(sh.StartsAt),
		"Position", rc.loc.Number(int64(max(position, 1))), "Link", s.baseURL+"/signups/"+g.ID)
	return s.mail.Queue(ctx, tx, rc.email, subject, body)
}
