package check_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"sharaka/internal/assign"
	"sharaka/internal/assign/check"
)

// TestCheckAgreesWithEngine writes random instances with the engine's own
// types and encoder, so the formats truly match, and requires the checker
// to agree with assign.Objective and assign.Violations on valid and invalid
// assignment sets.
func TestCheckAgreesWithEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 1))
	valid, invalid := 0, 0
	for i := range 300 {
		in := randomInstance(rng)
		as := randomAssignments(rng, in)
		inJSON, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		outJSON, err := json.Marshal(assign.Result{Assignments: as})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := check.Check(inJSON, outJSON)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		want, err := assign.Objective(in, as)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		if rep.Objective != want {
			t.Errorf("instance %d: checker objective %d, engine %d", i, rep.Objective, want)
		}
		engine := assign.Violations(in, as)
		if (len(engine) == 0) != (len(rep.Violations) == 0) {
			t.Errorf("instance %d: checker %q, engine %q", i, rep.Violations, engine)
		}
		if rep.Slots != in.Slots() {
			t.Errorf("instance %d: checker counts %d slots, engine %d", i, rep.Slots, in.Slots())
		}
		if len(engine) == 0 {
			valid++
		} else {
			invalid++
		}
	}
	// Both kinds must be well represented or the agreement proves little.
	if valid < 60 || invalid < 60 {
		t.Fatalf("%d valid and %d invalid sets; want at least 60 of each", valid, invalid)
	}
}

var day = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func randomInstance(rng *rand.Rand) *assign.Instance {
	skills := []string{"medic", "driver", "leader"}
	langs := []string{"ar", "en", "fr"}
	pick := func(from []string) []string {
		var out []string
		for _, s := range from {
			if rng.IntN(2) == 0 {
				out = append(out, s)
			}
		}
		return out
	}
	near := func() assign.Point {
		return assign.Point{Lat: 30 + rng.Float64()*0.1, Lon: 31 + rng.Float64()*0.1}
	}
	in := &assign.Instance{Weights: assign.Weights{
		Unfilled: int64(500 + rng.IntN(1000)), Distance: int64(rng.IntN(3)),
		Preference: int64(rng.IntN(40)), Load: int64(rng.IntN(50)),
	}}
	for v := range 3 + rng.IntN(4) {
		vol := assign.Volunteer{
			ID: fmt.Sprintf("v%d", v), Home: near(), Skills: pick(skills), Age: rng.IntN(4) * 12,
			Languages: pick(langs), RadiusKm: 3 + rng.Float64()*15, MaxShifts: rng.IntN(4),
			MaxHours: float64(rng.IntN(20)) / 2, Prefers: pick([]string{"o1", "o2", "o3"}),
		}
		vol.Gender = []assign.Gender{"", assign.Female, assign.Male}[rng.IntN(3)]
		for range 1 + rng.IntN(2) {
			start := day.Add(time.Duration(rng.IntN(8)) * time.Hour)
			vol.Availability = append(vol.Availability, assign.Window{Start: start, End: start.Add(time.Duration(4+rng.IntN(12)) * time.Hour)})
		}
		in.Volunteers = append(in.Volunteers, vol)
	}
	for s := range 2 + rng.IntN(3) {
		start := day.Add(time.Duration(6+rng.IntN(20)) * 30 * time.Minute)
		sh := assign.Shift{
			ID: fmt.Sprintf("s%d", s), Opportunity: []string{"", "o1", "o2", "o3"}[rng.IntN(4)], Place: near(),
			Start: start, End: start.Add(time.Duration(1+rng.IntN(6)) * 30 * time.Minute),
			Gender: []assign.GenderRule{"", assign.GenderAny, "", assign.WomenOnly, assign.MenOnly}[rng.IntN(5)],
			MinAge: rng.IntN(3) / 2 * 18, Priority: 1 + rng.IntN(5),
		}
		if rng.IntN(4) == 0 {
			sh.Languages = pick(langs)
		}
		for range 1 + rng.IntN(2) {
			role := assign.Role{Slots: 1 + rng.IntN(2)}
			if rng.IntN(3) == 0 {
				role.Skill = skills[rng.IntN(len(skills))]
			}
			sh.Roles = append(sh.Roles, role)
		}
		in.Shifts = append(in.Shifts, sh)
	}
	return in
}

// randomAssignments adds random (volunteer, shift, role) triples that keep
// the set valid, then, half the time, one more that may break it.
func randomAssignments(rng *rand.Rand, in *assign.Instance) []assign.Assignment {
	var triples []assign.Assignment
	for _, v := range in.Volunteers {
		for _, s := range in.Shifts {
			for r := range s.Roles {
				triples = append(triples, assign.Assignment{Volunteer: v.ID, Shift: s.ID, Role: r})
			}
		}
	}
	rng.Shuffle(len(triples), func(i, j int) { triples[i], triples[j] = triples[j], triples[i] })
	var as []assign.Assignment
	for _, a := range triples {
		if len(assign.Violations(in, append(as, a))) == 0 {
			as = append(as, a)
		}
	}
	if rng.IntN(2) == 0 {
		as = append(as, triples[rng.IntN(len(triples))])
	}
	return as
}
