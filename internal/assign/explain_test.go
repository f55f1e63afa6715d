package assign

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/i18n"
)

// Small hand-built instances: shifts at a square in Riyadh, homes due east
// of it at whole kilometres, everyone free all day.

var (
	exDay    = time.Date(2026, 12, 5, 5, 0, 0, 0, time.UTC) // 08:00 in Riyadh
	exCentre = Point{Lat: 24.7136, Lon: 46.6753}
)

// exAt is the point km east of the centre.
func exAt(km float64) Point {
	return Point{Lat: exCentre.Lat, Lon: exCentre.Lon + km/(kmPerDegree*math.Cos(exCentre.Lat*math.Pi/180))}
}

func exVol(id string, km float64, skills ...string) Volunteer {
	return Volunteer{
		ID: id, Home: exAt(km), Skills: skills, RadiusKm: 20, MaxShifts: 3, MaxHours: 20,
		Availability: []Window{{Start: exDay, End: exDay.Add(16 * time.Hour)}},
	}
}

// exShift lasts three hours from the given hour after 08:00.
func exShift(id string, hour int, roles ...Role) Shift {
	start := exDay.Add(time.Duration(hour) * time.Hour)
	return Shift{ID: id, Place: exCentre, Start: start, End: start.Add(3 * time.Hour), Roles: roles, Priority: 3}
}

func exInstance(vs []Volunteer, ss ...Shift) *Instance {
	return &Instance{Volunteers: vs, Shifts: ss, Weights: DefaultWeights()}
}

func exPlace(vol, shift string, role int) Assignment {
	return Assignment{Volunteer: vol, Shift: shift, Role: role}
}

// reasonOf is the reason Explain gives volunteer vol on shift.
func reasonOf(t *testing.T, in *Instance, as []Assignment, vol, shift string) Reason {
	t.Helper()
	for _, a := range Explain(in, as) {
		if a.Volunteer == vol && a.Shift == shift {
			return a.Reason
		}
	}
	t.Fatalf("%s is not on %s", vol, shift)
	return Reason{}
}

