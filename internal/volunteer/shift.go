package volunteer

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Limits of a shift's plan.
const (
	MaxRoles         = 5
	MaxRoleName      = 80
	MaxRoleSlots     = 500
	MaxTeamSize      = 50
	MaxOpensDays     = 365
	MaxCutoffHours   = 30 * 24
	MaxCancelReason  = 500
	DefaultOpensDays = 14
)

// RoleInput is one role of a shift as a coordinator describes it (and as a
// series keeps it, in JSON, to copy onto every occurrence).
type RoleInput struct {
	NameAr  string `json:"name_ar"`
	NameEn  string `json:"name_en"`
	SkillID string `json:"skill_id"`
	Slots   int    `json:"slots"`
}

func (r *RoleInput) normalize() {
	r.NameAr, r.NameEn, r.SkillID = strings.TrimSpace(r.NameAr), strings.TrimSpace(r.NameEn), strings.TrimSpace(r.SkillID)
}

func (r RoleInput) empty() bool {
	return r.NameAr == "" && r.NameEn == "" && r.SkillID == "" && r.Slots == 0
}

// ShiftPlan is what a one-off shift and a weekly series share: the roles,
// the team size and the sign-up window.
type ShiftPlan struct {
	// Roles: at most MaxRoles; rows left wholly empty in a form are ignored.
	Roles []RoleInput `json:"roles"`
	// TeamSize groups volunteers into teams of this size; 0 for no teams.
	TeamSize int `json:"team_size"`
	// SignupOpensDays: sign-up opens this many days before the start (at least 1).
	SignupOpensDays int `json:"signup_opens_days"`
	// SignupClosesHours: sign-up closes this many hours before the start.
	SignupClosesHours int `json:"signup_closes_hours"`
	// CancelCutoffHours: volunteers may withdraw until this many hours before the start.
	CancelCutoffHours int `json:"cancel_cutoff_hours"`
}

// validate checks the plan and drops empty role rows; errors on a role are
// keyed roles.<row>.<field> with the row as submitted.
func (p *ShiftPlan) validate(errs map[string]string) {
	var roles []RoleInput
	total := 0
	for i := range p.Roles {
		r := p.Roles[i]
		r.normalize()
		if r.empty() {
			continue
		}
		key := fmt.Sprintf("roles.%d.", i)
		if n := utf8.RuneCountInString(r.NameAr); n == 0 {
			errs[key+"name_ar"] = "error.required"
		} else if n > MaxRoleName {
			errs[key+"name_ar"] = "volunteer.shift.error.role_name_long"
		}
		if utf8.RuneCountInString(r.NameEn) > MaxRoleName {
			errs[key+"name_en"] = "volunteer.shift.error.role_name_long"
		}
		if r.Slots < 1 || r.Slots > MaxRoleSlots {
			errs[key+"slots"] = "volunteer.shift.error.slots"
		}
		total += max(r.Slots, 0)
		roles = append(roles, r)
	}
	switch {
	case len(roles) == 0:
		errs["roles"] = "volunteer.shift.error.no_roles"
	case len(roles) > MaxRoles:
		errs["roles"] = "volunteer.shift.error.too_many_roles"
	}
	p.Roles = roles
	switch {
	case p.TeamSize < 0 || p.TeamSize > MaxTeamSize:
		errs["team_size"] = "volunteer.shift.error.team_size"
	case p.TeamSize > 0 && total > 0 && p.TeamSize > total:
		errs["team_size"] = "volunteer.shift.error.team_larger"
	}
	if p.SignupOpensDays < 1 || p.SignupOpensDays > MaxOpensDays {
		errs["signup_opens_days"] = "volunteer.shift.error.opens_days"
	}
	switch {
	case p.SignupClosesHours < 0 || p.SignupClosesHours > MaxCutoffHours:
		errs["signup_closes_hours"] = "volunteer.shift.error.hours"
	case p.SignupOpensDays >= 1 && p.SignupClosesHours >= p.SignupOpensDays*24:
		errs["signup_closes_hours"] = "volunteer.shift.error.window"
	}
	if p.CancelCutoffHours < 0 || p.CancelCutoffHours > MaxCutoffHours {
		errs["cancel_cutoff_hours"] = "volunteer.shift.error.hours"
	}
}

