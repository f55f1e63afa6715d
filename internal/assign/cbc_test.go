package assign

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadCBCSolution(t *testing.T) {
	cases := []struct {
		name, text string
		want       CBCResult
	}{
		{
			name: "optimal",
			text: "Optimal - objective value 95.00000000\n" +
				"      0 x0                     1                      -5\n" +
				"      1 x1                     0                      -3\n" +
				"      3 one                    1                     100\n",
			want: CBCResult{Status: "Optimal", Feasible: true, Optimal: true, Objective: 95, Values: map[string]float64{"x0": 1, "one": 1}},
		},
		{
			name: "stopped on time",
			text: "Stopped on time - objective value -12.5\n" +
				"** 2 z4_2                  0.5                      3\n",
			want: CBCResult{Status: "Stopped on time", Feasible: true, Objective: -12.5, Values: map[string]float64{"z4_2": 0.5}},
		},
		{
			name: "stopped without a solution",
			text: "Stopped on time (no integer solution - continuous used) - objective value 4810824859.23333454\n" +
				"      0 one                      1              7.7108e+09\n",
			want: CBCResult{Status: "Stopped on time (no integer solution - continuous used)", Objective: 4810824859.23333454, Values: map[string]float64{"one": 1}},
		},
		{
			name: "infeasible",
			text: "Infeasible - objective value 0.00000000\n",
			want: CBCResult{Status: "Infeasible", Values: map[string]float64{}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readCBCSolution(strings.NewReader(c.text))
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want.Status || got.Feasible != c.want.Feasible || got.Optimal != c.want.Optimal ||
				got.Objective != c.want.Objective || len(got.Values) != len(c.want.Values) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for k, v := range c.want.Values {
				if got.Values[k] != v {
					t.Fatalf("%s = %v, want %v", k, got.Values[k], v)
				}
			}
		})
	}
	for _, bad := range []string{"", "Optimal - objective value many\n", "Optimal - objective value 1\n 0 x0 one 0\n"} {
		if _, err := readCBCSolution(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestCBCLowerBound(t *testing.T) {
	log := "Result - Stopped on time limit\n\nObjective value:                1234.00000000\nLower bound:                    1200.500\nGap:                            0.03\n"
	if b, ok := cbcLowerBound(log); !ok || b != 1200.5 {
		t.Fatalf("bound %v %v, want 1200.5", b, ok)
	}
	if _, ok := cbcLowerBound("Result - Optimal solution found\n\nObjective value: 5\n"); ok {
		t.Fatal("a bound found in a log that prints none")
	}
}

func TestRunCBCWithoutCBC(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := RunCBC(context.Background(), "x.lp", time.Second); !errors.Is(err, ErrNoCBC) {
		t.Fatalf("err %v, want ErrNoCBC", err)
	}
}

func TestRunCBC(t *testing.T) {
	if _, err := exec.LookPath("cbc"); err != nil {
		t.Skip("cbc is not installed (Debian: apt-get install coinor-cbc)")
	}
	in := lpTinyInstance(rand.New(rand.NewPCG(5, 5)))
	path := filepath.Join(t.TempDir(), "in.lp")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteLP(f, in); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := RunCBC(context.Background(), path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Optimal || !res.BoundKnown || res.BestBound != res.Objective || res.Seconds <= 0 || math.IsNaN(res.Objective) {
		t.Fatalf("result %+v: want optimal with the bound at the objective", res)
	}
	if _, err := RunCBC(context.Background(), filepath.Join(t.TempDir(), "missing.lp"), time.Second); err == nil {
		t.Fatal("a missing LP file gave no error")
	}
}
