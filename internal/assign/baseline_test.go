package assign

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"
)

// blAt is a point km north of the city centre, along the meridian.
func blAt(km float64) Point {
	return Point{Lat: genCentre.Lat + km/(6371*math.Pi/180), Lon: genCentre.Lon}
}

// blVol is a volunteer at home at the centre, free all week, who travels
// 30 km and takes up to 4 shifts.
func blVol(id string, skills ...string) Volunteer {
	return Volunteer{ID: id, Home: blAt(0), Skills: skills, Availability: []Window{genWeek},
		RadiusKm: 30, MaxShifts: 4, MaxHours: 40}
}

// blShift is a priority-3 shift km from the centre on the week's first day.
func blShift(id string, km float64, fromHour, toHour int, roles ...Role) Shift {
	return Shift{ID: id, Place: blAt(km), Start: genAt(0, fromHour), End: genAt(0, toHour), Roles: roles, Priority: 3}
}

func blPlain(n int) Role { return Role{Slots: n} }

// blPlaced lists the assignments as "volunteer→shift/role".
func blPlaced(as []Assignment) string {
	var s string
	for _, a := range as {
		s += fmt.Sprintf("%s→%s/%d ", a.Volunteer, a.Shift, a.Role)
	}
	return s
}

func blRun(t *testing.T, in *Instance) []Assignment {
	t.Helper()
	in.Weights = DefaultWeights()
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	as := Baseline(in)
	if v := Violations(in, as); len(v) > 0 {
		t.Fatalf("baseline breaks hard constraints: %v", v)
	}
	return as
}

func TestBaselineSignsUpNearestFirstWithinLimits(t *testing.T) {
	for _, c := range []struct {
		name   string
		vol    func(*Volunteer)
		shifts []Shift
		want   string
	}{{
		name: "nearest of two",
		vol:  func(v *Volunteer) { v.MaxShifts = 1 },
		shifts: []Shift{
			blShift("far", 5, 10, 12, blPlain(3)),
			blShift("near", 1, 14, 16, blPlain(3)),
		},
		want: "a→near/0 ",
	}, {
		name: "skips an overlap, stops at the shift limit",
		vol:  func(v *Volunteer) { v.MaxShifts = 2 },
		shifts: []Shift{
			blShift("d", 4, 19, 20, blPlain(1)),
			blShift("c", 3, 15, 18, blPlain(1)),
			blShift("b", 2, 11, 14, blPlain(1)),
			blShift("a", 1, 10, 13, blPlain(1)),
		},
		want: "a→a/0 a→c/0 ",
	}, {
		name: "skips a shift that passes the hour limit",
		vol:  func(v *Volunteer) { v.MaxHours = 5 },
		shifts: []Shift{
			blShift("a", 1, 8, 11, blPlain(1)),
			blShift("b", 2, 12, 15, blPlain(1)),
			blShift("c", 3, 16, 18, blPlain(1)),
		},
		want: "a→a/0 a→c/0 ",
	}, {
		name: "never beyond the radius or outside availability",
		vol: func(v *Volunteer) {
			v.RadiusKm = 10
			v.Availability = []Window{{Start: genAt(0, 8), End: genAt(0, 14)}}
		},
		shifts: []Shift{
			blShift("outside", 11, 9, 11, blPlain(1)),
			blShift("late", 1, 13, 15, blPlain(1)),
			blShift("ok", 9, 9, 11, blPlain(1)),
		},
		want: "a→ok/0 ",
	}, {
		name: "a skill role of theirs before the plain one, one role per shift",
		shifts: []Shift{
			blShift("a", 1, 8, 11, blPlain(5), Role{Skill: "cooking", Slots: 1}, Role{Skill: "first_aid", Slots: 1}),
		},
		want: "a→a/2 ",
	}} {
		t.Run(c.name, func(t *testing.T) {
			v := blVol("a", "first_aid")
			if c.vol != nil {
				c.vol(&v)
			}
			in := &Instance{Volunteers: []Volunteer{v}, Shifts: c.shifts}
			if got := blPlaced(blRun(t, in)); got != c.want {
				t.Errorf("placed %q, want %q", got, c.want)
			}
		})
	}
}

func TestBaselineFirstComeFirstServed(t *testing.T) {
	// The later volunteer lives closer, but the earlier one signs up first.
	late := blVol("late")
	late.Home = blAt(2)
	in := &Instance{
		Volunteers: []Volunteer{blVol("early"), late, blVol("third")},
		Shifts:     []Shift{blShift("s", 2, 8, 11, blPlain(2))},
	}
	if got, want := blPlaced(blRun(t, in)), "early→s/0 late→s/0 "; got != want {
		t.Errorf("placed %q, want %q", got, want)
	}
}

// TestBaselineMissesWhatAPlanSees shows the classic failure of sign-up
// sheets: the only first-aider arrives first and takes the nearest plain
// slot, so the first-aid slot stays empty and the next volunteer finds the
// plain slot gone. Placing both by plan fills both slots.
func TestBaselineMissesWhatAPlanSees(t *testing.T) {
	second := blVol("second")
	second.RadiusKm = 2 // reaches the plain shift only
	in := &Instance{
		Volunteers: []Volunteer{blVol("medic", "first_aid"), second},
		Shifts: []Shift{
			blShift("aid", 5, 9, 12, Role{Skill: "first_aid", Slots: 1}),
			blShift("stalls", 1, 10, 13, blPlain(1)),
		},
	}
	fcfs := blRun(t, in)
	plan := []Assignment{{Volunteer: "medic", Shift: "aid"}, {Volunteer: "second", Shift: "stalls"}}
	if v := Violations(in, plan); len(v) > 0 {
		t.Fatalf("the plan is not valid: %v", v)
	}
	if got, want := blPlaced(fcfs), "medic→stalls/0 "; got != want {
		t.Fatalf("baseline placed %q, want %q", got, want)
	}
	if b, p := Measure(in, fcfs).Filled, Measure(in, plan).Filled; b != 1 || p != 2 {
		t.Errorf("filled: baseline %d, plan %d", b, p)
	}
	ob, _ := Objective(in, fcfs)
	op, _ := Objective(in, plan)
	if op >= ob {
		t.Errorf("objective: plan %d, baseline %d", op, ob)
	}
}

