package assign

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLPMatchesExhaustiveSearch solves the LP of random tiny instances with
// CBC and requires its optimum to equal the best objective found by trying
// every valid assignment, and CBC's solution read back to be valid and to
// cost what CBC says.
func TestLPMatchesExhaustiveSearch(t *testing.T) {
	lpNeedCBC(t)
	rng := rand.New(rand.NewPCG(7, 11))
	placedTwo := 0
	for i := range 30 {
		in := lpTinyInstance(rng)
		want, best := lpExhaustive(t, in)
		as, lp := lpSolveWithCBC(t, in, want)
		if t.Failed() {
			t.Fatalf("instance %d: exhaustive optimum %d by %v\n%s", i, want, best, lp)
		}
		if len(as) > 1 {
			placedTwo++
		}
	}
	if placedTwo < 15 {
		t.Fatalf("only %d of 30 optima place two people or more; the instances test too little", placedTwo)
	}
}

// TestLPKeepsOneVolunteersLimits: one volunteer and four one-slot shifts in
// a row (the last two overlap). The shift limit, the hour limit and the
// load term each decide how many shifts the volunteer takes.
func TestLPKeepsOneVolunteersLimits(t *testing.T) {
	lpNeedCBC(t)
	day := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	home := Point{Lat: 24.4, Lon: 39.6}
	base := Instance{
		Weights:    Weights{Unfilled: 1000, Distance: 1, Preference: 0},
		Volunteers: []Volunteer{{ID: "v", Home: home, RadiusKm: 5, Availability: []Window{{Start: at(7, 0), End: at(20, 0)}}}},
	}
	for i, w := range [][2]time.Time{{at(8, 0), at(9, 0)}, {at(9, 0), at(10, 0)}, {at(10, 0), at(11, 0)}, {at(10, 30), at(11, 30)}} {
		base.Shifts = append(base.Shifts, Shift{
			ID: fmt.Sprintf("s%d", i), Place: home, Start: w[0], End: w[1], Priority: 1, Roles: []Role{{Slots: 1}, {Slots: 1}},
		})
	}
	cases := []struct {
		name      string
		maxShifts int
		maxHours  float64
		load      int64
		taken     int
	}{
		{"shift limit", 2, 8, 0, 2},
		{"shift limit with load", 2, 8, 100, 2},
		{"hour limit", 4, 2.5, 0, 2},
		{"overlap", 4, 8, 0, 3},
		{"load below the slot penalty", 3, 8, 400, 3},
		{"load above the slot penalty", 3, 8, 700, 2}, // a third shift costs 1400 > 1000
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base
			in.Volunteers = slices.Clone(base.Volunteers)
			in.Volunteers[0].MaxShifts, in.Volunteers[0].MaxHours = c.maxShifts, c.maxHours
			in.Weights.Load = c.load
			want, _ := lpExhaustive(t, &in)
			if as, lp := lpSolveWithCBC(t, &in, want); len(as) != c.taken {
				t.Fatalf("cbc placed %v, want %d shifts\n%s", as, c.taken, lp)
			}
		})
	}
}

func TestLPOfAnInstanceWithoutVolunteers(t *testing.T) {
	lpNeedCBC(t)
	in := lpTinyInstance(rand.New(rand.NewPCG(9, 9)))
	in.Volunteers = nil
	want, _ := Objective(in, nil)
	if want == 0 {
		t.Fatal("the instance has no slot")
	}
	lpSolveWithCBC(t, in, want)
}

func lpNeedCBC(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc is not installed (Debian: apt-get install coinor-cbc); the LP cannot be checked")
	}
}

// lpSolveWithCBC writes the instance's LP, solves it with CBC and reports
// an error unless CBC proves the optimum want and its solution, read back,
// is valid and costs want. It returns that solution and the LP text.
func lpSolveWithCBC(t *testing.T, in *Instance, want int64) ([]Assignment, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLP(&buf, in); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "instance.lp")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := RunCBC(context.Background(), path, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Optimal || !res.Feasible || res.Objective != float64(want) {
		t.Errorf("cbc: %q, objective %v; want the optimum %d", res.Status, res.Objective, want)
	}
	as, err := LPAssignments(in, res.Values)
	if err != nil {
		t.Fatal(err)
	}
	if v := Violations(in, as); len(v) > 0 {
		t.Errorf("cbc's solution breaks %q", v)
	}
	if got, _ := Objective(in, as); got != want {
		t.Errorf("cbc's solution costs %d, want %d", got, want)
	}
	return as, buf.String()
}

