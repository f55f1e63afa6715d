package assign

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CBCResult is what CBC reported on an LP file written by WriteLP.
type CBCResult struct {
	// Status is the head of CBC's solution file: "Optimal", "Stopped on
	// time", "Stopped on time (no integer solution - continuous used)",
	// "Infeasible", …
	Status string `json:"status"`
	// Feasible says CBC found a solution; Objective and Values are its.
	Feasible  bool    `json:"feasible"`
	Objective float64 `json:"objective"`
	// BestBound is CBC's proven lower bound, known when BoundKnown (CBC
	// prints it when stopped early; at the optimum it is the objective).
	BestBound  float64 `json:"best_bound"`
	BoundKnown bool    `json:"bound_known"`
	Optimal    bool    `json:"optimal"`
	// Seconds is the wall time of the cbc process, reading the file included.
	Seconds float64 `json:"seconds"`
	// Values holds the nonzero columns of the solution by name; feed it to
	// LPAssignments.
	Values map[string]float64 `json:"-"`
}

// ErrNoCBC means the cbc program is not installed (Debian: coinor-cbc).
var ErrNoCBC = errors.New("cbc not found in PATH (install coinor-cbc)")

// RunCBC solves an LP file with CBC (cbc FILE timeMode elapsed sec N solve
// solu OUT), letting the search run timeLimit of wall time (0: no limit;
// reading the file comes on top). Cancelling ctx kills cbc.
func RunCBC(ctx context.Context, lpPath string, timeLimit time.Duration) (CBCResult, error) {
	bin, err := exec.LookPath("cbc")
	if err != nil {
		return CBCResult{}, ErrNoCBC
	}
	// cbc exits 0 on a missing file, so look first for a clear error.
	if _, err := os.Stat(lpPath); err != nil {
		return CBCResult{}, fmt.Errorf("cbc: %w", err)
	}
	dir, err := os.MkdirTemp("", "sharaka-cbc-")
	if err != nil {
		return CBCResult{}, fmt.Errorf("cbc: %w", err)
	}
	defer os.RemoveAll(dir)
	solPath := filepath.Join(dir, "solution.txt")
	args := []string{lpPath}
	if timeLimit > 0 {
		// CBC counts CPU seconds by default; the engine is timed on the wall.
		args = append(args, "timeMode", "elapsed", "sec", strconv.FormatFloat(timeLimit.Seconds(), 'f', -1, 64))
	}
	args = append(args, "solve", "solu", solPath)
	cmd := exec.CommandContext(ctx, bin, args...)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	began := time.Now()
	err = cmd.Run()
	seconds := time.Since(began).Seconds()
	if err != nil {
		return CBCResult{}, fmt.Errorf("cbc %s: %w: %s", lpPath, err, lastLines(log.String(), 5))
	}
	f, err := os.Open(solPath)
	if err != nil {
		return CBCResult{}, fmt.Errorf("cbc %s wrote no solution: %w: %s", lpPath, err, lastLines(log.String(), 5))
	}
	defer f.Close()
	res, err := readCBCSolution(f)
	if err != nil {
		return CBCResult{}, fmt.Errorf("cbc %s: %w", lpPath, err)
	}
	res.Seconds = seconds
	if res.Optimal {
		res.BestBound, res.BoundKnown = res.Objective, true
	} else if b, ok := cbcLowerBound(log.String()); ok {
		res.BestBound, res.BoundKnown = b, true
	}
	return res, nil
}

// readCBCSolution reads CBC's solution file: a status line such as
// "Optimal - objective value 123.00000000", then one line per column:
// index, name, value, reduced cost ("**" first marks an infeasible value).
func readCBCSolution(r io.Reader) (CBCResult, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return CBCResult{}, fmt.Errorf("read solution: %w", err)
		}
		return CBCResult{}, errors.New("read solution: empty file")
	}
	var res CBCResult
	head := strings.TrimSpace(sc.Text())
	status, value, found := strings.Cut(head, " - objective value ")
	res.Status = strings.TrimSpace(status)
	if found {
		obj, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return CBCResult{}, fmt.Errorf("read solution: objective in %q: %w", head, err)
		}
		res.Objective = obj
		// Stopped early without an integer solution, CBC reports the
		// relaxation's value: "… (no integer solution - continuous used)".
		res.Feasible = !strings.Contains(res.Status, "nfeasible") && !strings.Contains(res.Status, "no integer solution")
	}
	res.Optimal = res.Status == "Optimal"
	res.Values = make(map[string]float64)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "**" {
			f = f[1:]
		}
		if len(f) < 3 {
			continue
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return CBCResult{}, fmt.Errorf("read solution: value of %s: %w", f[1], err)
		}
		if v != 0 {
			res.Values[f[1]] = v
		}
	}
	if err := sc.Err(); err != nil {
		return CBCResult{}, fmt.Errorf("read solution: %w", err)
	}
	return res, nil
}

// cbcLowerBound finds "Lower bound: 123.4" in CBC's log, printed when the
// search stopped before proving optimality.
func cbcLowerBound(log string) (float64, bool) {
	for line := range strings.Lines(log) {
		rest, ok := strings.CutPrefix(line, "Lower bound:")
		if !ok {
			continue
		}
		b, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		return b, err == nil
	}
	return 0, false
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
