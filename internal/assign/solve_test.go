package assign

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

var tinyT0 = time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC)

// tiny makes a small random instance with overlaps, skills, limits,
// preferences and gender rules, small enough to enumerate.
func tiny(r *rand.Rand) *Instance {
	in := &Instance{Weights: Weights{Unfilled: 1000 + r.Int64N(3)*500, Distance: 1 + r.Int64N(3), Preference: r.Int64N(40), Load: r.Int64N(60)}}
	skills := []string{"first_aid", "driving", "leader"}
	centre := Point{Lat: 24.47, Lon: 39.61}
	jitter := func() Point {
		return Point{Lat: centre.Lat + (r.Float64()-0.5)*0.1, Lon: centre.Lon + (r.Float64()-0.5)*0.1}
	}
	ns := 2 + r.IntN(3)
	for s := range ns {
		start := tinyT0.Add(time.Duration(r.IntN(8)) * time.Hour)
		sh := Shift{
			ID: fmt.Sprintf("s%d", s), Opportunity: fmt.Sprintf("o%d", r.IntN(2)), Place: jitter(),
			Start: start, End: start.Add(time.Duration(2+r.IntN(3)) * time.Hour), Priority: 1 + r.IntN(5),
		}
		sh.Roles = append(sh.Roles, Role{Slots: 1 + r.IntN(2)})
		if r.IntN(2) == 0 {
			sh.Roles = append(sh.Roles, Role{Skill: skills[r.IntN(len(skills))], Slots: 1})
		}
		switch r.IntN(6) {
		case 0:
			sh.Gender = WomenOnly
		case 1:
			sh.Gender = MenOnly
		}
		if r.IntN(5) == 0 {
			sh.MinAge = 18
		}
		in.Shifts = append(in.Shifts, sh)
	}
	nv := 3 + r.IntN(4)
	for v := range nv {
		vol := Volunteer{
			ID: fmt.Sprintf("v%d", v), Home: jitter(), RadiusKm: 4 + r.Float64()*10,
			MaxShifts: 1 + r.IntN(3), MaxHours: float64(3 + r.IntN(8)), Age: 15 + r.IntN(30),
			Availability: []Window{{Start: tinyT0.Add(-time.Hour), End: tinyT0.Add(time.Duration(9+r.IntN(8)) * time.Hour)}},
		}
		vol.Gender = []Gender{Female, Male, ""}[r.IntN(3)]
		for _, sk := range skills {
			if r.IntN(2) == 0 {
				vol.Skills = append(vol.Skills, sk)
			}
		}
		if r.IntN(2) == 0 {
			vol.Prefers = []string{fmt.Sprintf("o%d", r.IntN(2))}
		}
		in.Volunteers = append(in.Volunteers, vol)
	}
	return in
}