func TestWriteLPRefusesAMalformedInstance(t *testing.T) {
	in := lpTinyInstance(rand.New(rand.NewPCG(9, 9)))
	in.Weights.Load = -1
	if err := WriteLP(io.Discard, in); err == nil {
		t.Fatal("a negative load weight was written")
	}
}

// lpTinyInstance: 3–6 volunteers, 2–4 shifts of 1–2 roles in one day
// (some overlap, some follow each other), a few km apart, with skills, limits and preferences.
func lpTinyInstance(rng *rand.Rand) *Instance {
	day := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	near := func() Point { return Point{Lat: 24.4 + rng.Float64()*0.06, Lon: 39.6 + rng.Float64()*0.06} }
	skills := []string{"medic", "driver"}
	in := &Instance{Weights: Weights{
		Unfilled: 1000, Distance: int64(1 + rng.IntN(3)), Preference: int64(rng.IntN(60)), Load: int64(max(0, rng.IntN(90)-30)), // a third without load
	}}
	for s := range 2 + rng.IntN(3) {
		start := day.Add(time.Duration(8*60+30*rng.IntN(14)) * time.Minute)
		sh := Shift{
			ID: fmt.Sprintf("s%d", s), Opportunity: fmt.Sprintf("o%d", rng.IntN(3)), Place: near(),
			Start: start, End: start.Add(time.Duration(60+30*rng.IntN(3)) * time.Minute), Priority: 1 + rng.IntN(5),
		}
		for r := range 1 + rng.IntN(2) {
			role := Role{Slots: 1 + rng.IntN(2)}
			if r > 0 || rng.IntN(3) == 0 {
				role.Skill = skills[rng.IntN(2)]
			}
			sh.Roles = append(sh.Roles, role)
		}
		if rng.IntN(5) == 0 {
			sh.Gender = WomenOnly
		}
		in.Shifts = append(in.Shifts, sh)
	}
	for v := range 3 + rng.IntN(4) {
		vol := Volunteer{
			ID: fmt.Sprintf("v%d", v), Home: near(), RadiusKm: 4 + rng.Float64()*8,
			MaxShifts: 1 + rng.IntN(3), MaxHours: float64(2 + rng.IntN(7)),
			Availability: []Window{{Start: day.Add(7 * time.Hour), End: day.Add(time.Duration(13+rng.IntN(6)) * time.Hour)}},
			Gender:       []Gender{Female, Male, ""}[rng.IntN(3)],
		}
		for _, sk := range skills {
			if rng.IntN(3) > 0 {
				vol.Skills = append(vol.Skills, sk)
			}
		}
		for range rng.IntN(3) {
			vol.Prefers = append(vol.Prefers, fmt.Sprintf("o%d", rng.IntN(3)))
		}
		in.Volunteers = append(in.Volunteers, vol)
	}
	return in
}

// lpExhaustive tries every way to give each (volunteer, shift) pair no role
// or one role, pruning only what breaks a hard constraint, and returns the
// lowest objective of a set assign.Violations accepts, with that set.
func lpExhaustive(t *testing.T, in *Instance) (int64, []Assignment) {
	t.Helper()
	nv, ns := len(in.Volunteers), len(in.Shifts)
	fill := make([][]int, ns)
	for s := range in.Shifts {
		fill[s] = make([]int, len(in.Shifts[s].Roles))
	}
	taken := make([][]int, nv)
	minutes := make([]int64, nv)
	var cur, best []Assignment
	bestObj := int64(math.MaxInt64)
	leaves := 0
	var walk func(p int)
	walk = func(p int) {
		if p == nv*ns {
			leaves++
			if v := Violations(in, cur); len(v) > 0 {
				t.Fatalf("search built an invalid set %v: %q", cur, v)
			}
			obj, err := Objective(in, cur)
			if err != nil {
				t.Fatal(err)
			}
			if obj < bestObj {
				bestObj, best = obj, append([]Assignment(nil), cur...)
			}
			return
		}
		walk(p + 1)
		v, s := p/ns, p%ns
		vol, sh := &in.Volunteers[v], &in.Shifts[s]
		if len(taken[v]) >= vol.MaxShifts || minutes[v]+sh.Minutes() > vol.MaxMinutes() {
			return
		}
		for _, o := range taken[v] {
			if Overlap(&in.Shifts[o], sh) {
				return
			}
		}
		for r := range sh.Roles {
			if fill[s][r] >= sh.Roles[r].Slots || Ineligible(vol, sh, r) != Eligible {
				continue
			}
			fill[s][r]++
			taken[v] = append(taken[v], s)
			minutes[v] += sh.Minutes()
			cur = append(cur, Assignment{Volunteer: vol.ID, Shift: sh.ID, Role: r})
			walk(p + 1)
			cur = cur[:len(cur)-1]
			minutes[v] -= sh.Minutes()
			taken[v] = taken[v][:len(taken[v])-1]
			fill[s][r]--
		}
	}
	walk(0)
	t.Logf("%d volunteers, %d shifts: %d valid sets", nv, ns, leaves)
	return bestObj, best
}

