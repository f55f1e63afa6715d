package assign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGenerateIsReproducible(t *testing.T) {
	for _, c := range []GenConfig{
		{Volunteers: 300, Shifts: 40, Seed: 7},
		{Volunteers: 300, Shifts: 40, Seed: 7, Scarce: true},
	} {
		a, _ := json.Marshal(Generate(c))
		b, _ := json.Marshal(Generate(c))
		if !bytes.Equal(a, b) {
			t.Errorf("%+v: two runs differ", c)
		}
		c.Seed++
		other, _ := json.Marshal(Generate(c))
		if bytes.Equal(a, other) {
			t.Errorf("%+v: another seed gives the same city", c)
		}
	}
}

var genSkillIDs = func() []string {
	var ids []string
	for _, s := range genSkills {
		ids = append(ids, s.id)
	}
	return ids
}()

// TestGenerateShape checks every field of a generated city against the
// ranges the generator promises.
func TestGenerateShape(t *testing.T) {
	for _, scarce := range []bool{false, true} {
		c := GenConfig{Volunteers: 3000, Shifts: 400, Seed: 3, Scarce: scarce}
		in := Generate(c)
		if err := in.Validate(); err != nil {
			t.Fatalf("scarce=%v: %v", scarce, err)
		}
		if len(in.Volunteers) != c.Volunteers || len(in.Shifts) != c.Shifts {
			t.Fatalf("scarce=%v: %d volunteers, %d shifts", scarce, len(in.Volunteers), len(in.Shifts))
		}
		if in.Weights != DefaultWeights() {
			t.Errorf("weights %+v", in.Weights)
		}
		genCheckShifts(t, in, scarce)
		genCheckVolunteers(t, in, scarce)
	}
}

func genCheckShifts(t *testing.T, in *Instance, scarce bool) {
	t.Helper()
	local := time.FixedZone("AST", 3*3600)
	ops := map[string]bool{}
	for _, s := range in.Shifts {
		ops[s.Opportunity] = true
		st := s.Start.In(local)
		h := s.End.Sub(s.Start).Hours()
		if s.Start.Location() != time.UTC || st.Minute() != 0 || st.Hour() < 7 || st.Hour() > 21 || h < 2 || h > 5 ||
			s.Start.Before(genWeek.Start) || s.End.After(genWeek.End) {
			t.Fatalf("shift %s: %v–%v", s.ID, s.Start, s.End)
		}
		if DistanceKm(s.Place, genCentre) > 35 {
			t.Errorf("shift %s is %.0f km from the centre", s.ID, DistanceKm(s.Place, genCentre))
		}
		if len(s.Roles) < 1 || len(s.Roles) > 3 || s.Roles[0].Skill != "" {
			t.Fatalf("shift %s roles %+v", s.ID, s.Roles)
		}
		plainMax, skillMax := 14, 3
		if scarce {
			plainMax, skillMax = 20, 4
		}
		if s.Roles[0].Slots < 2 || s.Roles[0].Slots > plainMax {
			t.Errorf("shift %s: %d plain slots", s.ID, s.Roles[0].Slots)
		}
		for _, r := range s.Roles[1:] {
			if !slices.Contains(genSkillIDs, r.Skill) || r.Slots < 1 || r.Slots > skillMax {
				t.Errorf("shift %s: skill role %+v", s.ID, r)
			}
		}
		if len(s.Roles) == 3 && s.Roles[1].Skill == s.Roles[2].Skill {
			t.Errorf("shift %s asks for %s twice", s.ID, s.Roles[1].Skill)
		}
		if s.TeamSize != 0 && (s.TeamSize < 3 || s.TeamSize > 6) || s.TeamLeader && s.TeamSize == 0 {
			t.Errorf("shift %s: team %d leader %v", s.ID, s.TeamSize, s.TeamLeader)
		}
		if s.MinAge != 0 && s.MinAge != 18 || s.Gender == "" {
			t.Errorf("shift %s: age %d gender %q", s.ID, s.MinAge, s.Gender)
		}
		if l := strings.Join(s.Languages, ","); l != "" && l != "en" && l != "ur" {
			t.Errorf("shift %s: languages %v", s.ID, s.Languages)
		}
	}
	if want := (len(in.Shifts) + 2) / 4; len(ops) != want {
		t.Errorf("%d opportunities, want %d", len(ops), want)
	}
	perShift := float64(in.Slots()) / float64(len(in.Shifts))
	if lo, hi := 8.5, 11.0; scarce {
		if perShift < 12 || perShift > 17 {
			t.Errorf("scarce: %.1f slots per shift", perShift)
		}
	} else if perShift < lo || perShift > hi {
		t.Errorf("%.1f slots per shift, want about 10", perShift)
	}
}

