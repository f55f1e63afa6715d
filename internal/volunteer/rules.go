package volunteer

import (
	"slices"
	"time"
)

// Outcome is the answer to a sign-up attempt: one of a fixed set, each with a
// message in the catalogue (volunteer.outcome.<outcome>).
type Outcome string

const (
	SignedUp      Outcome = "signed_up"
	OnWaitlist    Outcome = "waitlisted"
	PendingReview Outcome = "pending_review"

	RefusedCancelled   Outcome = "shift_cancelled"
	RefusedEnded       Outcome = "shift_ended"
	RefusedAlready     Outcome = "already_signed_up"
	RefusedNotOpen     Outcome = "window_not_open"
	RefusedClosed      Outcome = "window_closed"
	RefusedGender      Outcome = "gender_rule"
	RefusedAge         Outcome = "age"
	RefusedVetting     Outcome = "not_vetted"
	RefusedSkill       Outcome = "missing_skill"
	RefusedLanguage    Outcome = "missing_language"
	RefusedNoShows     Outcome = "too_many_no_shows"
	RefusedClash       Outcome = "time_clash"
	RefusedWeeklyLimit Outcome = "weekly_limit"
	RefusedParty       Outcome = "party_restricted"
)

// Outcomes lists every outcome, for tests and the catalogue check.
var Outcomes = []Outcome{SignedUp, OnWaitlist, PendingReview, RefusedCancelled, RefusedEnded, RefusedAlready,
	RefusedNotOpen, RefusedClosed, RefusedGender, RefusedAge, RefusedVetting, RefusedSkill, RefusedLanguage,
	RefusedNoShows, RefusedClash, RefusedWeeklyLimit, RefusedParty}

// Accepted reports whether the outcome gives the person a place (or a place in line).
func (o Outcome) Accepted() bool { return o == SignedUp || o == OnWaitlist || o == PendingReview }

// MsgID is the catalogue id that explains the outcome.
func (o Outcome) MsgID() string { return "volunteer.outcome." + string(o) }

// Commitment is a live sign-up of the volunteer, as the rules need it.
type Commitment struct {
	ShiftID  string
	Title    string
	StartsAt time.Time
	EndsAt   time.Time
}

// Request is everything the decision looks at; the service gathers it in one
// transaction so that the decision and the write see the same state.
type Request struct {
	Now         time.Time
	Zone        *time.Location // weeks for the weekly limits are counted here
	Opportunity *Opportunity
	Shift       *Shift
	Role        *Role
	Volunteer   *Profile
	PartySize   int
	// Vetted: the organisation has vetted the volunteer.
	Vetted bool
	// Commitments are the volunteer's other live sign-ups (confirmed, pending, waitlisted).
	Commitments []Commitment
	// AlreadyOnShift: the volunteer has a live sign-up on this shift.
	AlreadyOnShift bool
	RecentNoShows  int
	NoShowLimit    int // 0: no limit
	// Waiting is how many parties are already on the role's waitlist.
	Waiting int
}

// Decision is the outcome and what its message needs.
type Decision struct {
	Outcome Outcome
	// Position on the waitlist (1 = next), for OnWaitlist.
	Position int
	// Clash is the other shift, for RefusedClash.
	Clash *Commitment
	// Skill or Language missing, for RefusedSkill and RefusedLanguage.
	Skill, Language string
	// OpensAt and ClosesAt bound the sign-up window, for the window outcomes.
	OpensAt, ClosesAt time.Time
}

// Window returns when sign-up opens and closes for a shift.
func (s *Shift) Window() (opens, closes time.Time) {
	return s.StartsAt.Add(-time.Duration(s.SignupOpensDays) * 24 * time.Hour),
		s.StartsAt.Add(-time.Duration(s.SignupClosesHours) * time.Hour)
}