func TestWriteLPLinesFitTheFormat(t *testing.T) {
	// One shift with many eligible volunteers makes long rows to wrap.
	in := lpTinyInstance(rand.New(rand.NewPCG(1, 2)))
	base := in.Volunteers[0]
	base.Skills = []string{"medic", "driver"}
	base.Gender = Female
	base.RadiusKm = 100
	base.MaxShifts, base.MaxHours = 9, 24
	in.Volunteers = nil
	for i := range 500 {
		v := base
		v.ID = fmt.Sprintf("volunteer-%d", i)
		in.Volunteers = append(in.Volunteers, v)
	}
	in.Shifts[0].Roles[0].Slots = 3
	var buf bytes.Buffer
	if err := WriteLP(&buf, in); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	lines, rows := 0, 0
	for sc.Scan() {
		lines++
		if n := len(sc.Text()); n > 255 {
			t.Fatalf("line %d has %d characters, over CPLEX's 255", lines, n)
		}
		if strings.HasPrefix(sc.Text(), " cap0_0:") {
			rows++
		}
	}
	if rows != 1 || lines < 100 {
		t.Fatalf("%d lines and %d capacity rows for shift 0; want a long wrapped row", lines, rows)
	}
}

// TestLPColumnsAreTheEligiblePairs: the cheap filters before Ineligible
// drop no eligible pair, even one exactly at the travel radius.
func TestLPColumnsAreTheEligiblePairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := lpTinyInstance(rng)
	for len(in.Volunteers) < 200 {
		v := in.Volunteers[rng.IntN(len(in.Volunteers))]
		v.ID = fmt.Sprintf("w%d", len(in.Volunteers))
		v.Home = Point{Lat: rng.Float64()*170 - 85, Lon: rng.Float64()*360 - 180}
		if rng.IntN(2) == 0 { // near a shift, some exactly at the radius
			s := &in.Shifts[rng.IntN(len(in.Shifts))]
			v.Home = Point{Lat: s.Place.Lat + rng.NormFloat64()*0.05, Lon: s.Place.Lon + rng.NormFloat64()*0.05}
			v.RadiusKm = DistanceKm(v.Home, s.Place) * []float64{1, 1, 0.999, 1.001}[rng.IntN(4)]
		}
		in.Volunteers = append(in.Volunteers, v)
	}
	var want []lpPair
	for s := range in.Shifts {
		for r := range in.Shifts[s].Roles {
			for v := range in.Volunteers {
				if Ineligible(&in.Volunteers[v], &in.Shifts[s], r) == Eligible {
					want = append(want, lpPair{int32(v), int32(s), int32(r)})
				}
			}
		}
	}
	if got := lpPairs(in); !slices.Equal(got, want) {
		t.Fatalf("%d columns, want the %d eligible pairs", len(got), len(want))
	}
	if len(want) < 100 {
		t.Fatalf("only %d eligible pairs; the test proves little", len(want))
	}
}

func BenchmarkWriteLP(b *testing.B) {
	in := Generate(GenConfig{Volunteers: 10_000, Shifts: 1_000, Seed: 1})
	b.ResetTimer()
	for b.Loop() {
		var n lpByteCounter
		if err := WriteLP(&n, in); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/1e6, "MB")
	}
}

type lpByteCounter int

func (c *lpByteCounter) Write(p []byte) (int, error) {
	*c += lpByteCounter(len(p))
	return len(p), nil
}
