package volunteer

// Sign-up, withdrawal and the preview of what a volunteer would be answered.
// Every decision goes through Decide (rules.go) with a Request gathered in the
// same transaction as the write, under a lock on the shift's row, so two
// people asking for the last place at once cannot both get it.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// SignupInput is what a person submits to sign up for a shift: the role, how
// many people come (themselves included) and, optionally, the names of those
// who come with them.
type SignupInput struct {
	RoleID    string   `json:"role_id"`
	PartySize int      `json:"party_size"`
	Members   []string `json:"members"`
}

// Limits of a sign-up.
const (
	MaxPartySize  = 20
	MaxMemberName = 100
)

// Errors of sign-up and withdrawal, shown in the person's language.
var (
	// ErrSignupNeedsProfile: the person has no volunteer profile yet.
	ErrSignupNeedsProfile = &httpx.Error{Status: http.StatusConflict, Type: "volunteer-profile-required", MsgID: "volunteer.signup.error.no_profile"}
	// ErrWithdrawCheckedIn: the person is present on the shift.
	ErrWithdrawCheckedIn = &httpx.Error{Status: http.StatusConflict, Type: "already-checked-in", MsgID: "volunteer.signup.error.checked_in"}
	// ErrCutoffPassed: too close to the start to withdraw.
	ErrCutoffPassed = &httpx.Error{Status: http.StatusConflict, Type: "cancellation-cutoff-passed", MsgID: "volunteer.signup.error.cutoff"}
	// ErrSignupNotLive: the sign-up was already withdrawn or declined.
	ErrSignupNotLive = &httpx.Error{Status: http.StatusConflict, Type: "signup-not-live", MsgID: "volunteer.signup.error.not_live"}
)

// Validate normalises the input and returns field → message id for every
// problem that needs no database. A party size of 0 means "me and the
// members named".
func (in *SignupInput) Validate() map[string]string {
	in.RoleID = strings.TrimSpace(in.RoleID)
	var members []string
	for _, m := range in.Members {
		if m = strings.Join(strings.Fields(m), " "); m != "" {
			members = append(members, m)
		}
	}
	in.Members = members
	errs := map[string]string{}
	if in.PartySize == 0 {
		in.PartySize = 1 + len(members)
	}
	switch {
	case in.PartySize < 1 || in.PartySize > MaxPartySize:
		errs["party_size"] = "volunteer.signup.error.party_size"
	case len(members) > in.PartySize-1:
		errs["members"] = "volunteer.signup.error.members_count"
	}
	for _, m := range members {
		if utf8.RuneCountInString(m) > MaxMemberName {
			errs["members"] = "volunteer.signup.error.member_long"
		}
	}
	return errs
}

// signupStatus is where an accepted outcome puts the sign-up.
func signupStatus(o Outcome) SignupStatus {
	switch o {
	case SignedUp:
		return Confirmed
	case OnWaitlist:
		return Waitlisted
	}
	return Pending
}

// liveStatuses are the sign-ups that hold a place or a place in line.
const liveStatuses = `('confirmed', 'waitlisted', 'pending')`

// errAlreadyLive turns the unique index on live sign-ups into the outcome.
var errAlreadyLive = errors.New("already signed up")

