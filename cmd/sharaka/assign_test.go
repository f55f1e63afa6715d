package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sharaka/internal/assign/check"
)

// TestBenchAndSolveCommands runs the benchmark on a small city, writing the
// instance, the result and the LP, then solves the written instance with
// `assign solve`; the independent checker verifies both results from the
// files alone.
func TestBenchAndSolveCommands(t *testing.T) {
	dir := t.TempDir()
	inst, out, lp := filepath.Join(dir, "city.json"), filepath.Join(dir, "out.json"), filepath.Join(dir, "city.lp")
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"bench", "assign", "--volunteers", "400", "--shifts", "60", "--seed", "3",
		"--instance", inst, "--out", out, "--lp", lp, "--json", "--bound-iterations", "20"}, nil, &stdout, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var line struct {
		Slots  int `json:"slots"`
		Solver struct {
			Objective int64 `json:"objective"`
			Filled    int   `json:"filled"`
		} `json:"solver"`
		Baseline struct {
			Objective int64 `json:"objective"`
			Filled    int   `json:"filled"`
		} `json:"baseline"`
		Bound struct {
			Value int64 `json:"value"`
		} `json:"bound"`
		PeakRSS float64 `json:"peak_rss_mb"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	if line.Slots == 0 || line.Solver.Filled == 0 || line.PeakRSS <= 0 {
		t.Fatalf("implausible line: %s", stdout.String())
	}
	if line.Solver.Objective > line.Baseline.Objective || line.Bound.Value > line.Solver.Objective {
		t.Fatalf("bound %d ≤ solver %d ≤ baseline %d does not hold", line.Bound.Value, line.Solver.Objective, line.Baseline.Objective)
	}
	rep, err := check.CheckFiles(inst, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) > 0 || rep.Objective != line.Solver.Objective {
		t.Fatalf("checker: %d violations, objective %d; bench said %d", len(rep.Violations), rep.Objective, line.Solver.Objective)
	}
	if b, err := os.ReadFile(lp); err != nil || !strings.Contains(string(b), "Minimize") {
		t.Fatalf("LP file: %v", err)
	}

	out2 := filepath.Join(dir, "out2.json")
	stdout.Reset()
	if err := run(context.Background(), []string{"assign", "solve", "--instance", inst, "--out", out2, "--json"}, nil, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	rep2, err := check.CheckFiles(inst, out2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Violations) > 0 || rep2.Objective != line.Solver.Objective {
		t.Fatalf("assign solve: %d violations, objective %d, bench %d", len(rep2.Violations), rep2.Objective, line.Solver.Objective)
	}
}

func TestAssignSolveRefusesABadInstance(t *testing.T) {
	dir := t.TempDir()
	inst := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(inst, []byte(`{"volunteers":[{"id":"v1","home":{"lat":24,"lon":39},"max_shifts":-1}],"shifts":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"assign", "solve", "--instance", inst}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "v1") {
		t.Fatalf("err = %v, want the volunteer named", err)
	}
	if err := os.WriteFile(inst, []byte(`{"volunteers":[],"shifts":[],"surprise":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"assign", "solve", "--instance", inst}, nil, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown field was accepted")
	}
}