// Decide applies the sign-up rules in a fixed order, so a person always gets
// the same, most fundamental reason first. It reads nothing but r.
func Decide(r Request) Decision {
	sh, opp, v := r.Shift, r.Opportunity, r.Volunteer
	opens, closes := sh.Window()
	refuse := func(o Outcome) Decision { return Decision{Outcome: o, OpensAt: opens, ClosesAt: closes} }
	party := max(r.PartySize, 1)
	switch {
	case sh.Status == "cancelled":
		return refuse(RefusedCancelled)
	case !r.Now.Before(sh.EndsAt):
		return refuse(RefusedEnded)
	case r.AlreadyOnShift:
		return refuse(RefusedAlready)
	case r.Now.Before(opens):
		return refuse(RefusedNotOpen)
	case !r.Now.Before(closes) || !r.Now.Before(sh.StartsAt):
		return refuse(RefusedClosed)
	case opp.GenderRule == WomenOnly && v.Gender != Female, opp.GenderRule == MenOnly && v.Gender != Male:
		return refuse(RefusedGender)
	case opp.MinAge > 0 && AgeOn(v.BirthDate, sh.StartsAt.In(zoneOr(r.Zone))) < opp.MinAge:
		return refuse(RefusedAge)
	case opp.VettedOnly && !r.Vetted:
		return refuse(RefusedVetting)
	case party > 1 && opp.Restricted():
		// Guests are not checked against vetting, age or gender rules, so
		// restricted work takes people one by one.
		return refuse(RefusedParty)
	}
	for _, need := range requiredSkills(opp, r.Role) {
		if !v.HasSkill(need) {
			d := refuse(RefusedSkill)
			d.Skill = need
			return d
		}
	}
	for _, lang := range opp.Languages {
		if !slices.Contains(v.Languages, lang) {
			d := refuse(RefusedLanguage)
			d.Language = lang
			return d
		}
	}
	if r.NoShowLimit > 0 && r.RecentNoShows >= r.NoShowLimit {
		return refuse(RefusedNoShows)
	}
	for i, c := range r.Commitments {
		if c.ShiftID != sh.ID && c.StartsAt.Before(sh.EndsAt) && sh.StartsAt.Before(c.EndsAt) {
			d := refuse(RefusedClash)
			d.Clash = &r.Commitments[i]
			return d
		}
	}
	if overWeeklyLimits(r) {
		return refuse(RefusedWeeklyLimit)
	}
	// Places go to the first party that fits (the waitlist is promoted the
	// same way), so a newcomer who fits a free place takes it.
	if r.Role.Taken+party > r.Role.Slots {
		return Decision{Outcome: OnWaitlist, Position: r.Waiting + 1, OpensAt: opens, ClosesAt: closes}
	}
	if opp.Approval == ReviewApproval {
		return Decision{Outcome: PendingReview, OpensAt: opens, ClosesAt: closes}
	}
	return Decision{Outcome: SignedUp, OpensAt: opens, ClosesAt: closes}
}

// Restricted reports whether the opportunity has rules about who may come
// (vetting, age, gender), which each person must meet themselves.
func (o *Opportunity) Restricted() bool {
	return o.VettedOnly || o.MinAge > 0 || (o.GenderRule != "" && o.GenderRule != AnyGender)
}

func requiredSkills(opp *Opportunity, role *Role) []string {
	need := slices.Clone(opp.Skills)
	if role != nil && role.SkillID != "" && !slices.Contains(need, role.SkillID) {
		need = append(need, role.SkillID)
	}
	return need
}

// HasSkill reports whether the volunteer claims the skill.
func (p *Profile) HasSkill(id string) bool {
	return slices.ContainsFunc(p.Skills, func(s ProfileSkill) bool { return s.SkillID == id })
}

// overWeeklyLimits counts the volunteer's commitments in the shift's week
// (Saturday to Friday, the working week of the region) against their limits.
func overWeeklyLimits(r Request) bool {
	v := r.Volunteer
	if v.MaxShiftsWeek <= 0 && v.MaxHoursWeek <= 0 {
		return false
	}
	zone := zoneOr(r.Zone)
	week := WeekStart(r.Shift.StartsAt, zone)
	shifts, minutes := 1, r.Shift.Minutes()
	for _, c := range r.Commitments {
		if c.ShiftID != r.Shift.ID && WeekStart(c.StartsAt, zone).Equal(week) {
			shifts++
			minutes += int(c.EndsAt.Sub(c.StartsAt) / time.Minute)
		}
	}
	return (v.MaxShiftsWeek > 0 && shifts > v.MaxShiftsWeek) || (v.MaxHoursWeek > 0 && minutes > v.MaxHoursWeek*60)
}

// WeekStart is midnight of the Saturday that begins t's week in zone.
func WeekStart(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	back := (int(t.Weekday()) - int(time.Saturday) + 7) % 7
	d := t.AddDate(0, 0, -back)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone)
}

// AgeOn is the age in whole years on the given day of someone born on birth
// (YYYY-MM-DD); -1 when the birth date is unknown or malformed.
func AgeOn(birth string, on time.Time) int {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return -1
	}
	age := on.Year() - b.Year()
	if on.Month() < b.Month() || (on.Month() == b.Month() && on.Day() < b.Day()) {
		age--
	}
	return age
}

func zoneOr(z *time.Location) *time.Location {
	if z == nil {
		return time.UTC
	}
	return z
}