// SignUp asks for a place on a shift. It returns the decision in every case:
// an accepted one (signed up, waitlisted, pending review) with the sign-up it
// wrote, or a refusal with a nil sign-up and nothing written. An error means
// the request itself was wrong (unknown shift, invalid input, no profile).
func (s *Service) SignUp(ctx context.Context, viewer *httpx.Viewer, shiftID string, in SignupInput) (*Signup, Decision, error) {
	if viewer == nil {
		return nil, Decision{}, httpx.ErrUnauthorized
	}
	if errs := in.Validate(); len(errs) > 0 {
		return nil, Decision{}, httpx.Invalid(errs)
	}
	lang := httpx.Locale(ctx).Lang
	var out *Signup
	var d Decision
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		now := s.now()
		if err := lockShift(ctx, tx, shiftID); err != nil {
			return err
		}
		sh, opp, err := s.openShift(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		st, err := loadVolunteerState(ctx, tx, viewer.ID, now, lang)
		if errors.Is(err, db.ErrNotFound) {
			return ErrSignupNeedsProfile
		}
		if err != nil {
			return err
		}
		role, err := pickRole(sh, in.RoleID)
		if err != nil {
			return err
		}
		if in.PartySize > role.Slots {
			return httpx.Invalid(map[string]string{"party_size": "volunteer.signup.error.party_too_big"})
		}
		settings, err := loadOrgSettings(ctx, tx, opp.OrgID)
		if err != nil {
			return err
		}
		waiting, err := countWaiting(ctx, tx, role.ID)
		if err != nil {
			return err
		}
		d = Decide(st.request(now, s.zone, sh, opp, role, in.PartySize, settings, waiting))
		if !d.Outcome.Accepted() {
			return nil
		}
		g := &Signup{ID: db.NewID(), ShiftID: sh.ID, RoleID: role.ID, UserID: viewer.ID, Status: signupStatus(d.Outcome),
			PartySize: in.PartySize, Members: in.Members, CreatedAt: now, WaitlistNumber: d.Position}
		if err := insertSignup(ctx, tx, g); err != nil {
			return err
		}
		out = g
		if g.Status == Confirmed {
			return s.scheduleReminders(ctx, tx, g.ID, sh.StartsAt, now)
		}
		return nil
	})
	if errors.Is(err, errAlreadyLive) {
		return nil, Decision{Outcome: RefusedAlready}, nil
	}
	if err != nil {
		return nil, Decision{}, fmt.Errorf("sign up for shift %s: %w", shiftID, err)
	}
	return out, d, nil
}

