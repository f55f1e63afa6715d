package assign

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// Solve distributes the instance's volunteers into its shifts and teams.
// docs/assign.md describes the method: candidate pruning, a greedy start in
// order of urgency and scarcity, local search with ejection chains, and for
// small instances a complete branch and bound; a Lagrangian bound measures
// how far from the best possible the answer can be.
func Solve(ctx context.Context, in *Instance, opt Options) (*Result, error) {
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("assign: %w", err)
	}
	progress := func(f float64) {
		if opt.Progress != nil {
			opt.Progress(f)
		}
	}
	m, err := newModel(in, opt)
	if err != nil {
		return nil, fmt.Errorf("assign: %w", err)
	}
	progress(0.1)
	st := newState(m)
	if err := st.pin(); err != nil {
		return nil, fmt.Errorf("assign: %w", err)
	}
	st.greedy()
	// Where the greedy start leaves many slots empty, volunteers are the
	// scarce side: a start built volunteer by volunteer does better there
	// (docs/assign.md has the figures).
	if float64(st.filled) < 0.95*float64(in.Slots()) {
		prices := make([]float64, len(m.groups))
		if opt.GuideIterations > 0 {
			_, lambda, err := lagrangianBound(ctx, m, st.cost, opt.GuideIterations)
			if err != nil {
				return nil, err
			}
			prices = lambda
		}
		st = newState(m)
		_ = st.pin() // succeeded above on the same model
		st.volunteerGreedy(prices)
	}
	progress(0.2)
	if err := st.improve(ctx, func(f float64) { progress(0.2 + 0.5*f) }); err != nil {
		return nil, err
	}
	res := &Result{Slots: in.Slots()}
	if len(m.arcs) <= opt.ExactArcs && !m.pruned {
		if st.exact(ctx) {
			res.Optimal = true
		}
	}
	progress(0.8)
	res.Objective = st.cost
	if res.Optimal {
		res.Bound, res.BoundKnown = st.cost, true
	} else if opt.BoundIterations >= 0 {
		bm := m
		if m.pruned {
			// A bound must see every eligible pair.
			if bm, err = newModel(in, Options{}); err != nil {
				return nil, fmt.Errorf("assign: %w", err)
			}
		}
		b, _, err := lagrangianBound(ctx, bm, st.cost, opt.BoundIterations)
		if err != nil {
			return nil, err
		}
		res.Bound, res.BoundKnown = b, true
		res.Optimal = b >= st.cost
	}
	progress(0.95)
	res.Filled = st.filled
	res.Assignments = Explain(in, FormTeams(in, st.assignments()))
	res.Shortages = Shortages(in, res.Assignments)
	progress(1)
	return res, nil
}

// order lists the groups most urgent first, then scarcest (fewest candidates
// per slot), then earliest, so contested volunteers go where they are
// needed most.
func (st *state) order() []int32 {
	m := st.m
	gs := make([]int32, len(m.groups))
	for i := range gs {
		gs[i] = int32(i)
	}
	slices.SortFunc(gs, func(a, b int32) int {
		ga, gb := &m.groups[a], &m.groups[b]
		ra := float64(len(m.groupArcs[a])) / float64(ga.cap)
		rb := float64(len(m.groupArcs[b])) / float64(gb.cap)
		return cmp.Or(cmp.Compare(gb.penalty, ga.penalty), cmp.Compare(ra, rb), cmp.Compare(m.start[ga.s], m.start[gb.s]), cmp.Compare(a, b))
	})
	return gs
}

// greedy fills each group in order with the cheapest volunteers who fit,
// counting the load their earlier shifts add.
func (st *state) greedy() {
	for _, g := range st.order() {
		for st.fill[g] < st.m.groups[g].cap {
			best, bestD := int32(-1), int64(0)
			for _, a := range st.m.groupArcs[g] {
				if !st.fits(a, -1) {
					continue
				}
				if d := st.addDelta(a); d < bestD {
					best, bestD = a, d
				}
			}
			if best < 0 {
				break
			}
			st.add(best)
		}
	}
}

// volunteerGreedy lets each volunteer, least choice first, take the best
// set of shifts still open to them: the most urgent and closest that do not
// overlap and fit their limits, found by the same small dynamic programme
// the bound uses, with full roles priced out.
func (st *state) volunteerGreedy(prices []float64) {
	m := st.m
	lb := newLagrange(m)
	closed := slices.Clone(prices)
	use := make([]int32, len(m.groups))
	order := make([]int32, len(m.in.Volunteers))
	for i := range order {
		order[i] = int32(i)
	}
	// Fewest candidate roles per shift they may take first: they have the
	// least choice.
	flex := func(v int32) float64 {
		return float64(len(m.volArcs[v])) / float64(max(1, m.in.Volunteers[v].MaxShifts))
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(flex(a), flex(b)) })
	for _, v := range order {
		if len(m.volArcs[v]) == 0 {
			continue
		}
		lb.volunteer(v, closed, use)
		for _, a := range lb.chosen {
			g := m.arcs[a].g
			if st.fill[g] < m.groups[g].cap && !st.onShift(v, m.arcs[a].s) && st.fits(a, -1) {
				st.add(a)
			}
			if st.fill[g] >= m.groups[g].cap {
				closed[g] = math.Inf(1)
			}
		}
	}
}

