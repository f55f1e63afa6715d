package volunteer

import (
	"testing"
	"time"
)

func TestDecideCoversEveryOutcome(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*3600)
	// Thursday 3 December 2026, 09:00–12:00 Riyadh time.
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, riyadh).UTC()
	base := func() Request {
		return Request{
			Now:  start.Add(-48 * time.Hour),
			Zone: riyadh,
			Opportunity: &Opportunity{ID: "o1", TitleAr: "تعبئة سلال", GenderRule: AnyGender, Approval: AutoApproval,
				Skills: []string{}, Languages: []string{"ar"}},
			Shift: &Shift{ID: "s1", StartsAt: start, EndsAt: start.Add(3 * time.Hour), SignupOpensDays: 14, SignupClosesHours: 2, Status: "scheduled"},
			Role:  &Role{ID: "r1", Slots: 3, Taken: 1},
			Volunteer: &Profile{UserID: "u1", Gender: Female, BirthDate: "2000-05-10", Languages: []string{"ar", "en"},
				Skills: []ProfileSkill{{SkillID: "first_aid"}}},
			PartySize: 1,
		}
	}
	cases := []struct {
		name   string
		change func(r *Request)
		want   Outcome
		check  func(t *testing.T, d Decision)
	}{
		{"an open slot", func(r *Request) {}, SignedUp, nil},
		{"review mode", func(r *Request) { r.Opportunity.Approval = ReviewApproval }, PendingReview, nil},
		{"full role goes to the waitlist", func(r *Request) { r.Role.Taken = 3; r.Waiting = 2 }, OnWaitlist,
			func(t *testing.T, d Decision) {
				if d.Position != 3 {
					t.Errorf("position %d, want 3", d.Position)
				}
			}},
		{"a party larger than the free slots waits", func(r *Request) { r.PartySize = 3 }, OnWaitlist, nil},
		{"a party that fits", func(r *Request) { r.PartySize = 2 }, SignedUp, nil},
		{"a free slot while a larger party waits: first fit takes it", func(r *Request) { r.Waiting = 1 }, SignedUp, nil},
		{"a party on restricted work", func(r *Request) { r.PartySize = 2; r.Opportunity.MinAge = 16 }, RefusedParty, nil},
		{"a party on open work", func(r *Request) { r.PartySize = 2; r.Opportunity.MinAge = 0 }, SignedUp, nil},
		{"cancelled shift", func(r *Request) { r.Shift.Status = "cancelled" }, RefusedCancelled, nil},
		{"shift over", func(r *Request) { r.Now = start.Add(4 * time.Hour) }, RefusedEnded, nil},
		{"already on the shift", func(r *Request) { r.AlreadyOnShift = true }, RefusedAlready, nil},
		{"too early", func(r *Request) { r.Now = start.Add(-15 * 24 * time.Hour) }, RefusedNotOpen,
			func(t *testing.T, d Decision) {
				if !d.OpensAt.Equal(start.Add(-14 * 24 * time.Hour)) {
					t.Errorf("opens at %v", d.OpensAt)
				}
			}},
		{"too late (closes 2 hours before)", func(r *Request) { r.Now = start.Add(-time.Hour) }, RefusedClosed, nil},
		{"already started", func(r *Request) { r.Shift.SignupClosesHours = 0; r.Now = start.Add(time.Minute) }, RefusedClosed, nil},
		{"women only, a man", func(r *Request) { r.Opportunity.GenderRule = WomenOnly; r.Volunteer.Gender = Male }, RefusedGender, nil},
		{"men only, gender not given", func(r *Request) { r.Opportunity.GenderRule = MenOnly; r.Volunteer.Gender = GenderUnset }, RefusedGender, nil},
		{"women only, a woman", func(r *Request) { r.Opportunity.GenderRule = WomenOnly }, SignedUp, nil},
		{"under age on the day", func(r *Request) { r.Opportunity.MinAge = 18; r.Volunteer.BirthDate = "2008-12-04" }, RefusedAge, nil},
		{"eighteen that very day", func(r *Request) { r.Opportunity.MinAge = 18; r.Volunteer.BirthDate = "2008-12-03" }, SignedUp, nil},
		{"age unknown", func(r *Request) { r.Opportunity.MinAge = 16; r.Volunteer.BirthDate = "" }, RefusedAge, nil},
		{"not vetted", func(r *Request) { r.Opportunity.VettedOnly = true }, RefusedVetting, nil},
		{"vetted", func(r *Request) { r.Opportunity.VettedOnly = true; r.Vetted = true }, SignedUp, nil},
		{"role needs a skill", func(r *Request) { r.Role.SkillID = "driving" }, RefusedSkill,
			func(t *testing.T, d Decision) {
				if d.Skill != "driving" {
					t.Errorf("skill %q", d.Skill)
				}
			}},
		{"opportunity needs a skill the volunteer has", func(r *Request) { r.Opportunity.Skills = []string{"first_aid"} }, SignedUp, nil},
		{"language", func(r *Request) { r.Opportunity.Languages = []string{"ar", "ur"} }, RefusedLanguage,
			func(t *testing.T, d Decision) {
				if d.Language != "ur" {
					t.Errorf("language %q", d.Language)
				}
			}},
		{"no-shows at the limit", func(r *Request) { r.NoShowLimit = 3; r.RecentNoShows = 3 }, RefusedNoShows, nil},
		{"no-shows under the limit", func(r *Request) { r.NoShowLimit = 3; r.RecentNoShows = 2 }, SignedUp, nil},
		{"overlapping shift", func(r *Request) {
			r.Commitments = []Commitment{{ShiftID: "s9", Title: "زيارة دار المسنين", StartsAt: start.Add(2 * time.Hour), EndsAt: start.Add(5 * time.Hour)}}
		}, RefusedClash, func(t *testing.T, d Decision) {
			if d.Clash == nil || d.Clash.ShiftID != "s9" {
				t.Errorf("clash %+v", d.Clash)
			}
		}},
		{"back-to-back is not a clash", func(r *Request) {
			r.Commitments = []Commitment{{ShiftID: "s9", StartsAt: start.Add(3 * time.Hour), EndsAt: start.Add(5 * time.Hour)}}
		}, SignedUp, nil},
		{"shifts per week", func(r *Request) {
			r.Volunteer.MaxShiftsWeek = 1
			// Saturday 28 November is the start of the same week.
			sat := time.Date(2026, 11, 28, 18, 0, 0, 0, riyadh)
			r.Commitments = []Commitment{{ShiftID: "s8", StartsAt: sat, EndsAt: sat.Add(time.Hour)}}
		}, RefusedWeeklyLimit, nil},
		{"last week does not count", func(r *Request) {
			r.Volunteer.MaxShiftsWeek = 1
			fri := time.Date(2026, 11, 27, 18, 0, 0, 0, riyadh)
			r.Commitments = []Commitment{{ShiftID: "s8", StartsAt: fri, EndsAt: fri.Add(time.Hour)}}
		}, SignedUp, nil},
		{"hours per week", func(r *Request) {
			r.Volunteer.MaxHoursWeek = 4
			sun := time.Date(2026, 11, 29, 18, 0, 0, 0, riyadh)
			r.Commitments = []Commitment{{ShiftID: "s8", StartsAt: sun, EndsAt: sun.Add(90 * time.Minute)}}
		}, RefusedWeeklyLimit, nil},
		{"the most fundamental reason first", func(r *Request) {
			r.Shift.Status = "cancelled"
			r.Opportunity.VettedOnly = true
			r.Role.Taken = 3
		}, RefusedCancelled, nil},
	}
	seen := map[Outcome]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base()
			c.change(&r)
			d := Decide(r)
			if d.Outcome != c.want {
				t.Fatalf("outcome %s, want %s", d.Outcome, c.want)
			}
			if c.check != nil {
				c.check(t, d)
			}
		})
		seen[c.want] = true
	}
	for _, o := range Outcomes {
		if !seen[o] {
			t.Errorf("no case covers outcome %s", o)
		}
	}
}

func TestWeekStartsOnSaturday(t *testing.T) {
	z := time.FixedZone("AST", 3*3600)
	for _, day := range []int{28, 29, 30, 1, 2, 3, 4} {
		month := time.November
		if day < 28 {
			month = time.December
		}
		got := WeekStart(time.Date(2026, month, day, 23, 30, 0, 0, z), z)
		if want := time.Date(2026, 11, 28, 0, 0, 0, 0, z); !got.Equal(want) {
			t.Errorf("%d %s: week starts %v, want %v", day, month, got, want)
		}
	}
}