// bruteForce enumerates every distribution: for each (volunteer, shift)
// pair none or one role, pruned only by the hard constraints.
func bruteForce(in *Instance) int64 {
	type pair struct{ v, s int }
	var pairs []pair
	for v := range in.Volunteers {
		for s := range in.Shifts {
			pairs = append(pairs, pair{v, s})
		}
	}
	best := int64(1) << 62
	var cur []Assignment
	// Partial sets are checked without the pins, which only the whole set
	// must hold; removed pairs are skipped below.
	free := *in
	free.Pinned, free.Excluded = nil, nil
	excluded := map[[2]string]bool{}
	for _, p := range in.Excluded {
		excluded[[2]string{p.Volunteer, p.Shift}] = true
	}
	var rec func(i int)
	rec = func(i int) {
		if i == len(pairs) {
			if len(Violations(&free, cur)) > 0 {
				return
			}
			for _, p := range in.Pinned {
				if !slices.ContainsFunc(cur, func(a Assignment) bool {
					return a.Volunteer == p.Volunteer && a.Shift == p.Shift && a.Role == p.Role
				}) {
					return
				}
			}
			obj, err := Objective(in, cur)
			if err != nil {
				panic(err)
			}
			best = min(best, obj)
			return
		}
		rec(i + 1)
		p := pairs[i]
		if excluded[[2]string{in.Volunteers[p.v].ID, in.Shifts[p.s].ID}] {
			return
		}
		for r := range in.Shifts[p.s].Roles {
			if Ineligible(&in.Volunteers[p.v], &in.Shifts[p.s], r) != Eligible {
				continue
			}
			cur = append(cur, Assignment{Volunteer: in.Volunteers[p.v].ID, Shift: in.Shifts[p.s].ID, Role: r})
			if len(Violations(&free, cur)) == 0 {
				rec(i + 1)
			}
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
	return best
}

func TestSolveMatchesExhaustiveSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	heuristicHits, cases := 0, 200
	for c := range cases {
		in := tiny(r)
		want := bruteForce(in)
		res, err := Solve(context.Background(), in, Options{ExactArcs: 64})
		if err != nil {
			t.Fatal(err)
		}
		if v := Violations(in, res.Assignments); len(v) > 0 {
			t.Fatalf("case %d: %v", c, v)
		}
		got, _ := Objective(in, res.Assignments)
		if got != res.Objective {
			t.Fatalf("case %d: reported objective %d, recomputed %d", c, res.Objective, got)
		}
		if got != want || !res.Optimal {
			t.Fatalf("case %d: objective %d (optimal %v), exhaustive search %d", c, got, res.Optimal, want)
		}
		// The heuristic alone, with its bound.
		h, err := Solve(context.Background(), in, Options{BoundIterations: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !h.BoundKnown || h.Bound > want {
			t.Fatalf("case %d: bound %d above the optimum %d", c, h.Bound, want)
		}
		if h.Objective < want || len(Violations(in, h.Assignments)) > 0 {
			t.Fatalf("case %d: heuristic %d below the optimum %d or invalid", c, h.Objective, want)
		}
		if h.Objective == want {
			heuristicHits++
		}
	}
	t.Logf("heuristic alone optimal on %d of %d tiny instances", heuristicHits, cases)
	if heuristicHits < cases*85/100 {
		t.Errorf("heuristic alone optimal on only %d of %d tiny instances", heuristicHits, cases)
	}
}

// TestPinsAndExclusionsAreHonoured: a coordinator's pins stay, removed
// pairs never come back, and the rest is still optimal.
func TestPinsAndExclusionsAreHonoured(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	tested := 0
	for c := 0; tested < 60 && c < 1000; c++ {
		in := tiny(r)
		first, err := Solve(context.Background(), in, Options{ExactArcs: 64})
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Assignments) < 2 {
			continue
		}
		tested++
		// Keep one placement, remove another: the coordinator's edit.
		keep := first.Assignments[r.IntN(len(first.Assignments))]
		drop := first.Assignments[r.IntN(len(first.Assignments))]
		if drop.Volunteer == keep.Volunteer && drop.Shift == keep.Shift {
			drop = Assignment{}
		}
		in.Pinned = []Pin{{Volunteer: keep.Volunteer, Shift: keep.Shift, Role: keep.Role}}
		if drop.Volunteer != "" {
			in.Excluded = []Pin{{Volunteer: drop.Volunteer, Shift: drop.Shift}}
		}
		for _, opt := range []Options{{ExactArcs: 64}, DefaultOptions()} {
			res, err := Solve(context.Background(), in, opt)
			if err != nil {
				t.Fatalf("case %d: %v", c, err)
			}
			if v := Violations(in, res.Assignments); len(v) > 0 {
				t.Fatalf("case %d: %v", c, v)
			}
			var pinned bool
			for _, a := range res.Assignments {
				if a.Volunteer == keep.Volunteer && a.Shift == keep.Shift && a.Role == keep.Role {
					pinned = true
				}
				if a.Volunteer == drop.Volunteer && a.Shift == drop.Shift {
					t.Fatalf("case %d: removed %s on %s placed again", c, drop.Volunteer, drop.Shift)
				}
			}
			if !pinned {
				t.Fatalf("case %d: pinned %s on %s dropped", c, keep.Volunteer, keep.Shift)
			}
			if opt.ExactArcs > 0 {
				if want := bruteForce(in); res.Objective != want {
					t.Fatalf("case %d: objective %d with pins, exhaustive search %d", c, res.Objective, want)
				}
			}
		}
	}
	if tested < 60 {
		t.Fatalf("only %d instances to pin in", tested)
	}
}

func TestImpossiblePinsAreRefused(t *testing.T) {
	in := tiny(rand.New(rand.NewPCG(13, 14)))
	in.Volunteers[0].Skills = nil
	in.Shifts[0].Roles = []Role{{Skill: "nursing", Slots: 1}}
	in.Pinned = []Pin{{Volunteer: in.Volunteers[0].ID, Shift: in.Shifts[0].ID}}
	if _, err := Solve(context.Background(), in, DefaultOptions()); err == nil {
		t.Fatal("a pin without the role's skill was accepted")
	}
	in.Pinned = []Pin{{Volunteer: "nobody", Shift: in.Shifts[0].ID}}
	if _, err := Solve(context.Background(), in, DefaultOptions()); err == nil {
		t.Fatal("a pin of an unknown volunteer was accepted")
	}
}

// TestCandidatesAreExactlyTheEligiblePairs checks the grid and time
// buckets against testing every pair, on places spread over a country.
func TestCandidatesAreExactlyTheEligiblePairs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for c := range 40 {
		in := tiny(r)
		spread := 0.1 + r.Float64()*8 // degrees: a city to a country
		for i := range in.Volunteers {
			in.Volunteers[i].Home = Point{Lat: 24 + (r.Float64()-0.5)*spread, Lon: 40 + (r.Float64()-0.5)*spread}
			in.Volunteers[i].RadiusKm = r.Float64() * 300 * spread
			in.Volunteers[i].Availability = append(in.Volunteers[i].Availability, Window{Start: tinyT0.Add(20 * time.Hour), End: tinyT0.Add(23 * time.Hour)})
		}
		for i := range in.Shifts {
			in.Shifts[i].Place = Point{Lat: 24 + (r.Float64()-0.5)*spread, Lon: 40 + (r.Float64()-0.5)*spread}
		}
		m, err := newModel(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, a := range m.arcs {
			got = append(got, fmt.Sprintf("%d/%d/%d", a.v, a.s, m.groups[a.g].role))
		}
		for v := range in.Volunteers {
			for s := range in.Shifts {
				for ro := range in.Shifts[s].Roles {
					if Ineligible(&in.Volunteers[v], &in.Shifts[s], ro) == Eligible {
						want = append(want, fmt.Sprintf("%d/%d/%d", v, s, ro))
					}
				}
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: candidates %v, eligible pairs %v", c, got, want)
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		in := tiny(r)
		a, err := Solve(context.Background(), in, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Solve(context.Background(), in, DefaultOptions())
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
		}
	}
}

func TestSolveRefusesAMalformedInstance(t *testing.T) {
	in := tiny(rand.New(rand.NewPCG(7, 8)))
	in.Shifts[0].Priority = 9
	if _, err := Solve(context.Background(), in, DefaultOptions()); err == nil {
		t.Fatal("priority 9 accepted")
	}
}

// TestSolveEdgeCases: empty instances, nobody available, shifts without
// slots and a lone volunteer far away all give a valid, explained answer.
func TestSolveEdgeCases(t *testing.T) {
	base := tiny(rand.New(rand.NewPCG(21, 22)))
	cases := map[string]func(in *Instance){
		"nothing":       func(in *Instance) { in.Volunteers, in.Shifts = nil, nil },
		"no volunteers": func(in *Instance) { in.Volunteers = nil },
		"no shifts":     func(in *Instance) { in.Shifts = nil },
		"nobody available": func(in *Instance) {
			for i := range in.Volunteers {
				in.Volunteers[i].Availability = nil
			}
		},
		"no slots": func(in *Instance) {
			for i := range in.Shifts {
				in.Shifts[i].Roles = nil
			}
		},
		"far away": func(in *Instance) {
			for i := range in.Volunteers {
				in.Volunteers[i].Home = Point{Lat: -33.9, Lon: 151.2}
			}
		},
	}
	for name, edit := range cases {
		in := *base
		in.Volunteers = slices.Clone(base.Volunteers)
		in.Shifts = slices.Clone(base.Shifts)
		edit(&in)
		res, err := Solve(context.Background(), &in, DefaultOptions())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := Objective(&in, nil)
		if name != "no slots" && name != "nothing" && name != "no shifts" && (res.Filled != 0 || res.Objective != want) {
			t.Errorf("%s: filled %d, objective %d, want nothing placed at %d", name, res.Filled, res.Objective, want)
		}
		if len(res.Shortages) == 0 && res.Slots > res.Filled {
			t.Errorf("%s: %d empty slots and no shortage reported", name, res.Slots-res.Filled)
		}
	}
}
