package assign

import (
	"slices"
	"testing"
)

func TestShortages(t *testing.T) {
	woman := func(id string, km float64, skills ...string) Volunteer {
		v := exVol(id, km, skills...)
		v.Gender = Female
		return v
	}
	tired := woman("tired", 2, "first_aid")
	tired.MaxShifts = 1
	man := exVol("man", 1, "first_aid")
	man.Gender = Male
	vs := []Volunteer{
		woman("held", 1, "first_aid"),    // in the role
		woman("overlap", 2, "first_aid"), // on an overlapping shift
		tired,                            // at her shift limit
		woman("far", 30, "first_aid"),    // out of reach
		woman("cook", 1, "cooking"),      // lacks the skill
		man,                              // the shift is for women
	}
	medics := exShift("medics", 0, Role{Skill: "first_aid", Slots: 3}, Role{Slots: 1})
	medics.Gender = WomenOnly
	plain := Role{Slots: 1}
	in := exInstance(vs, medics, exShift("clash", 1, plain), exShift("morning", 5, plain), exShift("empty", 8, Role{Slots: 2}, Role{Skill: "first_aid"}))
	as := []Assignment{exPlace("held", "medics", 0), exPlace("cook", "medics", 1), exPlace("overlap", "clash", 0), exPlace("tired", "morning", 0)}

	want := []Shortage{
		{Shift: "medics", Role: 0, Skill: "first_aid", Gender: WomenOnly, Empty: 2, Eligible: 3, Busy: 2, Needed: 2},
		// Everyone free then could take it, so nobody need be recruited;
		// the shift's role with no slots is never short.
		{Shift: "empty", Role: 0, Gender: GenderAny, Empty: 2, Eligible: 5, Busy: 1, Needed: 0},
	}
	if got := Shortages(in, as); !slices.Equal(got, want) {
		t.Errorf("Shortages:\n got %+v\nwant %+v", got, want)
	}

	// One more first-aider, free then and not placed, lowers what is
	// needed: she could fill a slot now.
	in.Volunteers = append(in.Volunteers, woman("spare", 3, "first_aid"))
	got := Shortages(in, as)
	if g := got[0]; g.Eligible != 4 || g.Busy != 2 || g.Needed != 1 || g.Empty != 2 {
		t.Errorf("with a spare first-aider: %+v", g)
	}

	// Filled, nothing is short.
	full := append(slices.Clone(as), exPlace("spare", "medics", 0), exPlace("far", "medics", 0),
		exPlace("held", "empty", 0), exPlace("cook", "empty", 0))
	if got := Shortages(in, full); len(got) != 0 {
		t.Errorf("a filled distribution is short: %+v", got)
	}
}

func TestShortageSummary(t *testing.T) {
	got := ShortageSummary([]Shortage{
		{Shift: "a", Skill: "first_aid", Gender: WomenOnly, Empty: 2, Needed: 2},
		{Shift: "b", Empty: 3, Needed: 3},
		{Shift: "b", Role: 1, Gender: GenderAny, Empty: 1, Needed: 1},
		{Shift: "c", Skill: "first_aid", Gender: WomenOnly, Empty: 2, Needed: 2},
		{Shift: "c", Role: 1, Skill: "first_aid", Gender: GenderAny, Empty: 1, Needed: 1},
		{Shift: "d", Skill: "driving", Gender: MenOnly, Empty: 5, Needed: 0},
	})
	want := []Need{
		{Skill: "first_aid", Gender: WomenOnly, Slots: 4, Shifts: 2},
		{Gender: GenderAny, Slots: 4, Shifts: 1},
		{Skill: "first_aid", Gender: GenderAny, Slots: 1, Shifts: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ShortageSummary:\n got %+v\nwant %+v", got, want)
	}
	if got := ShortageSummary(nil); len(got) != 0 {
		t.Errorf("nothing short gave %+v", got)
	}
}

func TestShortageMessageIDs(t *testing.T) {
	for _, tc := range []struct {
		skill string
		g     GenderRule
		want  string
	}{
		{"", GenderAny, "any"},
		{"", "", "any"},
		{"", WomenOnly, "women"},
		{"first_aid", MenOnly, "skill_men"},
		{"first_aid", GenderAny, "skill_any"},
	} {
		if got := (Shortage{Skill: tc.skill, Gender: tc.g}).MessageID(); got != "assign.shortage."+tc.want {
			t.Errorf("shortage %q %q: %s", tc.skill, tc.g, got)
		}
		if got := (Need{Skill: tc.skill, Gender: tc.g}).MessageID(); got != "assign.need."+tc.want {
			t.Errorf("need %q %q: %s", tc.skill, tc.g, got)
		}
	}
}
