package assign

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
)

// LowerBound proves a lower bound on the objective of any distribution of
// the instance, over every eligible pair (no pruning); upper is the best
// known objective, which steers the steps. iterations 0 means the default.
func LowerBound(ctx context.Context, in *Instance, upper int64, iterations int) (int64, error) {
	if err := in.Validate(); err != nil {
		return 0, fmt.Errorf("assign: %w", err)
	}
	m, err := newModel(in, Options{})
	if err != nil {
		return 0, fmt.Errorf("assign: %w", err)
	}
	b, _, err := lagrangianBound(ctx, m, upper, iterations)
	return b, err
}

// lagrangianBound proves a lower bound on the objective. It relaxes the
// slot limits of the roles with prices λ ≥ 0: each volunteer then chooses,
// alone, the best set of non-overlapping shifts within their limits at the
// priced costs (a small dynamic programme), and
//
//	L(λ) = Σ_g (penalty_g − λ_g)·cap_g + Σ_v min_S Σ_{a∈S} (cost_a − penalty_g(a) + λ_g(a)) + Load·|S|(|S|−1)/2
//
// is below the optimum for every λ ≥ 0. Subgradient steps raise the prices
// of over-asked roles; the best L found is returned, rounded up because
// every objective is a whole number. upper is the best known objective.
//
// It also returns the prices at the best L, which guide a distribution
// built volunteer by volunteer.
func lagrangianBound(ctx context.Context, m *model, upper int64, iterations int) (int64, []float64, error) {
	if iterations == 0 {
		iterations = 300
	}
	lb := newLagrange(m)
	// Start each role at the price where only as many volunteers as it has
	// slots would still want it if it were their only choice: the cost of
	// the next cheapest candidate.
	lambda := make([]float64, len(m.groups))
	for g, arcs := range m.groupArcs {
		if c := int(m.groups[g].cap); len(arcs) > c {
			lambda[g] = max(0, float64(m.groups[g].penalty-m.arcs[arcs[c]].cost))
		}
	}
	use := make([]int32, len(m.groups))
	value := func() float64 {
		clear(use)
		val := 0.0
		for g := range m.groups {
			val += (float64(m.groups[g].penalty) - lambda[g]) * float64(m.groups[g].cap)
		}
		for v := range m.in.Volunteers {
			val += lb.volunteer(int32(v), lambda, use)
		}
		return val
	}
	// Where volunteers are scarce most roles end up unpriced, and zero is
	// the better start: keep whichever start is higher.
	warm := value()
	saved := slices.Clone(lambda)
	clear(lambda)
	if value() < warm {
		copy(lambda, saved)
	}
	best := math.Inf(-1)
	bestLambda := slices.Clone(lambda)
	theta, stall := 2.0, 0
	for it := range iterations {
		if it%8 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, nil, fmt.Errorf("assign: bound: %w", err)
			}
		}
		val := value()
		if val > best+1e-9 {
			best, stall = val, 0
			copy(bestLambda, lambda)
		} else if stall++; stall >= 12 {
			theta, stall = theta/2, 0
		}
		if best >= float64(upper)-0.999 || theta < 1e-4 {
			break
		}
		var norm float64
		for g := range m.groups {
			d := float64(use[g] - m.groups[g].cap)
			if d < 0 && lambda[g] == 0 {
				d = 0 // the price cannot fall below zero
			}
			norm += d * d
		}
		if norm == 0 {
			break // every role within its slots: the relaxed choice is optimal
		}
		step := theta * (float64(upper) - val) / norm
		for g := range m.groups {
			lambda[g] = max(0, lambda[g]+step*float64(use[g]-m.groups[g].cap))
		}
	}
	return int64(math.Ceil(best - 1e-6)), bestLambda, nil
}

// lagrange holds the per-volunteer data of the relaxed problem.
type lagrange struct {
	m *model
	// byEnd[v] lists v's shifts (each once) in order of end.
	byEnd [][]int32
	// shiftArcs[v][i] are v's arcs on the i-th shift of byEnd[v].
	shiftArcs [][][]int32
	// hourUnit[v] > 0 when v's hour limit is tracked, in minutes per unit.
	hourUnit []int64
	// chosen holds the arcs of the last volunteer solved.
	chosen []int32
	// scratch
	item []lagItem
	f    []float64
	pick []int32
}

type lagItem struct {
	s    int32
	arc  int32
	w    float64
	size int // in hour units
	prev int // index of the last item ending at or before this one's start, −1 if none
}

