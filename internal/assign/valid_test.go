package assign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"sharaka/internal/assign"
	"sharaka/internal/assign/check"
)

// TestSolveOnCitiesPassesTheIndependentChecker runs the solver and the
// baseline on generated cities and has the checker, which shares no code
// with them, verify every hard constraint and recompute the objective from
// the JSON files alone.
func TestSolveOnCitiesPassesTheIndependentChecker(t *testing.T) {
	for _, c := range []assign.GenConfig{
		{Volunteers: 2000, Shifts: 200, Seed: 7},
		{Volunteers: 1000, Shifts: 400, Seed: 8, Scarce: true},
	} {
		in := assign.Generate(c)
		inJSON, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		opt := assign.DefaultOptions()
		opt.BoundIterations = 60
		res, err := assign.Solve(context.Background(), in, opt)
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := check.Check(inJSON, out)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Violations) > 0 {
			t.Fatalf("%+v: %d violations, first %s", c, len(rep.Violations), rep.Violations[0])
		}
		if rep.Objective != res.Objective || rep.Filled != res.Filled || rep.Slots != res.Slots {
			t.Fatalf("%+v: checker objective %d filled %d/%d; solver %d filled %d/%d", c, rep.Objective, rep.Filled, rep.Slots, res.Objective, res.Filled, res.Slots)
		}
		if !res.BoundKnown || res.Bound > res.Objective {
			t.Fatalf("%+v: bound %d above the objective %d", c, res.Bound, res.Objective)
		}
		if res.Filled == 0 {
			t.Fatalf("%+v: nothing filled", c)
		}

		base := assign.Baseline(in)
		bout, _ := json.Marshal(map[string]any{"assignments": base})
		brep, err := check.Check(inJSON, bout)
		if err != nil {
			t.Fatal(err)
		}
		if len(brep.Violations) > 0 {
			t.Fatalf("%+v: baseline breaks %s", c, brep.Violations[0])
		}
		if brep.Objective < res.Objective {
			t.Errorf("%+v: first come, first served (%d) beat the solver (%d)", c, brep.Objective, res.Objective)
		}
		t.Logf("%+v: solver %d filled %d/%d (bound %d); baseline %d filled %d", c, res.Objective, res.Filled, res.Slots, res.Bound, brep.Objective, brep.Filled)
	}
}

// TestSolveIsDeterministicForASeed: the same seed gives the same city and
// the same distribution, byte for byte.
func TestSolveIsDeterministicForASeed(t *testing.T) {
	run := func() []byte {
		in := assign.Generate(assign.GenConfig{Volunteers: 1000, Shifts: 200, Seed: 42, Scarce: true})
		opt := assign.DefaultOptions()
		opt.BoundIterations = 30
		res, err := assign.Solve(context.Background(), in, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		return b
	}
	if a, b := run(), run(); !bytes.Equal(a, b) {
		t.Fatal("two runs on the same seed differ")
	}
}