// checkSkills reports roles whose skill is not in the taxonomy.
func (s *Service) checkRoleSkills(ctx context.Context, roles []RoleInput, rowOf func(int) int, errs map[string]string) error {
	var known map[string]bool
	for i, r := range roles {
		if r.SkillID == "" {
			continue
		}
		if known == nil {
			var err error
			if known, err = oppSkillSet(ctx, s.db.R); err != nil {
				return err
			}
		}
		if !known[r.SkillID] {
			errs[fmt.Sprintf("roles.%d.skill_id", rowOf(i))] = "volunteer.opportunity.error.skill_unknown"
		}
	}
	return nil
}

// rowIndex maps the i-th kept role back to its row as submitted.
func rowIndex(submitted []RoleInput) func(int) int {
	var rows []int
	for i := range submitted {
		r := submitted[i]
		r.normalize()
		if !r.empty() {
			rows = append(rows, i)
		}
	}
	return func(i int) int {
		if i < len(rows) {
			return rows[i]
		}
		return i
	}
}

// ShiftInput is a one-off shift: a day and times in the platform's zone.
type ShiftInput struct {
	// Date is YYYY-MM-DD; Start and End are HH:MM on that day.
	Date  string `json:"date"`
	Start string `json:"start"`
	End   string `json:"end"`
	ShiftPlan
}

// shiftParseDate reads YYYY-MM-DD, in any digits.
func shiftParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(i18n.NormalizeDigits(s)))
	return t, err == nil
}

// shiftParseClock reads HH:MM (or H:MM), in any digits, as minutes after midnight.
func shiftParseClock(s string) (int, bool) {
	s = strings.TrimSpace(i18n.NormalizeDigits(s))
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	var hh, mm int
	for _, c := range h {
		if c < '0' || c > '9' {
			return 0, false
		}
		hh = hh*10 + int(c-'0')
	}
	for _, c := range m {
		if c < '0' || c > '9' {
			return 0, false
		}
		mm = mm*10 + int(c-'0')
	}
	if hh > 23 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// at is the instant of minute-of-day on a calendar day in zone.
func at(day time.Time, minute int, zone *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), minute/60, minute%60, 0, 0, zone)
}

// times validates the input and returns the shift's start and end.
func (in *ShiftInput) times(now time.Time, zone *time.Location) (start, end time.Time, errs map[string]string) {
	errs = map[string]string{}
	day, okDay := shiftParseDate(in.Date)
	if strings.TrimSpace(in.Date) == "" {
		errs["date"] = "error.required"
	} else if !okDay {
		errs["date"] = "volunteer.shift.error.date"
	}
	from, okFrom := shiftParseClock(in.Start)
	if strings.TrimSpace(in.Start) == "" {
		errs["start"] = "error.required"
	} else if !okFrom {
		errs["start"] = "volunteer.shift.error.time"
	}
	to, okTo := shiftParseClock(in.End)
	if strings.TrimSpace(in.End) == "" {
		errs["end"] = "error.required"
	} else if !okTo {
		errs["end"] = "volunteer.shift.error.time"
	}
	if okFrom && okTo && to <= from {
		errs["end"] = "volunteer.shift.error.end_before_start"
	}
	if okDay && okFrom {
		start = at(day, from, zone)
		if !start.After(now) {
			errs["date"] = "volunteer.shift.error.past"
		} else if start.After(now.AddDate(2, 0, 0)) {
			errs["date"] = "volunteer.shift.error.too_far"
		}
	}
	if okDay && okTo {
		end = at(day, to, zone)
	}
	in.ShiftPlan.validate(errs)
	return start.UTC(), end.UTC(), errs
}

// Validate returns field → message id for every problem of the input that
// needs no database, as of now in zone.
func (in *ShiftInput) Validate(now time.Time, zone *time.Location) map[string]string {
	_, _, errs := in.times(now, zone)
	return errs
}