func genCheckVolunteers(t *testing.T, in *Instance, scarce bool) {
	t.Helper()
	byID := map[string]*Volunteer{}
	for i := range in.Volunteers {
		byID[in.Volunteers[i].ID] = &in.Volunteers[i]
	}
	ops := map[string]bool{}
	for _, s := range in.Shifts {
		ops[s.Opportunity] = true
	}
	var grouped, preferring, few int
	for i, v := range in.Volunteers {
		if v.ID != fmt.Sprintf("v%d", i+1) {
			t.Fatalf("volunteer %d has id %s", i, v.ID)
		}
		n := len(v.Availability)
		if n < 2 || n > 5 {
			t.Fatalf("%s: %d windows", v.ID, n)
		}
		for j, w := range v.Availability {
			h := w.End.Sub(w.Start).Hours()
			if h < 3 || h > 9 || w.Start.Before(genWeek.Start) || w.End.After(genWeek.End) {
				t.Fatalf("%s: window %v–%v", v.ID, w.Start, w.End)
			}
			if j > 0 && w.Start.Before(v.Availability[j-1].End) {
				t.Fatalf("%s: windows overlap", v.ID)
			}
		}
		if v.RadiusKm < 2 || v.RadiusKm > 25 || v.MaxShifts < 1 || v.MaxShifts > 4 || v.MaxHours < 4 || v.MaxHours > 16 {
			t.Fatalf("%s: radius %v, max shifts %d, max hours %v", v.ID, v.RadiusKm, v.MaxShifts, v.MaxHours)
		}
		if v.MaxShifts <= 2 {
			few++
		}
		if v.Age != 0 && (v.Age < 16 || v.Age > 70) {
			t.Errorf("%s: age %d", v.ID, v.Age)
		}
		for _, s := range v.Skills {
			if !slices.Contains(genSkillIDs, s) {
				t.Errorf("%s: skill %q", v.ID, s)
			}
		}
		if len(v.Languages) == 0 || v.Languages[0] != "ar" {
			t.Errorf("%s: languages %v", v.ID, v.Languages)
		}
		if len(v.Prefers) > 0 {
			preferring++
		}
		for _, o := range v.Prefers {
			if !ops[o] || len(v.Prefers) > 3 {
				t.Errorf("%s prefers %v", v.ID, v.Prefers)
			}
		}
		if len(v.KeepWith) > 0 {
			grouped++
		}
		if len(v.KeepWith) > 2 {
			t.Errorf("%s keeps with %v", v.ID, v.KeepWith)
		}
		for _, k := range v.KeepWith {
			o := byID[k]
			if o == nil || o.Home != v.Home || !slices.Contains(o.KeepWith, v.ID) {
				t.Errorf("%s keeps with %s, who is not of the family", v.ID, k)
			}
		}
	}
	share := func(n int) float64 { return float64(n) / float64(len(in.Volunteers)) }
	if g := share(grouped); g < 0.07 || g > 0.13 {
		t.Errorf("%.2f of volunteers in keep-with groups, want about 0.10", g)
	}
	if p := share(preferring); p < 0.25 || p > 0.35 {
		t.Errorf("%.2f of volunteers state preferences, want about 0.30", p)
	}
	if f := share(few); f < 0.7 || scarce && f < 0.85 {
		t.Errorf("%.2f of volunteers take at most 2 shifts", f)
	}
}

// fillBound is an upper bound on the slots any distribution can fill: each
// volunteer counts for no more than their shift limit, the most pairwise
// disjoint shifts they are eligible for, and the most of those shifts that
// fit in their hours.
func fillBound(in *Instance) int {
	total := 0
	for v := range in.Volunteers {
		vol := &in.Volunteers[v]
		var ok []*Shift
		for s := range in.Shifts {
			for r := range in.Shifts[s].Roles {
				if Ineligible(vol, &in.Shifts[s], r) == Eligible {
					ok = append(ok, &in.Shifts[s])
					break
				}
			}
		}
		// Earliest end first picks the most disjoint shifts.
		slices.SortFunc(ok, func(a, b *Shift) int { return a.End.Compare(b.End) })
		disjoint := 0
		var free time.Time
		for _, s := range ok {
			if !s.Start.Before(free) {
				disjoint++
				free = s.End
			}
		}
		// Shortest first fits the most in the hours.
		slices.SortFunc(ok, func(a, b *Shift) int { return int(a.Minutes() - b.Minutes()) })
		fit, minutes := 0, int64(0)
		for _, s := range ok {
			if minutes += s.Minutes(); minutes <= vol.MaxMinutes() {
				fit++
			}
		}
		total += min(vol.MaxShifts, disjoint, fit)
	}
	return total
}

func TestGenerateNormalIsPlentiful(t *testing.T) {
	// The ratio of 100,000 volunteers to 10,000 shifts, smaller.
	in := Generate(GenConfig{Volunteers: 2000, Shifts: 200, Seed: 5})
	bound, slots := fillBound(in), in.Slots()
	if bound < 7*slots/5 {
		t.Errorf("volunteers can fill at most %d of %d slots; a normal city has plenty", bound, slots)
	}
	// Every tenth shift: each finds eligible volunteers, and most roles find
	// as many as they have slots; a rare skill may find none.
	roles, short := 0, 0
	for s := 0; s < len(in.Shifts); s += 10 {
		sh := &in.Shifts[s]
		any := false
		for r, role := range sh.Roles {
			n := 0
			for v := range in.Volunteers {
				if Ineligible(&in.Volunteers[v], sh, r) == Eligible {
					n++
				}
			}
			any = any || n > 0
			roles++
			if n < role.Slots {
				short++
			}
		}
		if !any {
			t.Errorf("%s: nobody is eligible", sh.ID)
		}
	}
	if short > roles/5 {
		t.Errorf("%d of %d sampled roles have fewer eligible volunteers than slots", short, roles)
	}
}

func TestGenerateScarceIsScarce(t *testing.T) {
	// The ratio of 5,000 volunteers to 2,000 shifts, smaller.
	in := Generate(GenConfig{Volunteers: 1000, Shifts: 400, Seed: 5, Scarce: true})
	bound, slots := fillBound(in), in.Slots()
	if bound > slots/2 {
		t.Errorf("volunteers could fill %d of %d slots; a scarce city leaves most empty", bound, slots)
	}
}

// BenchmarkGenerate measures the generator at the size of the city.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(GenConfig{Volunteers: 100_000, Shifts: 10_000, Seed: 1})
	}
}
