package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"sharaka/internal/assign"
)

// cmdBench runs the benchmarks: `sharaka bench assign …`, `sharaka bench search …`.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "search" {
		return benchSearch(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "assign" {
		return errors.New("usage: sharaka bench assign|search [flags] (run with -h for the flags)")
	}
	return benchAssign(ctx, args[1:], stdout, stderr)
}

// cmdAssign solves instances given as files: `sharaka assign solve …`.
func cmdAssign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "solve" {
		return errors.New("usage: sharaka assign solve --instance FILE --out FILE [--json]")
	}
	fs := flag.NewFlagSet("assign solve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	instPath := fs.String("instance", "", "instance JSON (docs/assign.md)")
	outPath := fs.String("out", "", "write the assignment JSON here")
	asJSON := fs.Bool("json", false, "print one JSON line instead of text")
	boundIt := fs.Int("bound-iterations", 0, "subgradient steps for the lower bound (0: default, -1: none)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *instPath == "" {
		return errors.New("--instance is required")
	}
	in, err := readInstance(*instPath)
	if err != nil {
		return err
	}
	opt := assign.DefaultOptions()
	opt.BoundIterations = *boundIt
	start := time.Now()
	res, err := assign.Solve(ctx, in, opt)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	if *outPath != "" {
		if err := writeJSONFile(*outPath, res); err != nil {
			return err
		}
	}
	line := map[string]any{
		"volunteers": len(in.Volunteers), "shifts": len(in.Shifts), "slots": res.Slots, "filled": res.Filled,
		"objective": res.Objective, "optimal": res.Optimal, "seconds": secs,
	}
	if res.BoundKnown {
		line["bound"], line["gap"] = res.Bound, res.Gap()
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(line)
	}
	fmt.Fprintf(stdout, "filled %d of %d slots; objective %d", res.Filled, res.Slots, res.Objective)
	if res.BoundKnown {
		fmt.Fprintf(stdout, ", bound %d (gap %.3f%%)", res.Bound, 100*res.Gap())
	}
	fmt.Fprintf(stdout, "; %.2f s\n", secs)
	return nil
}

// benchSide is one method's figures in the benchmark line.
type benchSide struct {
	Objective int64   `json:"objective"`
	Seconds   float64 `json:"seconds"`
	assign.Metrics
}

func benchAssign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench assign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c assign.GenConfig
	fs.IntVar(&c.Volunteers, "volunteers", 10000, "volunteers to generate")
	fs.IntVar(&c.Shifts, "shifts", 1000, "shifts to generate")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the generator")
	fs.BoolVar(&c.Scarce, "scarce", false, "fewer willing volunteers than slots, many overlapping shifts")
	lpPath := fs.String("lp", "", "write the exact integer program (CPLEX LP) here")
	instPath := fs.String("instance", "", "write the generated instance JSON here")
	outPath := fs.String("out", "", "write the assignment JSON here")
	asJSON := fs.Bool("json", false, "print the JSON line only")
	boundIt := fs.Int("bound-iterations", -1, "subgradient steps for the lower bound over all eligible pairs (-1: none; 0: default)")
	cbcSecs := fs.Int("cbc", 0, "also solve the LP with CBC for at most this many seconds and report the gap (0: no)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the solver here")
	def := assign.DefaultOptions()
	perSlot := fs.Int("candidates", def.MaxCandidates, "candidates kept per slot (0: every eligible volunteer)")
	guide := fs.Int("guide", def.GuideIterations, "Lagrangian steps guiding the start where volunteers are scarce")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.Volunteers < 0 || c.Shifts < 0 {
		return errors.New("--volunteers and --shifts must not be negative")
	}
	in := assign.Generate(c)
	if *instPath != "" {
		if err := writeJSONFile(*instPath, in); err != nil {
			return err
		}
	}
	line := map[string]any{
		"volunteers": c.Volunteers, "shifts": c.Shifts, "seed": c.Seed, "scarce": c.Scarce, "slots": in.Slots(),
	}

	runtime.GC()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer f.Close()
	}
	start := time.Now()
	opt := def
	opt.MaxCandidates = *perSlot
	opt.GuideIterations = *guide
	opt.BoundIterations = -1 // the bound is measured apart, below
	res, err := assign.Solve(ctx, in, opt)
	if err != nil {
		return err
	}
	pprof.StopCPUProfile()
	solver := benchSide{Objective: res.Objective, Seconds: time.Since(start).Seconds(), Metrics: assign.Measure(in, res.Assignments)}
	line["peak_rss_mb"] = peakRSSMB()
	line["solver"] = solver
	if v := assign.Violations(in, res.Assignments); len(v) > 0 {
		return fmt.Errorf("the solver broke %d hard constraints, first: %s", len(v), v[0])
	}
	if *outPath != "" {
		if err := writeJSONFile(*outPath, res); err != nil {
			return err
		}
	}

	start = time.Now()
	base := assign.Baseline(in)
	baseObj, err := assign.Objective(in, base)
	if err != nil {
		return err
	}
	line["baseline"] = benchSide{Objective: baseObj, Seconds: time.Since(start).Seconds(), Metrics: assign.Measure(in, base)}

	if *boundIt >= 0 {
		start = time.Now()
		b, err := assign.LowerBound(ctx, in, res.Objective, *boundIt)
		if err != nil {
			return err
		}
		line["bound"] = map[string]any{"value": b, "seconds": time.Since(start).Seconds(), "gap": gap(res.Objective, float64(b))}
	}

	if *lpPath != "" || *cbcSecs > 0 {
		path := *lpPath
		if path == "" {
			dir, err := os.MkdirTemp("", "sharaka-lp-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "instance.lp")
		}
		if err := writeLPFile(path, in); err != nil {
			return err
		}
		if *cbcSecs > 0 {
			cr, err := assign.RunCBC(ctx, path, time.Duration(*cbcSecs)*time.Second)
			if err != nil {
				return err
			}
			cbc := map[string]any{"status": cr.Status, "optimal": cr.Optimal, "seconds": cr.Seconds}
			if cr.Feasible {
				cbc["objective"] = cr.Objective
				cbc["gap"] = gap(res.Objective, cr.Objective)
			}
			if cr.BoundKnown {
				cbc["best_bound"] = cr.BestBound
				cbc["gap_to_bound"] = gap(res.Objective, cr.BestBound)
			}
			line["cbc"] = cbc
		}
	}
	if !*asJSON {
		fmt.Fprintf(stderr, "solver: filled %d of %d in %.2f s; baseline filled %d\n",
			solver.Filled, solver.Slots, solver.Seconds, line["baseline"].(benchSide).Filled)
	}
	return json.NewEncoder(stdout).Encode(line)
}

// gap is how far ours lies above ref, relative to |ref|.
func gap(ours int64, ref float64) float64 {
	if ref == 0 {
		return 0
	}
	d := (float64(ours) - ref) / ref
	if ref < 0 {
		d = -d
	}
	return d
}

// peakRSSMB is the most memory the process has held, from getrusage.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // kilobytes on Linux
}

func readInstance(path string) (*assign.Instance, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var in assign.Instance
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if in.Weights == (assign.Weights{}) {
		in.Weights = assign.DefaultWeights()
	}
	return &in, nil
}

func writeJSONFile(path string, v any) error {
	return writeFile(path, func(w io.Writer) error { return json.NewEncoder(w).Encode(v) })
}

func writeLPFile(path string, in *assign.Instance) error {
	return writeFile(path, func(w io.Writer) error { return assign.WriteLP(w, in) })
}

// writeFile creates path and writes it through a buffer with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
