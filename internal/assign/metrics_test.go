package assign

import (
	"math"
	"testing"
)

func TestLoadGiniByTheUsualFormula(t *testing.T) {
	// Gini = Σᵢ Σⱼ |xᵢ − xⱼ| / (2·n²·mean).
	for _, c := range []struct {
		loads []int
		want  float64
	}{
		{[]int{1, 1, 1, 1}, 0},
		{[]int{0, 0, 0, 4}, 0.75}, // 6 ordered pairs differ by 4: 24 / (2·16·1)
		{[]int{1, 1, 2}, 1.0 / 6}, // 4 ordered pairs differ by 1: 4 / (2·9·4/3)
		{[]int{0, 1, 1, 2}, 0.375},
		{[]int{0, 0}, 0},
		{nil, 0},
	} {
		if got := loadGini(c.loads); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Gini of %v = %v, want %v", c.loads, got, c.want)
		}
	}
}

func TestMeasure(t *testing.T) {
	// Four volunteers at the centre; shifts 1 and 2 km north (a meridian
	// arc: 6371·π/180 km per degree, so the distances are exact).
	in := &Instance{
		Volunteers: []Volunteer{blVol("a", "first_aid"), blVol("b"), blVol("c"), blVol("idle")},
		Shifts: []Shift{
			blShift("s1", 1, 8, 10, blPlain(2), Role{Skill: "first_aid", Slots: 1}),
			blShift("s2", 2, 12, 14, blPlain(1)),
		},
		Weights: DefaultWeights(),
	}
	in.Shifts[1].Priority = 5
	as := []Assignment{
		{Volunteer: "a", Shift: "s1", Role: 1},
		{Volunteer: "b", Shift: "s1", Role: 0},
		{Volunteer: "a", Shift: "s2", Role: 0},
		{Volunteer: "c", Shift: "s2", Role: 0}, // over the slot: counts once
		{Volunteer: "nobody", Shift: "s2", Role: 0},
		{Volunteer: "c", Shift: "s1", Role: 7},
	}
	got := Measure(in, as)
	km1 := DistanceKm(blAt(0), blAt(1))
	km2 := DistanceKm(blAt(0), blAt(2))
	if math.Abs(km1-1) > 1e-9 || math.Abs(km2-2) > 1e-9 {
		t.Fatalf("test points are %v and %v km away", km1, km2)
	}
	want := Metrics{
		Slots: 4, Filled: 3,
		SlotsByPriority:  [6]int{3: 3, 5: 1},
		FilledByPriority: [6]int{3: 2, 5: 1},
		TotalKm:          km1 + km1 + km2 + km2,
		MeanKm:           (2*km1 + 2*km2) / 4,
		// loads of the placed a, b, c: 2, 1, 1 → sorted 1, 1, 2
		LoadMax:     2,
		LoadP90:     1.8, // position 0.9·2 = 1.8: 1 + 0.8·(2−1)
		LoadGini:    1.0 / 6,
		LoadGiniAll: 0.375, // with idle's 0
		Volunteers:  3,
	}
	if !metricsClose(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if empty := Measure(in, nil); !metricsClose(empty, Metrics{Slots: 4, SlotsByPriority: want.SlotsByPriority}) {
		t.Errorf("nobody placed: %+v", empty)
	}
}

func metricsClose(a, b Metrics) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	fa, fb := a, b
	fa.TotalKm, fa.MeanKm, fa.LoadP90, fa.LoadGini, fa.LoadGiniAll = 0, 0, 0, 0, 0
	fb.TotalKm, fb.MeanKm, fb.LoadP90, fb.LoadGini, fb.LoadGiniAll = 0, 0, 0, 0, 0
	return fa == fb && near(a.TotalKm, b.TotalKm) && near(a.MeanKm, b.MeanKm) && near(a.LoadP90, b.LoadP90) &&
		near(a.LoadGini, b.LoadGini) && near(a.LoadGiniAll, b.LoadGiniAll)
}