// openShift reads a shift people may sign up for: of a published opportunity
// of a verified organisation. Anything else does not exist for them.
func (s *Service) openShift(ctx context.Context, q db.Querier, shiftID string) (*Shift, *Opportunity, error) {
	sh, err := loadShift(ctx, q, shiftID)
	if err != nil {
		return nil, nil, err
	}
	opp, err := loadOpportunity(ctx, q, sh.OpportunityID)
	if err != nil {
		return nil, nil, err
	}
	if opp.Status != "published" {
		return nil, nil, db.ErrNotFound
	}
	public, err := s.orgs.Can(ctx, nil, org.ViewOrg, opp.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !public {
		return nil, nil, db.ErrNotFound
	}
	return sh, opp, nil
}

// pickRole finds the role asked for; a shift with one role needs no choice.
func pickRole(sh *Shift, roleID string) (*Role, error) {
	if roleID == "" && len(sh.Roles) == 1 {
		return &sh.Roles[0], nil
	}
	for i := range sh.Roles {
		if sh.Roles[i].ID == roleID {
			return &sh.Roles[i], nil
		}
	}
	if roleID == "" {
		return nil, httpx.Invalid(map[string]string{"role_id": "volunteer.signup.error.role_required"})
	}
	return nil, httpx.Invalid(map[string]string{"role_id": "volunteer.signup.error.role_unknown"})
}

// volunteerState is what the rules need to know about one volunteer, loaded
// once and applied to any number of shifts.
type volunteerState struct {
	profile     *Profile
	commitments []Commitment
	// live marks the shifts the volunteer has a live sign-up on.
	live map[string]bool
	// vetted marks the organisations that vetted the volunteer.
	vetted  map[string]bool
	noShows []noShow
}

type noShow struct {
	orgID string
	at    time.Time
}

// loadVolunteerState reads the profile (db.ErrNotFound without one), the live
// sign-ups that can clash or count towards weekly limits, vettings and
// no-shows. Titles of commitments are in lang.
func loadVolunteerState(ctx context.Context, q db.Querier, userID string, now time.Time, lang i18n.Lang) (*volunteerState, error) {
	p, err := loadProfile(ctx, q, userID)
	if err != nil {
		return nil, err
	}
	// Someone whose profile was imported, or who accepted an older charter,
	// signs up only after accepting the current one on the profile page.
	if p.CharterVersion != CharterVersion {
		return nil, fmt.Errorf("charter %q not accepted: %w", CharterVersion, db.ErrNotFound)
	}
	st := &volunteerState{profile: p, live: map[string]bool{}, vetted: map[string]bool{}}
	// A week is at most 7 days, so nothing that ended more than 8 days ago
	// can share a week with a shift that has not ended.
	rows, err := q.QueryContext(ctx, `SELECT s.id, o.title_ar, o.title_en, s.starts_at, s.ends_at, s.status
		FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN opportunities o ON o.id = s.opportunity_id
		WHERE g.user_id = $1 AND g.status IN `+liveStatuses+` AND s.ends_at > $2
		ORDER BY s.starts_at, s.id`, userID, now.Add(-8*24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("load commitments: %w", err)
	}
	for rows.Next() {
		var c Commitment
		var ar, en, status string
		if err := rows.Scan(&c.ShiftID, &ar, &en, &c.StartsAt, &c.EndsAt, &status); err != nil {
			rows.Close()
			return nil, err
		}
		st.live[c.ShiftID] = true
		if status == "cancelled" {
			continue
		}
		c.Title = ar
		if lang == i18n.EN && en != "" {
			c.Title = en
		}
		c.StartsAt, c.EndsAt = c.StartsAt.UTC(), c.EndsAt.UTC()
		st.commitments = append(st.commitments, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT org_id FROM vettings WHERE user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("load vettings: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		st.vetted[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT o.org_id, s.starts_at
		FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN opportunities o ON o.id = s.opportunity_id
		WHERE g.user_id = $1 AND g.no_show`, userID)
	if err != nil {
		return nil, fmt.Errorf("load no-shows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n noShow
		if err := rows.Scan(&n.orgID, &n.at); err != nil {
			return nil, err
		}
		st.noShows = append(st.noShows, n)
	}
	return st, rows.Err()
}

// request is the rules' input for one role of one shift.
func (st *volunteerState) request(now time.Time, zone *time.Location, sh *Shift, opp *Opportunity, role *Role, party int,
	settings orgSettings, waiting int) Request {
	recent := 0
	since := now.Add(-time.Duration(settings.NoShowWindowDays) * 24 * time.Hour)
	for _, n := range st.noShows {
		if n.orgID == opp.OrgID && n.at.After(since) {
			recent++
		}
	}
	return Request{Now: now, Zone: zone, Opportunity: opp, Shift: sh, Role: role, Volunteer: st.profile, PartySize: party,
		Vetted: st.vetted[opp.OrgID], Commitments: st.commitments, AlreadyOnShift: st.live[sh.ID],
		RecentNoShows: recent, NoShowLimit: settings.NoShowLimit, Waiting: waiting}
}

// Preview is what each role of a shift would answer the volunteer right now,
// by role id, without writing anything. It is empty for an anonymous visitor
// or a person without a volunteer profile. sh must carry its roles (loadShift).
func (s *Service) Preview(ctx context.Context, userID string, sh *Shift, opp *Opportunity) (map[string]Decision, error) {
	out := map[string]Decision{}
	if userID == "" {
		return out, nil
	}
	now := s.now()
	st, err := loadVolunteerState(ctx, s.db.R, userID, now, httpx.Locale(ctx).Lang)
	if errors.Is(err, db.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	settings, err := loadOrgSettings(ctx, s.db.R, opp.OrgID)
	if err != nil {
		return nil, err
	}
	waiting, err := waitingByRole(ctx, s.db.R, []string{sh.ID})
	if err != nil {
		return nil, err
	}
	for i := range sh.Roles {
		r := &sh.Roles[i]
		out[r.ID] = Decide(st.request(now, s.zone, sh, opp, r, 1, settings, waiting[r.ID]))
	}
	return out, nil
}

// SignupDetail is a person's own sign-up with what its page needs.
type SignupDetail struct {
	Signup      *Signup
	Shift       *Shift
	Opportunity *Opportunity
	Role        *Role
	// CutoffAt is the last moment the person may withdraw.
	CutoffAt    time.Time
	CanWithdraw bool
}

// MySignup returns one of the viewer's own sign-ups; other people's do not exist for them.
func (s *Service) MySignup(ctx context.Context, viewer *httpx.Viewer, id string) (*SignupDetail, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	g, err := signupByID(ctx, s.db.R, id)
	if err != nil {
		return nil, err
	}
	if g.UserID != viewer.ID {
		return nil, db.ErrNotFound
	}
	sh, err := loadShift(ctx, s.db.R, g.ShiftID)
	if err != nil {
		return nil, err
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return nil, err
	}
	if g.Status == Waitlisted {
		if g.WaitlistNumber, err = waitlistPosition(ctx, s.db.R, g); err != nil {
			return nil, err
		}
	}
	sd := &SignupDetail{Signup: g, Shift: sh, Opportunity: opp, CutoffAt: sh.cutoff()}
	for i := range sh.Roles {
		if sh.Roles[i].ID == g.RoleID {
			sd.Role = &sh.Roles[i]
		}
	}
	sd.CanWithdraw = g.live() && s.now().Before(sd.CutoffAt)
	return sd, nil
}

// cutoff is the last moment a sign-up may be withdrawn.
func (sh *Shift) cutoff() time.Time {
	return sh.StartsAt.Add(-time.Duration(sh.CancelCutoffHours) * time.Hour)
}

func (g *Signup) live() bool {
	return g.Status == Confirmed || g.Status == Waitlisted || g.Status == Pending
}

// Withdraw takes the viewer off a shift, before its cancellation cut-off. The
// reminders are cancelled and, when a confirmed place is freed, a job
// promotes the first people on the role's waitlist.
func (s *Service) Withdraw(ctx context.Context, viewer *httpx.Viewer, id string) (*Signup, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	var out *Signup
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		g, err := signupByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if g.UserID != viewer.ID {
			return db.ErrNotFound
		}
		if err := lockShift(ctx, tx, g.ShiftID); err != nil {
			return err
		}
		// Read again under the lock: a coordinator may have just decided.
		if g, err = signupByID(ctx, tx, id); err != nil {
			return err
		}
		if !g.live() {
			return ErrSignupNotLive
		}
		sh, err := loadShift(ctx, tx, g.ShiftID)
		if err != nil {
			return err
		}
		now := s.now()
		if !now.Before(sh.cutoff()) {
			return ErrCutoffPassed
		}
		// Check-in opens before the cut-off may pass: someone already here
		// cannot withdraw (and give their place away) while still present.
		var present int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance WHERE signup_id = $1`, g.ID).Scan(&present); err != nil {
			return fmt.Errorf("check attendance: %w", err)
		}
		if present > 0 {
			return ErrWithdrawCheckedIn
		}
		was := g.Status
		if err := setSignupStatus(ctx, tx, g.ID, Withdrawn, "", now); err != nil {
			return err
		}
		if err := cancelReminders(ctx, tx, g.ID, now); err != nil {
			return err
		}
		if was == Confirmed {
			if err := s.enqueue(ctx, tx, PromoteArgs{RoleID: g.RoleID}, nil); err != nil {
				return err
			}
		}
		g.Status = Withdrawn
		out = g
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("withdraw %s: %w", id, err)
	}
	return out, nil
}

// enqueue inserts a job in tx.
func (s *Service) enqueue(ctx context.Context, tx db.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if s.jobs == nil {
		return fmt.Errorf("enqueue %s: the volunteer service has no job client", args.Kind())
	}
	return s.jobs.Enqueue(ctx, tx, args, opts)
}

// signupSkillLabels names every skill of the shared taxonomy in lang, in
// one query, for explaining missing-skill refusals on a whole page.
func (s *Service) signupSkillLabels(ctx context.Context, lang i18n.Lang) (map[string]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name_ar, name_en FROM skills`)
	if err != nil {
		return nil, fmt.Errorf("load skills: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, ar, en string
		if err := rows.Scan(&id, &ar, &en); err != nil {
			return nil, err
		}
		out[id] = pickTitle(lang, ar, en)
	}
	return out, rows.Err()
}

// signupOutcomeText explains a decision in loc's language with the data the
// outcome messages (volunteer.outcome.*) take, as OutcomeMessage does, but
// with the skill names given, so a page of decisions costs no query each.
func signupOutcomeText(loc *i18n.Locale, d Decision, skills map[string]string) string {
	skill, lang, clash := "", "", ""
	if d.Skill != "" {
		if skill = skills[d.Skill]; skill == "" {
			skill = d.Skill
		}
	}
	if d.Language != "" {
		lang = loc.T(LanguageMsgID(d.Language))
	}
	if d.Clash != nil {
		clash = loc.T("volunteer.outcome.clash_with", "Title", "\u2068"+d.Clash.Title+"\u2069", "When", loc.DateTime(d.Clash.StartsAt))
	}
	return loc.T(d.Outcome.MsgID(), "Position", loc.Number(int64(d.Position)), "Skill", skill, "Language", lang,
		"Opens", loc.DateTime(d.OpensAt), "Closes", loc.DateTime(d.ClosesAt), "Clash", clash)
}