func TestExplainReasons(t *testing.T) {
	firstAid := Role{Skill: "first_aid", Slots: 1}
	plain := Role{Slots: 1}
	for _, tc := range []struct {
		name string
		in   *Instance
		as   []Assignment
		vol  string
		want Reason
	}{
		{
			name: "the only first-aider, though a plain volunteer lives closer",
			in:   exInstance([]Volunteer{exVol("far", 5, "first_aid"), exVol("near", 1)}, exShift("s", 0, firstAid)),
			as:   []Assignment{exPlace("far", "s", 0)},
			vol:  "far", want: Reason{Code: ReasonOnlyEligible, Km: 5, Skill: "first_aid"},
		},
		{
			name: "every first-aider free then was needed",
			in: exInstance([]Volunteer{exVol("a", 3, "first_aid"), exVol("b", 6, "first_aid"), exVol("busy", 2, "first_aid")},
				exShift("s", 0, Role{Skill: "first_aid", Slots: 2}), exShift("other", 1, plain)),
			as:  []Assignment{exPlace("a", "s", 0), exPlace("b", "s", 0), exPlace("busy", "other", 0)},
			vol: "b", want: Reason{Code: ReasonSkill, Km: 6, Skill: "first_aid"},
		},
		{
			name: "closest of two first-aiders",
			in:   exInstance([]Volunteer{exVol("a", 2.04, "first_aid"), exVol("b", 4, "first_aid")}, exShift("s", 0, firstAid)),
			as:   []Assignment{exPlace("a", "s", 0)},
			vol:  "a", want: Reason{Code: ReasonClosestSkill, Km: 2, Skill: "first_aid"},
		},
		{
			name: "closest plain volunteer",
			in:   exInstance([]Volunteer{exVol("a", 1.26), exVol("b", 3)}, exShift("s", 0, plain)),
			as:   []Assignment{exPlace("a", "s", 0)},
			vol:  "a", want: Reason{Code: ReasonClosest, Km: 1.3},
		},
		{
			name: "closest once the nearer one is busy at that time",
			in:   exInstance([]Volunteer{exVol("busy", 1), exVol("b", 3)}, exShift("s", 0, plain), exShift("other", 2, plain)),
			as:   []Assignment{exPlace("b", "s", 0), exPlace("busy", "other", 0)},
			vol:  "b", want: Reason{Code: ReasonClosest, Km: 3},
		},
		{
			name: "closest though a nearer one took the role's other slot",
			in:   exInstance([]Volunteer{exVol("a", 1), exVol("b", 2), exVol("c", 3)}, exShift("s", 0, Role{Slots: 2})),
			as:   []Assignment{exPlace("a", "s", 0), exPlace("b", "s", 0)},
			vol:  "b", want: Reason{Code: ReasonClosest, Km: 2},
		},
		{
			name: "preferred, though someone free lives closer",
			in: func() *Instance {
				b := exVol("b", 3)
				b.Prefers = []string{"other", "feeding"}
				s := exShift("s", 0, plain)
				s.Opportunity = "feeding"
				return exInstance([]Volunteer{exVol("a", 1), b}, s)
			}(),
			as:  []Assignment{exPlace("b", "s", 0)},
			vol: "b", want: Reason{Code: ReasonPreferred, Km: 3},
		},
		{
			name: "nearby: someone free lives closer",
			in:   exInstance([]Volunteer{exVol("a", 1), exVol("b", 3)}, exShift("s", 0, plain)),
			as:   []Assignment{exPlace("b", "s", 0)},
			vol:  "b", want: Reason{Code: ReasonNearby, Km: 3},
		},
		{
			name: "closest: a nearer volunteer at their shift limit does not count",
			in: func() *Instance {
				tired := exVol("tired", 1)
				tired.MaxShifts = 1
				return exInstance([]Volunteer{tired, exVol("b", 3)}, exShift("s", 0, plain), exShift("later", 5, plain))
			}(),
			as:  []Assignment{exPlace("b", "s", 0), exPlace("tired", "later", 0)},
			vol: "b", want: Reason{Code: ReasonClosest, Km: 3},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reasonOf(t, tc.in, tc.as, tc.vol, tc.in.Shifts[0].ID); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestExplainKeepsTheInputAndOrder(t *testing.T) {
	in := exInstance([]Volunteer{exVol("a", 1), exVol("b", 2)}, exShift("s", 0, Role{Slots: 2}))
	as := []Assignment{exPlace("b", "s", 0), exPlace("a", "s", 0), exPlace("ghost", "s", 0)}
	got := Explain(in, as)
	if as[0].Reason.Code != "" {
		t.Error("Explain changed its input")
	}
	if got[0].Volunteer != "b" || got[1].Volunteer != "a" || got[0].Reason.Code == "" || got[1].Reason.Code == "" {
		t.Errorf("order or reasons lost: %+v", got)
	}
	if got[2].Reason.Code != "" {
		t.Errorf("an unknown volunteer got a reason: %+v", got[2].Reason)
	}
}

func TestLeftOut(t *testing.T) {
	plain := Role{Slots: 1}
	vs := []Volunteer{
		exVol("held", 1),               // on s
		exVol("overlap", 2),            // on "clash", which overlaps s
		exVol("maxed", 2),              // at one shift, on "morning"
		exVol("hours", 2),              // 3 of 4 hours used on "evening"
		exVol("spare", 2),              // free; s's plain role is full, its first-aid role open
		exVol("medic", 3, "first_aid"), // free, and could take the open first-aid slot
		exVol("far", 30),               // 30 km away, travels 20
		exVol("away", 2),               // not free at that time
		exVol("far_and_away", 30),      // misses twice: not listed
		exVol("woman", 2),              // the shift is for men: not listed
	}
	for i := range vs {
		vs[i].Gender = Male
		switch vs[i].ID {
		case "maxed":
			vs[i].MaxShifts = 1
		case "hours":
			vs[i].MaxHours = 4
		case "away", "far_and_away":
			vs[i].Availability[0].Start = exDay.Add(12 * time.Hour)
		case "woman":
			vs[i].Gender = Female
		}
	}
	s := exShift("s", 4, plain, Role{Skill: "first_aid", Slots: 1})
	s.Gender = MenOnly
	in := exInstance(vs, s, exShift("clash", 5, plain), exShift("morning", 0, plain), exShift("evening", 8, plain))
	as := []Assignment{exPlace("held", "s", 0), exPlace("overlap", "clash", 0), exPlace("maxed", "morning", 0), exPlace("hours", "evening", 0)}
	want := []Excluded{
		{"overlap", 0, Reason{Code: ReasonOverlap, Shift: "clash"}},
		{"maxed", 0, Reason{Code: ReasonLimitShifts, Limit: 1}},
		{"hours", 0, Reason{Code: ReasonLimitHours, Limit: 4}},
		{"spare", 0, Reason{Code: ReasonFull, Km: 2}},
		{"medic", 1, Reason{Code: ReasonCouldFill, Km: 3, Skill: "first_aid"}},
		{"far", 0, Reason{Code: ReasonOutsideRadius, Km: 30}},
		{"away", 0, Reason{Code: ReasonNotAvailable}},
	}
	if got := LeftOut(in, as, "s"); !slices.Equal(got, want) {
		t.Errorf("LeftOut:\n got %+v\nwant %+v", got, want)
	}
	if got := LeftOut(in, as, "nowhere"); got != nil {
		t.Errorf("an unknown shift gave %+v", got)
	}
}

// TestExplainMatchesDirectCount checks the grid search against the
// definitions computed by testing every volunteer, on random cities, some
// far from the equator and some spread over hundreds of kilometres.
func TestExplainMatchesDirectCount(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	for trial := range 60 {
		in, as := exRandom(r, trial)
		got := Explain(in, as)
		short := Shortages(in, as)
		p := newPlacement(in, as)
		si := 0
		for s := range in.Shifts {
			sh := &in.Shifts[s]
			for ri, role := range sh.Roles {
				elig, avail, busy, free, dmin := 0, 0, 0, 0, math.Inf(1)
				for v := range in.Volunteers {
					vol := &in.Volunteers[v]
					if Ineligible(vol, sh, ri) != Eligible {
						continue
					}
					elig++
					held := slices.ContainsFunc(p.roles[roleKey{s, ri}], func(a int) bool { return as[a].Volunteer == vol.ID })
					switch {
					case held:
						avail++
					case p.busy(v, s) != "":
						busy++
					default:
						avail++
						free++
						dmin = min(dmin, DistanceKm(vol.Home, sh.Place))
					}
				}
				for _, a := range p.roles[roleKey{s, ri}] {
					d := DistanceKm(in.Volunteers[p.vol[as[a].Volunteer]].Home, sh.Place)
					var want string
					switch {
					case elig == 1:
						want = ReasonOnlyEligible
					case role.Skill != "" && avail <= role.Slots:
						want = ReasonSkill
					case d <= dmin && role.Skill != "":
						want = ReasonClosestSkill
					case d <= dmin:
						want = ReasonClosest
					case PreferenceBonus(in.Weights, &in.Volunteers[p.vol[as[a].Volunteer]], sh) > 0:
						want = ReasonPreferred
					default:
						want = ReasonNearby
					}
					if got[a].Reason.Code != want {
						t.Fatalf("trial %d, %s on %s: got %q, want %q (eligible %d, available %d, nearest free %.2f km, own %.2f km)",
							trial, as[a].Volunteer, sh.ID, got[a].Reason.Code, want, elig, avail, dmin, d)
					}
				}
				if empty := role.Slots - len(p.roles[roleKey{s, ri}]); empty > 0 {
					want := Shortage{Shift: sh.ID, Role: ri, Gender: GenderAny, Skill: role.Skill, Empty: empty,
						Eligible: elig, Busy: busy, Needed: empty - min(empty, free)}
					if sh.Gender != "" {
						want.Gender = sh.Gender
					}
					if si >= len(short) || short[si] != want {
						t.Fatalf("trial %d: shortage %d is %+v, want %+v", trial, si, short[min(si, len(short)-1)], want)
					}
					si++
				}
			}
		}
		if si != len(short) {
			t.Fatalf("trial %d: %d shortages, want %d", trial, len(short), si)
		}
	}
}

// exRandom is a random instance with a random valid-looking distribution:
// each shift takes the first eligible volunteers who are still free, so some
// roles are full and some are short.
func exRandom(r *rand.Rand, trial int) (*Instance, []Assignment) {
	centre := Point{Lat: 24.7, Lon: 46.7}
	spread := 0.1 // degrees
	switch trial % 4 {
	case 1:
		centre = Point{Lat: 69.6, Lon: 18.9} // where a degree of longitude is short
	case 2:
		spread = 3 // a region, not a city
	case 3:
		centre = Point{Lat: -33.9, Lon: 151.2}
	}
	skills := []string{"first_aid", "driving", "cooking"}
	in := &Instance{Weights: DefaultWeights()}
	nv, ns := 20+r.IntN(60), 3+r.IntN(8)
	for i := range nv {
		v := Volunteer{
			ID:        "v" + strconv.Itoa(i),
			Home:      Point{Lat: centre.Lat + spread*(r.Float64()-0.5), Lon: centre.Lon + spread*(r.Float64()-0.5)},
			RadiusKm:  []float64{2, 5, 10, 40, 400}[r.IntN(5)],
			MaxShifts: 1 + r.IntN(3), MaxHours: float64(3 + r.IntN(8)),
			Gender:  []Gender{Female, Male, ""}[r.IntN(3)],
			Prefers: []string{[]string{"o1", "o2", "o3"}[r.IntN(3)]},
		}
		for _, sk := range skills {
			if r.IntN(4) == 0 {
				v.Skills = append(v.Skills, sk)
			}
		}
		start := exDay.Add(time.Duration(r.IntN(6)) * time.Hour)
		v.Availability = []Window{{Start: start, End: start.Add(time.Duration(4+r.IntN(8)) * time.Hour)}}
		in.Volunteers = append(in.Volunteers, v)
	}
	for i := range ns {
		start := exDay.Add(time.Duration(r.IntN(8)) * time.Hour)
		s := Shift{
			ID: "s" + strconv.Itoa(i), Opportunity: []string{"o1", "o2", "o3"}[r.IntN(3)],
			Place: Point{Lat: centre.Lat + spread*(r.Float64()-0.5), Lon: centre.Lon + spread*(r.Float64()-0.5)},
			Start: start, End: start.Add(time.Duration(1+r.IntN(3)) * time.Hour), Priority: 1 + r.IntN(5),
			Gender: []GenderRule{"", GenderAny, WomenOnly, MenOnly}[r.IntN(4)],
			Roles:  []Role{{Slots: 1 + r.IntN(3)}, {Skill: skills[r.IntN(3)], Slots: 1 + r.IntN(2)}},
		}
		in.Shifts = append(in.Shifts, s)
	}
	var as []Assignment
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		for ri, role := range sh.Roles {
			taken := 0
			for v := range in.Volunteers {
				if taken == role.Slots || r.IntN(3) == 0 {
					continue
				}
				p := newPlacement(in, as)
				if Ineligible(&in.Volunteers[v], sh, ri) == Eligible && p.busy(v, s) == "" {
					as = append(as, exPlace(in.Volunteers[v].ID, sh.ID, ri))
					taken++
				}
			}
		}
	}
	return in, as
}

// TestReasonsHaveMessages finds every Reason… constant of the package in
// its source, so a new code cannot be added without its catalogue entries,
// and renders each reason the functions produce with only the data they set.
func TestReasonsHaveMessages(t *testing.T) {
	codes := reasonConstants(t)
	if len(codes) < 10 {
		t.Fatalf("found only %v", codes)
	}
	for _, c := range codes {
		if id := (Reason{Code: c}).MessageID(); !i18n.Has(id) {
			t.Errorf("%s has no message in assign.ar.toml and assign.en.toml", id)
		}
	}
	ids := []string{ShortageEligibleID, NeedShiftsID}
	for _, skill := range []string{"", "first_aid"} {
		for _, g := range []GenderRule{GenderAny, WomenOnly, MenOnly} {
			ids = append(ids, Shortage{Skill: skill, Gender: g}.MessageID(), Need{Skill: skill, Gender: g}.MessageID())
		}
	}
	for _, id := range ids {
		if !i18n.Has(id) {
			t.Errorf("%s is missing from the catalogue", id)
		}
	}

	// One scene that gives every code: who gets which reason is tested
	// above; here each reason's message must render from its own fields.
	seen := map[string]bool{}
	var reasons []Reason
	add := func(r Reason) {
		if !seen[r.Code] {
			seen[r.Code] = true
			reasons = append(reasons, r)
		}
	}
	for _, sc := range exScenes() {
		for _, a := range Explain(sc.in, sc.as) {
			add(a.Reason)
		}
		for _, s := range sc.in.Shifts {
			for _, e := range LeftOut(sc.in, sc.as, s.ID) {
				add(e.Reason)
			}
		}
	}
	for _, c := range codes {
		if !seen[c] {
			t.Errorf("no scene gives %q", c)
		}
	}
	for _, r := range reasons {
		var kv []any
		if r.Km != 0 {
			kv = append(kv, "Km", strconv.FormatFloat(r.Km, 'f', -1, 64))
		}
		if r.Skill != "" {
			kv = append(kv, "Skill", r.Skill)
		}
		if r.Shift != "" {
			kv = append(kv, "Shift", r.Shift)
		}
		if r.Limit != 0 {
			kv = append(kv, "Limit", strconv.Itoa(r.Limit))
		}
		for _, lang := range []i18n.Lang{i18n.AR, i18n.EN} {
			if got := i18n.New(lang, "", nil).T(r.MessageID(), kv...); got == r.MessageID() || strings.Contains(got, "<no value>") {
				t.Errorf("%s (%s) with %v renders as %q", r.MessageID(), lang, kv, got)
			}
		}
	}
}

type exScene struct {
	in *Instance
	as []Assignment
}

// exScenes together give every reason code.
func exScenes() []exScene {
	firstAid := Role{Skill: "first_aid", Slots: 1}
	plain := Role{Slots: 1}
	pref := exVol("pref", 3)
	pref.Prefers = []string{"feeding"}
	fed := exShift("fed", 9, plain)
	fed.Opportunity = "feeding"
	maxed, hours, away := exVol("maxed", 2), exVol("hours", 2), exVol("away", 2)
	maxed.MaxShifts, hours.MaxHours = 1, 4
	away.Availability[0].Start = exDay.Add(14 * time.Hour)
	return []exScene{
		{exInstance([]Volunteer{exVol("only", 5, "first_aid"), exVol("x", 1)}, exShift("a", 0, firstAid)),
			[]Assignment{exPlace("only", "a", 0)}},
		{exInstance([]Volunteer{exVol("sa", 3, "first_aid"), exVol("sb", 6, "first_aid"), exVol("sbusy", 2, "first_aid")},
			exShift("b", 0, Role{Skill: "first_aid", Slots: 2}), exShift("b2", 1, plain)),
			[]Assignment{exPlace("sa", "b", 0), exPlace("sb", "b", 0), exPlace("sbusy", "b2", 0)}},
		{exInstance([]Volunteer{exVol("ca", 2, "first_aid"), exVol("cb", 4, "first_aid"), exVol("pa", 1), exVol("near", 1), pref,
			exVol("nb", 4), exVol("ov", 2), maxed, hours, exVol("far", 30), away},
			exShift("c", 0, firstAid, plain), fed, exShift("n", 5, plain), exShift("clash", 1, plain),
			exShift("morning", 4, plain), exShift("evening", 12, plain), exShift("open", 13, Role{Slots: 2})),
			[]Assignment{exPlace("ca", "c", 0), exPlace("pa", "c", 1), exPlace("pref", "fed", 0), exPlace("nb", "n", 0),
				exPlace("ov", "clash", 0), exPlace("maxed", "morning", 0), exPlace("hours", "evening", 0)}},
	}
}

// reasonConstants are the values of the package's Reason… constants.
func reasonConstants(t *testing.T) []string {
	t.Helper()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	values := map[string]string{} // constant name → value or the name it copies
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range spec.Names {
				if i >= len(spec.Values) {
					continue
				}
				switch v := spec.Values[i].(type) {
				case *ast.BasicLit:
					if s, err := strconv.Unquote(v.Value); err == nil {
						values[id.Name] = s
					}
				case *ast.Ident:
					values[id.Name] = "=" + v.Name
				}
			}
			return true
		})
	}
	var codes []string
	for name, v := range values {
		if !strings.HasPrefix(name, "Reason") {
			continue
		}
		for strings.HasPrefix(v, "=") {
			v = values[v[1:]]
		}
		codes = append(codes, v)
	}
	slices.Sort(codes)
	return codes
}