func newLagrange(m *model) *lagrange {
	nv := len(m.in.Volunteers)
	lb := &lagrange{m: m, byEnd: make([][]int32, nv), shiftArcs: make([][][]int32, nv), hourUnit: make([]int64, nv)}
	for v := range nv {
		arcs := slices.Clone(m.volArcs[v])
		slices.SortFunc(arcs, func(a, b int32) int {
			sa, sb := m.arcs[a].s, m.arcs[b].s
			return cmp.Or(cmp.Compare(m.end[sa], m.end[sb]), cmp.Compare(sa, sb), cmp.Compare(a, b))
		})
		var total, unit int64
		for _, a := range arcs {
			s := m.arcs[a].s
			if n := len(lb.byEnd[v]); n > 0 && lb.byEnd[v][n-1] == s {
				lb.shiftArcs[v][n-1] = append(lb.shiftArcs[v][n-1], a)
				continue
			}
			lb.byEnd[v] = append(lb.byEnd[v], s)
			lb.shiftArcs[v] = append(lb.shiftArcs[v], []int32{a})
			total += m.minutes[s]
			unit = gcd(unit, m.minutes[s])
		}
		// Track hours only when they can bind (the longest shifts the
		// volunteer may take exceed the limit) and the table stays small;
		// leaving a limit out keeps the bound valid, only weaker.
		if unit > 0 && min(total, longest(m, lb.byEnd[v], m.in.Volunteers[v].MaxShifts)) > m.maxMin[v] && m.maxMin[v]/unit <= 64 {
			lb.hourUnit[v] = unit
		}
	}
	return lb
}

// longest is the total length of the k longest shifts in ss.
func longest(m *model, ss []int32, k int) int64 {
	mins := make([]int64, len(ss))
	for i, s := range ss {
		mins[i] = m.minutes[s]
	}
	slices.Sort(mins)
	var t int64
	for i := len(mins) - 1; i >= 0 && i >= len(mins)-k; i-- {
		t += mins[i]
	}
	return t
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// volunteer solves v's relaxed choice at prices lambda, counts the chosen
// roles in use and returns its value.
func (lb *lagrange) volunteer(v int32, lambda []float64, use []int32) float64 {
	m := lb.m
	vol := &m.in.Volunteers[v]
	load := float64(m.in.Weights.Load)
	lb.chosen = lb.chosen[:0]
	items := lb.item[:0]
	for i, s := range lb.byEnd[v] {
		bestW, bestA := 0.0, int32(-1)
		for _, a := range lb.shiftArcs[v][i] {
			g := m.arcs[a].g
			if w := float64(m.arcs[a].cost-m.groups[g].penalty) + lambda[g]; w < bestW {
				bestW, bestA = w, a
			}
		}
		// A shift that does not pay for itself at the first load step is
		// never worth taking.
		if bestA < 0 {
			continue
		}
		size := 0
		if u := lb.hourUnit[v]; u > 0 {
			size = int(m.minutes[s] / u)
		}
		items = append(items, lagItem{s: s, arc: bestA, w: bestW, size: size})
	}
	lb.item = items
	if len(items) == 0 {
		return 0
	}
	if vol.MaxShifts == 1 {
		// One shift: the cheapest item (each fits the hours on its own).
		best := 0
		for i := range items {
			if items[i].w < items[best].w {
				best = i
			}
		}
		use[m.arcs[items[best].arc].g]++
		lb.chosen = append(lb.chosen, items[best].arc)
		return items[best].w
	}
	// prev by binary search on the ends, which are sorted.
	for i := range items {
		st := m.start[items[i].s]
		j := sort.Search(i, func(j int) bool { return m.end[items[j].s] > st })
		items[i].prev = j - 1
	}
	K := min(vol.MaxShifts, len(items))
	H := 0
	if u := lb.hourUnit[v]; u > 0 {
		H = int(m.maxMin[v] / u)
	}
	// f[(i+1)][k][h]: best sum of w over items[0..i] choosing k of them using
	// h hour units; row 0 is the empty prefix.
	kw, hw := K+1, H+1
	rows := len(items) + 1
	need := rows * kw * hw
	if cap(lb.f) < need {
		lb.f = make([]float64, need)
		lb.pick = make([]int32, need)
	}
	f, pick := lb.f[:need], lb.pick[:need]
	inf := math.Inf(1)
	for i := range f {
		f[i] = inf
	}
	at := func(r, k, h int) int { return (r*kw+k)*hw + h }
	for h := range hw {
		f[at(0, 0, h)] = 0
	}
	for i, it := range items {
		r := i + 1
		pr := it.prev + 1
		for k := range kw {
			for h := range hw {
				x := at(r, k, h)
				f[x], pick[x] = f[at(r-1, k, h)], 0
				if k > 0 && h >= it.size {
					if c := f[at(pr, k-1, h-it.size)] + it.w; c < f[x] {
						f[x], pick[x] = c, 1
					}
				}
			}
		}
	}
	bestK, best := 0, 0.0
	for k := 1; k <= K; k++ {
		if c := f[at(rows-1, k, H)] + load*float64(k*(k-1)/2); c < best {
			best, bestK = c, k
		}
	}
	// Walk back to count which roles were chosen.
	r, k, h := rows-1, bestK, H
	for k > 0 && r > 0 {
		if pick[at(r, k, h)] == 1 {
			it := items[r-1]
			use[m.arcs[it.arc].g]++
			lb.chosen = append(lb.chosen, it.arc)
			k--
			h -= it.size
			r = it.prev + 1
		} else {
			r--
		}
	}
	return best
}