// manageOpportunity returns an opportunity the viewer coordinates; one they
// may not see is not found, one they see but do not run is forbidden.
func (s *Service) manageOpportunity(ctx context.Context, viewer *httpx.Viewer, oppID string) (*Opportunity, error) {
	o, err := s.Opportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, o.OrgID); err != nil {
		return nil, err
	}
	return o, nil
}

// CreateShift adds a one-off shift to an opportunity (a draft one too, so it
// can be prepared before publishing); only the organisation's coordinators may.
func (s *Service) CreateShift(ctx context.Context, viewer *httpx.Viewer, oppID string, in ShiftInput) (*Shift, error) {
	o, err := s.manageOpportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, err
	}
	if o.Status == OppArchived {
		return nil, ErrOppArchived
	}
	submitted := in.Roles
	start, end, errs := in.times(s.now(), s.zone)
	if err := s.checkRoleSkills(ctx, in.Roles, rowIndex(submitted), errs); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	sh := &Shift{ID: db.NewID(), OpportunityID: o.ID, StartsAt: start, EndsAt: end, TeamSize: in.TeamSize,
		SignupOpensDays: in.SignupOpensDays, SignupClosesHours: in.SignupClosesHours, CancelCutoffHours: in.CancelCutoffHours, Status: "scheduled"}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if _, err := shiftInsert(ctx, tx, sh, in.Roles, s.now()); err != nil {
			return err
		}
		if err := s.reindexOpportunityDays(ctx, tx, o.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.shift.create", TargetType: "shift", TargetID: sh.ID,
			OrgID: o.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": o.ID, "starts_at": start.Format(time.RFC3339)}})
	})
	if err != nil {
		return nil, fmt.Errorf("create shift: %w", err)
	}
	return loadShift(ctx, s.db.R, sh.ID)
}

// Shift returns a shift whose opportunity the viewer may see; the check-in
// code is kept only for the organisation's coordinators.
func (s *Service) Shift(ctx context.Context, viewer *httpx.Viewer, id string) (*Shift, error) {
	sh, err := loadShift(ctx, s.db.R, id)
	if err != nil {
		return nil, fmt.Errorf("shift %s: %w", id, err)
	}
	o, err := s.Opportunity(ctx, viewer, sh.OpportunityID)
	if err != nil {
		return nil, fmt.Errorf("shift %s: %w", id, err)
	}
	manage, err := s.CanManage(ctx, viewer, o.OrgID)
	if err != nil {
		return nil, err
	}
	if !manage {
		sh.CheckinCode = ""
	}
	return sh, nil
}

// ShiftsPageSize is how many upcoming shifts an opportunity page shows at once.
const ShiftsPageSize = 10

// UpcomingShifts lists an opportunity's shifts that have not ended, cancelled
// ones included, soonest first, with their roles: the page after a previous
// page's next cursor, or before its prev cursor, or the first. The check-in
// codes are kept only for coordinators.
func (s *Service) UpcomingShifts(ctx context.Context, viewer *httpx.Viewer, oppID, after, before string) (shifts []*Shift, next, prev string, err error) {
	o, err := s.Opportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, "", "", err
	}
	manage, err := s.CanManage(ctx, viewer, o.OrgID)
	if err != nil {
		return nil, "", "", err
	}
	backward, cursor := before != "", after
	if backward {
		cursor = before
	}
	shifts, err = shiftsUpcoming(ctx, s.db.R, oppID, cursor, backward, s.now(), ShiftsPageSize+1)
	if err != nil {
		return nil, "", "", fmt.Errorf("upcoming shifts of %s: %w", oppID, err)
	}
	shifts, next, prev = oppKeyset(shifts, ShiftsPageSize, backward, cursor != "", func(sh *Shift) string { return sh.ID })
	for _, sh := range shifts {
		if sh.Roles, err = loadRoles(ctx, s.db.R, sh.ID); err != nil {
			return nil, "", "", err
		}
		if !manage {
			sh.CheckinCode = ""
		}
	}
	return shifts, next, prev, nil
}

