package assign

import (
	"cmp"
	"context"
	"slices"
)

// exactNodes caps the branch and bound; past it the search gives up its
// proof and keeps the best distribution found.
const exactNodes = 5_000_000

// exact searches every choice of arcs, starting from the state's
// distribution as the one to beat, and leaves the best in the state. It
// returns true when the search completed, which proves optimality.
func (st *state) exact(ctx context.Context) bool {
	m := st.m
	// Pinned arcs stay placed; the search decides the others.
	order := make([]int32, 0, len(m.arcs))
	for i := range m.arcs {
		if !st.locked[i] {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(m.arcs[a].g, m.arcs[b].g), cmp.Compare(m.arcs[a].cost, m.arcs[b].cost), cmp.Compare(a, b))
	})
	best := st.cost
	bestOn := slices.Clone(st.on)
	for a, on := range st.on {
		if on && !st.locked[a] {
			st.remove(int32(a))
		}
	}
	nodes := 0
	complete := true
	gain := make([]int64, 0, 8)
	// optimistic is the most the arcs from position i on could still lower
	// the objective: per group, its best arcs for the room left, ignoring
	// load, overlaps and limits, which can only add cost or forbid.
	optimistic := func(i int) int64 {
		var total int64
		for i < len(order) {
			g := m.arcs[order[i]].g
			gain = gain[:0]
			for ; i < len(order) && m.arcs[order[i]].g == g; i++ {
				if d := m.arcs[order[i]].cost - m.groups[g].penalty; d < 0 {
					gain = append(gain, d)
				}
			}
			room := int(m.groups[g].cap - st.fill[g])
			slices.Sort(gain)
			for _, d := range gain[:min(room, len(gain))] {
				total += d
			}
		}
		return total
	}
	var dfs func(i int)
	dfs = func(i int) {
		if nodes++; nodes > exactNodes || (nodes%4096 == 0 && ctx.Err() != nil) {
			complete = false
			return
		}
		if st.cost+optimistic(i) >= best {
			return
		}
		if i == len(order) {
			best = st.cost
			copy(bestOn, st.on)
			return
		}
		a := order[i]
		ar := &m.arcs[a]
		if st.fill[ar.g] < m.groups[ar.g].cap && !st.onShift(ar.v, ar.s) && st.fits(a, -1) {
			st.add(a)
			dfs(i + 1)
			st.remove(a)
			if !complete {
				return
			}
		}
		dfs(i + 1)
	}
	dfs(0)
	for a, on := range bestOn {
		if on && !st.locked[a] {
			st.add(int32(a))
		}
	}
	return complete
}