// BenchmarkExplain times what follows a distribution: teams, reasons,
// shortages and one shift's left-out list, on a first-come distribution of a
// generated city of 100,000 volunteers and 10,000 shifts and on a solved
// scarce week of 5,000 volunteers and 2,000 shifts:
// go test ./internal/assign/ -run '^$' -bench Explain -benchtime 1x -benchmem
func BenchmarkExplain(b *testing.B) {
	for _, c := range []struct {
		name  string
		gen   GenConfig
		solve bool
	}{
		{"city-100k-first-come", GenConfig{Volunteers: 100_000, Shifts: 10_000, Seed: 1}, false},
		{"scarce-5k-solved", GenConfig{Volunteers: 5_000, Shifts: 2_000, Seed: 1, Scarce: true}, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			in := Generate(c.gen)
			as := Baseline(in)
			if c.solve {
				opt := DefaultOptions()
				opt.BoundIterations = -1
				res, err := Solve(context.Background(), in, opt)
				if err != nil {
					b.Fatal(err)
				}
				as = res.Assignments
			}
			b.ReportMetric(float64(len(as)), "assignments")
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				teamed := FormTeams(in, as)
				b.ReportMetric(time.Since(t0).Seconds(), "teams-s")
				t0 = time.Now()
				Explain(in, teamed)
				b.ReportMetric(time.Since(t0).Seconds(), "explain-s")
				t0 = time.Now()
				sh := Shortages(in, teamed)
				b.ReportMetric(time.Since(t0).Seconds(), "shortages-s")
				b.ReportMetric(float64(len(sh)), "short-roles")
				t0 = time.Now()
				LeftOut(in, teamed, in.Shifts[0].ID)
				b.ReportMetric(time.Since(t0).Seconds(), "leftout-s")
			}
		})
	}
}