// CancelShift cancels a shift that has not started. Sign-ups stay as they
// are (for the record); everyone with a live sign-up (confirmed, pending or
// waiting) is told by email in their own language, and reminders not yet
// sent are cancelled. reason is optional and goes into the email and the audit log.
func (s *Service) CancelShift(ctx context.Context, viewer *httpx.Viewer, id, reason string) error {
	sh, err := loadShift(ctx, s.db.R, id)
	if err != nil {
		return fmt.Errorf("shift %s: %w", id, err)
	}
	o, err := s.manageOpportunity(ctx, viewer, sh.OpportunityID)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxCancelReason {
		return httpx.Invalid(map[string]string{"reason": "volunteer.shift.error.reason_long"})
	}
	now := s.now()
	switch {
	case sh.Status == "cancelled":
		return ErrShiftCancelTwice
	case !now.Before(sh.StartsAt):
		return ErrShiftCancelPast
	}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		ok, err := shiftSetCancelled(ctx, tx, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrShiftCancelTwice
		}
		if err := s.reindexOpportunityDays(ctx, tx, sh.OpportunityID); err != nil {
			return err
		}
		people, err := shiftLivePeople(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, p := range people {
			subject, body := s.cancelMail(o, sh, p, reason)
			if err := s.mail.Queue(ctx, tx, p.Email, subject, body); err != nil {
				return err
			}
		}
		if err := shiftCancelReminders(ctx, tx, id, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.shift.cancel", TargetType: "shift", TargetID: id,
			OrgID: o.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": o.ID, "starts_at": sh.StartsAt.Format(time.RFC3339),
				"reason": reason, "notified": fmt.Sprint(len(people))}})
	})
	if err != nil && !errors.Is(err, ErrShiftCancelTwice) {
		return fmt.Errorf("cancel shift %s: %w", id, err)
	}
	return err
}

// shiftPerson is someone with a live sign-up, as their email needs them.
type shiftPerson struct {
	Name, Email, Locale, Digits, Zone string
}

// cancelMail writes the cancellation notice in the recipient's language.
func (s *Service) cancelMail(o *Opportunity, sh *Shift, p shiftPerson, reason string) (subject, body string) {
	zone, err := time.LoadLocation(p.Zone)
	if err != nil || p.Zone == "" {
		zone = s.zone
	}
	loc := i18n.New(i18n.Lang(p.Locale), i18n.Digits(p.Digits), zone)
	title := o.Title(loc.Lang)
	subject = loc.T("volunteer.shift.cancel_mail.subject", "Title", title)
	body = loc.T("volunteer.shift.cancel_mail.greeting", "Name", p.Name) + "\n\n" +
		loc.T("volunteer.shift.cancel_mail.body", "Org", o.OrgName(loc.Lang), "Title", title, "When", loc.DateTime(sh.StartsAt))
	if reason != "" {
		body += "\n\n" + loc.T("volunteer.shift.cancel_mail.reason", "Reason", reason)
	}
	body += "\n\n" + loc.T("volunteer.shift.cancel_mail.more", "Link", s.baseURL+"/opportunities/"+o.ID) +
		"\n\n" + loc.T("volunteer.shift.cancel_mail.signature")
	return subject, body
}

// checkinAlphabet has no letters or digits that read alike (0/O, 1/I/L).
const checkinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CheckinCodeLen is the length of a shift's check-in code.
const CheckinCodeLen = 6

// newCheckinCode draws a random code from checkinAlphabet.
func newCheckinCode() string {
	b := make([]byte, CheckinCodeLen)
	out := make([]byte, CheckinCodeLen)
	for i := 0; i < CheckinCodeLen; {
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, c := range b {
			// Rejection sampling keeps every letter equally likely.
			if int(c) < 256-256%len(checkinAlphabet) && i < CheckinCodeLen {
				out[i] = checkinAlphabet[int(c)%len(checkinAlphabet)]
				i++
			}
		}
	}
	return string(out)
}

// shiftClock writes minutes after midnight as HH:MM.
func shiftClock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }
