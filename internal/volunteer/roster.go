package volunteer

// The coordinator's roster of a shift: who is confirmed, pending or waiting,
// who checked in, and what a coordinator does with it (approve, decline,
// mark no-shows, vet volunteers, message everyone confirmed).

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// RosterEntry is one sign-up on the roster.
type RosterEntry struct {
	SignupID      string       `json:"signup_id"`
	UserID        string       `json:"user_id"`
	Name          string       `json:"name"`
	Email         string       `json:"email"`
	Status        SignupStatus `json:"status"`
	PartySize     int          `json:"party_size"`
	Members       []string     `json:"members"`
	Position      int          `json:"waitlist_position,omitempty"`
	Vetted        bool         `json:"vetted"`
	NoShow        bool         `json:"no_show"`
	NoShowComment string       `json:"no_show_comment,omitempty"`
	CheckedInAt   *time.Time   `json:"checked_in_at"`
	CheckedOutAt  *time.Time   `json:"checked_out_at"`
	CreatedAt     time.Time    `json:"created_at"`
	// Team and TeamLeader come from a distribution (0: no team).
	Team       int  `json:"team"`
	TeamLeader bool `json:"team_leader"`
}

// RosterRole is one role of the shift with its people.
type RosterRole struct {
	Role
	Confirmed  []RosterEntry `json:"confirmed"`
	Pending    []RosterEntry `json:"pending"`
	Waitlisted []RosterEntry `json:"waitlisted"`
}

// Roster is everyone signed up for a shift, role by role.
type Roster struct {
	Shift       *Shift       `json:"shift"`
	Opportunity *Opportunity `json:"opportunity"`
	Roles       []RosterRole `json:"roles"`
	// Started: the shift has begun, so no-shows may be marked.
	Started bool `json:"started"`
}

// People counts the confirmed people (party sizes included) over every role.
func (r *Roster) People() int {
	n := 0
	for _, role := range r.Roles {
		for _, e := range role.Confirmed {
			n += e.PartySize
		}
	}
	return n
}

// Recipients counts the confirmed sign-ups, who get a roster message.
func (r *Roster) Recipients() int {
	n := 0
	for _, role := range r.Roles {
		n += len(role.Confirmed)
	}
	return n
}

// Errors of the coordinator's actions.
var (
	ErrSignupNotPending   = &httpx.Error{Status: http.StatusConflict, Type: "signup-not-pending", MsgID: "volunteer.roster.error.not_pending"}
	ErrSignupNotConfirmed = &httpx.Error{Status: http.StatusConflict, Type: "signup-not-confirmed", MsgID: "volunteer.roster.error.not_confirmed"}
	ErrNoShowTooEarly     = &httpx.Error{Status: http.StatusConflict, Type: "shift-not-started", MsgID: "volunteer.roster.error.not_started"}
	ErrApprovalTooLate    = &httpx.Error{Status: http.StatusConflict, Type: "shift-started", MsgID: "volunteer.roster.error.started"}
	ErrNoShowCheckedIn    = &httpx.Error{Status: http.StatusConflict, Type: "checked-in", MsgID: "volunteer.roster.error.checked_in"}
)

// Limits of what coordinators type.
const (
	MaxNoShowComment  = 500
	MaxMessageSubject = 150
	MaxMessageText    = 4000
)

// shiftForCoordinator reads a shift and its opportunity and checks that the
// viewer coordinates volunteering for the organisation.
func (s *Service) shiftForCoordinator(ctx context.Context, viewer *httpx.Viewer, shiftID string) (*Shift, *Opportunity, error) {
	sh, err := loadShift(ctx, s.db.R, shiftID)
	if err != nil {
		return nil, nil, err
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, opp.OrgID); err != nil {
		return nil, nil, err
	}
	return sh, opp, nil
}