// improve runs rounds of local search until a round finds nothing better.
// Every move is applied, priced by the state and undone when it does not
// lower the objective, so no move can break a hard constraint unnoticed.
func (st *state) improve(ctx context.Context, progress func(float64)) error {
	order := st.order()
	const maxRounds = 30
	for round := range maxRounds {
		before := st.cost
		for i, g := range order {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("assign: %w", err)
				}
			}
			st.fillGroup(g)
			st.replaceIn(g)
		}
		progress(float64(round+1) / maxRounds)
		if st.cost >= before {
			break
		}
	}
	return nil
}

// fillGroup puts volunteers into g's empty slots: directly, or by moving
// one of the volunteer's clashing shifts to someone else (an ejection chain
// of length two), whichever lowers the objective most.
func (st *state) fillGroup(g int32) {
	m := st.m
	for st.fill[g] < m.groups[g].cap {
		best, bestD := int32(-1), int64(0)
		for _, a := range m.groupArcs[g] {
			if st.on[a] || !st.fits(a, -1) || st.onShift(m.arcs[a].v, m.arcs[a].s) {
				continue
			}
			if d := st.addDelta(a); d < bestD {
				best, bestD = a, d
			}
		}
		if best >= 0 {
			st.add(best)
			continue
		}
		if !st.eject(g) {
			return
		}
	}
}

// chainDepth is how many volunteers one ejection chain may move, and
// chainBudget how many moves one search may try, so that a slot nobody can
// reach costs little to give up on.
const (
	chainDepth  = 4
	chainBudget = 400
)

// move takes arc rem away (−1 for none) and gives arc add.
type move struct{ rem, add int32 }

// eject looks for the best ejection chain that fills a slot of g: a
// candidate gives up one of their shifts (or switches role within the same
// shift) to take g, the slot they leave is filled the same way, and so on up
// to chainDepth links; the chain may also stop with a less urgent slot left
// empty. Each group is expanded once per search, as in an augmenting-path
// search. It applies the chain if it lowers the objective.
func (st *state) eject(g int32) bool {
	c := &chainSearch{st: st, bestCost: st.cost, seen: make(map[int32]bool)}
	c.seen[g] = true
	c.search(g, chainDepth)
	if c.best == nil {
		return false
	}
	for _, mv := range c.best {
		if mv.rem >= 0 {
			st.remove(mv.rem)
		}
		st.add(mv.add)
	}
	return true
}

type chainSearch struct {
	st       *state
	seq      []move
	best     []move
	bestCost int64
	seen     map[int32]bool
	tries    int
}

// search tries to fill one slot of g, which has room, from the current
// state; every state it reaches is compared with the best.
func (c *chainSearch) search(g int32, depth int) {
	st, m := c.st, c.st.m
	for _, a := range m.groupArcs[g] {
		ar := &m.arcs[a]
		if st.on[a] || c.tries >= chainBudget {
			continue
		}
		c.tries++
		v := ar.v
		// Free: take the slot directly.
		if !st.onShift(v, ar.s) && st.fits(a, -1) {
			st.add(a)
			c.consider(move{-1, a})
			st.remove(a)
			continue
		}
		for _, b := range slices.Clone(st.vArcs[v]) {
			if st.locked[b] {
				continue
			}
			if m.arcs[b].s != ar.s && st.onShift(v, ar.s) {
				continue // on this shift in another role: only that role may be given up
			}
			if !st.fits(a, b) {
				continue
			}
			gb := m.arcs[b].g
			st.remove(b)
			st.add(a)
			c.seq = append(c.seq, move{b, a})
			c.consider()
			if depth > 1 && !c.seen[gb] {
				c.seen[gb] = true
				c.search(gb, depth-1)
			}
			c.seq = c.seq[:len(c.seq)-1]
			st.remove(a)
			st.add(b)
		}
	}
}

// consider records the current state, reached by seq plus extra, if it is
// the best so far.
func (c *chainSearch) consider(extra ...move) {
	if c.st.cost < c.bestCost {
		c.bestCost = c.st.cost
		c.best = append(append([]move(nil), c.seq...), extra...)
	}
}

// replaceIn swaps a member of g for a cheaper candidate: one who is free,
// or one who is on a clashing shift that the member can take over.
func (st *state) replaceIn(g int32) {
	m := st.m
	for _, b := range slices.Clone(st.gArcs[g]) {
		if !st.on[b] || st.locked[b] {
			continue
		}
		v := m.arcs[b].v
		start := st.cost
		st.remove(b)
		bestA, bestD := int32(-1), start-st.cost // put b back: the cost to beat
		for _, a := range m.groupArcs[g] {
			w := m.arcs[a].v
			if st.on[a] || w == v || st.onShift(w, m.arcs[a].s) || !st.fits(a, -1) {
				continue
			}
			if d := st.addDelta(a); d < bestD {
				bestA, bestD = a, d
			}
		}
		if bestA >= 0 {
			st.add(bestA)
		} else {
			st.add(b)
		}
	}
}