// TestBaselineIsValidAndLeavesNobodyOut runs the baseline on generated
// cities and checks it with Violations, then checks what first-come sign-up
// promises: every slot left open was open when each eligible volunteer
// came, so adding any eligible volunteer to it must break a hard
// constraint (an overlap or a limit of theirs).
func TestBaselineIsValidAndLeavesNobodyOut(t *testing.T) {
	for _, c := range []GenConfig{
		{Volunteers: 400, Shifts: 60, Seed: 11},
		{Volunteers: 300, Shifts: 120, Seed: 12, Scarce: true},
	} {
		in := Generate(c)
		as := Baseline(in)
		if v := Violations(in, as); len(v) > 0 {
			t.Fatalf("%+v: %d violations, first %s", c, len(v), v[0])
		}
		if len(as) == 0 {
			t.Fatalf("%+v: nobody placed", c)
		}
		filled := map[[2]int]int{}
		si := map[string]int{}
		for s := range in.Shifts {
			si[in.Shifts[s].ID] = s
		}
		own := map[string][]Assignment{}
		for _, a := range as {
			filled[[2]int{si[a.Shift], a.Role}]++
			own[a.Volunteer] = append(own[a.Volunteer], a)
		}
		open := 0
		for s := range in.Shifts {
			for r, role := range in.Shifts[s].Roles {
				if filled[[2]int{s, r}] >= role.Slots {
					continue
				}
				for v := range in.Volunteers {
					vol := &in.Volunteers[v]
					if Ineligible(vol, &in.Shifts[s], r) != Eligible {
						continue
					}
					open++
					// The slot is open, so only the volunteer's own
					// placements can stand in the way.
					mine := own[vol.ID]
					more := append(mine[:len(mine):len(mine)], Assignment{Volunteer: vol.ID, Shift: in.Shifts[s].ID, Role: r})
					if len(Violations(in, more)) == 0 {
						t.Errorf("%+v: %s could still take %s role %d", c, vol.ID, in.Shifts[s].ID, r)
					}
				}
			}
		}
		if open == 0 {
			t.Errorf("%+v: no eligible volunteer for an open slot; the check checked nothing", c)
		}
	}
}

// blReference is first-come sign-up written plainly, pair by pair, to
// check the fast one against.
func blReference(in *Instance) []Assignment {
	room := make([][]int, len(in.Shifts))
	for s, sh := range in.Shifts {
		for _, r := range sh.Roles {
			room[s] = append(room[s], r.Slots)
		}
	}
	var out []Assignment
	for v := range in.Volunteers {
		vol := &in.Volunteers[v]
		order := make([]int, len(in.Shifts))
		km := make([]float64, len(in.Shifts))
		for s := range order {
			order[s], km[s] = s, DistanceKm(vol.Home, in.Shifts[s].Place)
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmp.Or(cmp.Compare(km[a], km[b]), in.Shifts[a].Start.Compare(in.Shifts[b].Start))
		})
		var taken []int
		var minutes int64
		for _, s := range order {
			sh := &in.Shifts[s]
			if len(taken) == vol.MaxShifts || minutes+sh.Minutes() > vol.MaxMinutes() ||
				slices.ContainsFunc(taken, func(t int) bool { return Overlap(&in.Shifts[t], sh) }) {
				continue
			}
			pick := -1
			for r, role := range sh.Roles {
				if room[s][r] > 0 && Ineligible(vol, sh, r) == Eligible && (pick < 0 || role.Skill != "" && sh.Roles[pick].Skill == "") {
					pick = r
				}
			}
			if pick >= 0 {
				room[s][pick]--
				taken = append(taken, s)
				minutes += sh.Minutes()
				out = append(out, Assignment{Volunteer: vol.ID, Shift: sh.ID, Role: pick})
			}
		}
	}
	return out
}

func TestBaselineMatchesAPlainReading(t *testing.T) {
	for _, c := range []GenConfig{
		{Volunteers: 600, Shifts: 80, Seed: 21},
		{Volunteers: 400, Shifts: 160, Seed: 22, Scarce: true},
	} {
		in := Generate(c)
		got, want := Baseline(in), blReference(in)
		if !slices.Equal(got, want) {
			t.Errorf("%+v: baseline and the plain reading differ:\n%s\n%s", c, blPlaced(got), blPlaced(want))
		}
	}
}

// BenchmarkBaseline signs up 100,000 volunteers for 10,000 shifts:
// go test ./internal/assign/ -run '^$' -bench Baseline -benchtime 1x
func BenchmarkBaseline(b *testing.B) {
	in := Generate(GenConfig{Volunteers: 100_000, Shifts: 10_000, Seed: 1})
	for b.Loop() {
		as := Baseline(in)
		b.ReportMetric(float64(len(as)), "placed")
	}
}