// Roster lists a shift's sign-ups for its coordinators: per role the
// confirmed (with check-in and no-show), the pending and the waitlist in order.
func (s *Service) Roster(ctx context.Context, viewer *httpx.Viewer, shiftID string) (*Roster, error) {
	sh, opp, err := s.shiftForCoordinator(ctx, viewer, shiftID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT g.id, g.role_id, g.user_id, u.name, u.email, g.status, g.party_size, g.no_show, g.no_show_comment,
			g.created_at, a.checked_in_at, a.checked_out_at, v.user_id, g.team, g.team_leader
		FROM signups g JOIN users u ON u.id = g.user_id
			LEFT JOIN attendance a ON a.signup_id = g.id
			LEFT JOIN vettings v ON v.org_id = $2 AND v.user_id = g.user_id
		WHERE g.shift_id = $1 AND g.status IN `+liveStatuses+`
		ORDER BY g.created_at, g.id`, shiftID, opp.OrgID)
	if err != nil {
		return nil, fmt.Errorf("load roster: %w", err)
	}
	defer rows.Close()
	byRole := map[string]*RosterRole{}
	r := &Roster{Shift: sh, Opportunity: opp, Started: !s.now().Before(sh.StartsAt)}
	r.Roles = make([]RosterRole, len(sh.Roles))
	for i, role := range sh.Roles {
		r.Roles[i] = RosterRole{Role: role, Confirmed: []RosterEntry{}, Pending: []RosterEntry{}, Waitlisted: []RosterEntry{}}
		byRole[role.ID] = &r.Roles[i]
	}
	var ids []string
	for rows.Next() {
		var e RosterEntry
		var roleID, status string
		var in, out sql.NullTime
		var vetted sql.NullString
		if err := rows.Scan(&e.SignupID, &roleID, &e.UserID, &e.Name, &e.Email, &status, &e.PartySize, &e.NoShow, &e.NoShowComment,
			&e.CreatedAt, &in, &out, &vetted, &e.Team, &e.TeamLeader); err != nil {
			return nil, err
		}
		e.Status, e.Vetted, e.Members = SignupStatus(status), vetted.Valid, []string{}
		if in.Valid {
			t := in.Time.UTC()
			e.CheckedInAt = &t
		}
		if out.Valid {
			t := out.Time.UTC()
			e.CheckedOutAt = &t
		}
		rr := byRole[roleID]
		if rr == nil {
			continue
		}
		ids = append(ids, e.SignupID)
		switch e.Status {
		case Confirmed:
			rr.Confirmed = append(rr.Confirmed, e)
		case Pending:
			rr.Pending = append(rr.Pending, e)
		case Waitlisted:
			e.Position = len(rr.Waitlisted) + 1
			rr.Waitlisted = append(rr.Waitlisted, e)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	members, err := membersOf(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	for i := range r.Roles {
		for _, list := range [][]RosterEntry{r.Roles[i].Confirmed, r.Roles[i].Pending, r.Roles[i].Waitlisted} {
			for j := range list {
				if m := members[list[j].SignupID]; m != nil {
					list[j].Members = m
				}
			}
		}
	}
	return r, nil
}

// coordinatorSignup reads a sign-up under its shift's lock, with the shift
// and opportunity, after checking that the viewer coordinates for the organisation.
func (s *Service) coordinatorSignup(ctx context.Context, tx db.Tx, viewer *httpx.Viewer, id string) (*Signup, *Shift, *Opportunity, error) {
	g, err := signupByID(ctx, tx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	var oppID string
	if err := tx.QueryRowContext(ctx, `SELECT opportunity_id FROM shifts WHERE id = $1`, g.ShiftID).Scan(&oppID); err != nil {
		return nil, nil, nil, db.Map(err)
	}
	opp, err := loadOpportunity(ctx, tx, oppID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, opp.OrgID); err != nil {
		return nil, nil, nil, err
	}
	if err := lockShift(ctx, tx, g.ShiftID); err != nil {
		return nil, nil, nil, err
	}
	if g, err = signupByID(ctx, tx, id); err != nil {
		return nil, nil, nil, err
	}
	sh, err := loadShift(ctx, tx, g.ShiftID)
	if err != nil {
		return nil, nil, nil, err
	}
	return g, sh, opp, nil
}

// ApproveSignup accepts a pending sign-up: confirmed when its party fits in
// the role's free places, else waitlisted. The person is told by email.
func (s *Service) ApproveSignup(ctx context.Context, viewer *httpx.Viewer, id string) (*Signup, error) {
	var out *Signup
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		g, sh, opp, err := s.coordinatorSignup(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if g.Status != Pending {
			return ErrSignupNotPending
		}
		now := s.now()
		if !now.Before(sh.StartsAt) {
			return ErrApprovalTooLate
		}
		role := findRole(sh, g.RoleID)
		if role == nil {
			return db.ErrNotFound
		}
		g.Status = Waitlisted
		if role.Taken+g.PartySize <= role.Slots {
			g.Status = Confirmed
		}
		if err := setSignupStatus(ctx, tx, g.ID, g.Status, viewer.ID, now); err != nil {
			return err
		}
		subject, body := "volunteer.roster.mail.approved_subject", "volunteer.roster.mail.approved_body"
		if g.Status == Confirmed {
			if err := s.scheduleReminders(ctx, tx, g.ID, sh.StartsAt, now); err != nil {
				return err
			}
		} else {
			if g.WaitlistNumber, err = waitlistPosition(ctx, tx, g); err != nil {
				return err
			}
			subject, body = "volunteer.roster.mail.approved_waitlisted_subject", "volunteer.roster.mail.approved_waitlisted_body"
		}
		if err := s.notifySignup(ctx, tx, g, sh, opp, subject, body, g.WaitlistNumber); err != nil {
			return err
		}
		out = g
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.signup_approve", TargetType: "signup", TargetID: g.ID,
			OrgID: opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user_id": g.UserID, "status": string(g.Status)}})
	})
	if err != nil {
		return nil, fmt.Errorf("approve sign-up %s: %w", id, err)
	}
	return out, nil
}

// DeclineSignup turns a pending sign-up down; the person is told by email.
func (s *Service) DeclineSignup(ctx context.Context, viewer *httpx.Viewer, id string) (*Signup, error) {
	var out *Signup
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		g, sh, opp, err := s.coordinatorSignup(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if g.Status != Pending {
			return ErrSignupNotPending
		}
		if err := setSignupStatus(ctx, tx, g.ID, Declined, viewer.ID, s.now()); err != nil {
			return err
		}
		g.Status = Declined
		if err := s.notifySignup(ctx, tx, g, sh, opp, "volunteer.roster.mail.declined_subject", "volunteer.roster.mail.declined_body", 0); err != nil {
			return err
		}
		out = g
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.signup_decline", TargetType: "signup", TargetID: g.ID,
			OrgID: opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user_id": g.UserID}})
	})
	if err != nil {
		return nil, fmt.Errorf("decline sign-up %s: %w", id, err)
	}
	return out, nil
}

// MarkNoShow records that a confirmed volunteer did not come, with the
// coordinator's comment; clear takes the mark back (a mistake). Only once the
// shift has begun, and never for someone who checked in.
func (s *Service) MarkNoShow(ctx context.Context, viewer *httpx.Viewer, id, comment string, clear bool) error {
	comment = strings.TrimSpace(comment)
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		// Permission first: the comment's check must not answer strangers.
		g, sh, opp, err := s.coordinatorSignup(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		if !clear {
			switch n := utf8.RuneCountInString(comment); {
			case n == 0:
				return httpx.Invalid(map[string]string{"comment": "volunteer.roster.error.comment_required"})
			case n > MaxNoShowComment:
				return httpx.Invalid(map[string]string{"comment": "volunteer.roster.error.comment_long"})
			}
		}
		if g.Status != Confirmed {
			return ErrSignupNotConfirmed
		}
		if s.now().Before(sh.StartsAt) {
			return ErrNoShowTooEarly
		}
		var checkedIn int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance WHERE signup_id = $1`, id).Scan(&checkedIn); err != nil {
			return fmt.Errorf("check attendance: %w", err)
		}
		if checkedIn > 0 && !clear {
			return ErrNoShowCheckedIn
		}
		action := "volunteer.no_show"
		if clear {
			comment, action = "", "volunteer.no_show_clear"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE signups SET no_show = $2, no_show_comment = $3, updated_at = $4 WHERE id = $1`,
			id, !clear, comment, s.now()); err != nil {
			return fmt.Errorf("mark no-show: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: action, TargetType: "signup", TargetID: id,
			OrgID: opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user_id": g.UserID, "comment": comment}})
	})
	if err != nil {
		return fmt.Errorf("no-show %s: %w", id, err)
	}
	return nil
}

// Vet records that the organisation has vetted a volunteer (needed for
// vetted-only work with children or the elderly). It reports false when the
// volunteer was vetted already.
func (s *Service) Vet(ctx context.Context, viewer *httpx.Viewer, orgID, userID string) (bool, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return false, err
	}
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return false, httpx.Invalid(map[string]string{"user_id": "error.required"})
	}
	added := false
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM volunteer_profiles WHERE user_id = $1`, userID).Scan(&n); err != nil {
			return fmt.Errorf("find volunteer: %w", err)
		}
		if n == 0 {
			return httpx.Invalid(map[string]string{"user_id": "volunteer.roster.error.no_volunteer"})
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO vettings (org_id, user_id, vetted_by, vetted_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (org_id, user_id) DO NOTHING`, orgID, userID, viewer.ID, s.now())
		if err != nil {
			return fmt.Errorf("insert vetting: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		added = true
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.vet", TargetType: "user", TargetID: userID,
			OrgID: orgID, IP: httpx.ClientIP(ctx)})
	})
	if err != nil {
		return false, fmt.Errorf("vet %s for %s: %w", userID, orgID, err)
	}
	return added, nil
}

// Channel delivers a coordinator's message to one person. Email is the one
// channel today; another (SMS, push) implements the same method and joins
// the list in rosterChannels.
type Channel interface {
	Send(ctx context.Context, tx db.Tx, userID, subject, text string) error
}

// EmailChannel sends through the mail queue to the person's account address.
type EmailChannel struct{ Mail Mailer }

// Send queues an email in tx.
func (c EmailChannel) Send(ctx context.Context, tx db.Tx, userID, subject, text string) error {
	rc, err := loadRecipient(ctx, tx, userID)
	if err != nil {
		return err
	}
	return c.Mail.Queue(ctx, tx, rc.email, subject, text)
}

var _ Channel = EmailChannel{}

// rosterChannels are the channels a roster message goes out on.
func (s *Service) rosterChannels() []Channel { return []Channel{EmailChannel{Mail: s.mail}} }

// MessageRoster sends a coordinator's message to every confirmed person of a
// shift, with a footer in each person's language saying who sent it and
// about what. It returns how many people it went to.
func (s *Service) MessageRoster(ctx context.Context, viewer *httpx.Viewer, shiftID, subject, text string) (int, error) {
	sh, opp, err := s.shiftForCoordinator(ctx, viewer, shiftID)
	if err != nil {
		return 0, err
	}
	subject, text = strings.Join(strings.Fields(subject), " "), strings.TrimSpace(text)
	errs := map[string]string{}
	switch n := utf8.RuneCountInString(subject); {
	case n == 0:
		errs["subject"] = "error.required"
	case n > MaxMessageSubject:
		errs["subject"] = "volunteer.roster.error.subject_long"
	}
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		errs["text"] = "error.required"
	case n > MaxMessageText:
		errs["text"] = "volunteer.roster.error.text_long"
	}
	if len(errs) > 0 {
		return 0, httpx.Invalid(errs)
	}
	sent := 0
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT g.user_id FROM signups g WHERE g.shift_id = $1 AND g.status = 'confirmed' ORDER BY g.created_at, g.id`, shiftID)
		if err != nil {
			return fmt.Errorf("load roster: %w", err)
		}
		var users []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			users = append(users, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range users {
			rc, err := loadRecipient(ctx, tx, u)
			if err != nil {
				return err
			}
			footer := rc.loc.T("volunteer.roster.mail.footer", "Sender", viewer.Name, "Org", rosterOrgName(opp, rc.loc.Lang),
				"Title", opp.Title(rc.loc.Lang), "Starts", rc.loc.DateTime(sh.StartsAt))
			for _, c := range s.rosterChannels() {
				if err := c.Send(ctx, tx, u, subject, text+"\n\n—\n"+footer); err != nil {
					return err
				}
			}
		}
		sent = len(users)
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.roster_message", TargetType: "shift", TargetID: shiftID,
			OrgID: opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"subject": subject, "recipients": strconv.Itoa(sent)}})
	})
	if err != nil {
		return 0, fmt.Errorf("message roster of %s: %w", shiftID, err)
	}
	return sent, nil
}

// rosterOrgName is the opportunity's organisation name in lang, falling back to Arabic.
func rosterOrgName(opp *Opportunity, lang i18n.Lang) string {
	if lang == i18n.EN && opp.OrgNameEn != "" {
		return opp.OrgNameEn
	}
	return opp.OrgNameAr
}
