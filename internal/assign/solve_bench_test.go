package assign

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSolve measures Solve on generated cities, model building and
// teams and reasons included, the bound left out (docs/assign.md):
//
//	go test ./internal/assign -run '^$' -bench Solve -benchtime 3x -benchmem
func BenchmarkSolve(b *testing.B) {
	for _, c := range []GenConfig{
		{Volunteers: 10_000, Shifts: 1_000, Seed: 1},
		{Volunteers: 5_000, Shifts: 2_000, Seed: 1, Scarce: true},
		{Volunteers: 100_000, Shifts: 10_000, Seed: 1},
	} {
		name := fmt.Sprintf("%dx%d", c.Volunteers, c.Shifts)
		if c.Scarce {
			name += "-scarce"
		}
		b.Run(name, func(b *testing.B) {
			in := Generate(c)
			opt := DefaultOptions()
			opt.BoundIterations = -1
			b.ResetTimer()
			for b.Loop() {
				res, err := Solve(context.Background(), in, opt)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Filled)/float64(res.Slots), "filled/slot")
			}
		})
	}
}
