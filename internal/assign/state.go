package assign

import (
	"fmt"
	"slices"
)

// state is a distribution under construction: which candidate arcs are
// chosen, kept so that each move is checked and priced in time proportional
// to the volunteer's few shifts.
type state struct {
	m      *model
	on     []bool    // per arc
	locked []bool    // per arc: pinned, never removed
	vArcs  [][]int32 // chosen arcs per volunteer
	vMin   []int64   // minutes taken per volunteer
	fill   []int32   // per group
	gArcs  [][]int32 // chosen arcs per group
	cost   int64
	filled int
}

func newState(m *model) *state {
	st := &state{
		m:      m,
		on:     make([]bool, len(m.arcs)),
		locked: make([]bool, len(m.arcs)),
		vArcs:  make([][]int32, len(m.in.Volunteers)),
		vMin:   make([]int64, len(m.in.Volunteers)),
		fill:   make([]int32, len(m.groups)),
		gArcs:  make([][]int32, len(m.groups)),
	}
	for _, g := range m.groups {
		st.cost += g.penalty * int64(g.cap)
	}
	return st
}

// pin places the pinned arcs and locks them; it fails when they break a
// hard constraint together.
func (st *state) pin() error {
	m := st.m
	for _, a := range m.pinned {
		ar := &m.arcs[a]
		if st.fill[ar.g] >= m.groups[ar.g].cap || st.onShift(ar.v, ar.s) || !st.fits(a, -1) {
			return fmt.Errorf("pinned %s on %s: over the role's slots, on an overlapping shift or over a limit",
				m.in.Volunteers[ar.v].ID, m.in.Shifts[ar.s].ID)
		}
		st.add(a)
		st.locked[a] = true
	}
	return nil
}

// onShift reports whether v already holds a role on shift s.
func (st *state) onShift(v, s int32) bool {
	for _, b := range st.vArcs[v] {
		if st.m.arcs[b].s == s {
			return true
		}
	}
	return false
}

// addDelta is what adding arc a changes in the objective.
func (st *state) addDelta(a int32) int64 {
	ar := &st.m.arcs[a]
	return ar.cost - st.m.groups[ar.g].penalty + st.m.in.Weights.Load*int64(len(st.vArcs[ar.v]))
}

// removeDelta is what removing chosen arc a changes.
func (st *state) removeDelta(a int32) int64 {
	ar := &st.m.arcs[a]
	return -ar.cost + st.m.groups[ar.g].penalty - st.m.in.Weights.Load*int64(len(st.vArcs[ar.v])-1)
}

func (st *state) add(a int32) {
	ar := &st.m.arcs[a]
	st.cost += st.addDelta(a)
	st.on[a] = true
	st.vArcs[ar.v] = append(st.vArcs[ar.v], a)
	st.vMin[ar.v] += st.m.minutes[ar.s]
	st.fill[ar.g]++
	st.gArcs[ar.g] = append(st.gArcs[ar.g], a)
	st.filled++
}

func (st *state) remove(a int32) {
	ar := &st.m.arcs[a]
	st.cost += st.removeDelta(a)
	st.on[a] = false
	st.vArcs[ar.v] = deleteValue(st.vArcs[ar.v], a)
	st.vMin[ar.v] -= st.m.minutes[ar.s]
	st.fill[ar.g]--
	st.gArcs[ar.g] = deleteValue(st.gArcs[ar.g], a)
	st.filled--
}

func deleteValue(s []int32, x int32) []int32 {
	if i := slices.Index(s, x); i >= 0 {
		s[i] = s[len(s)-1]
		return s[:len(s)-1]
	}
	return s
}

// clashes reports whether volunteer v's chosen arcs, apart from skip, hold a
// shift that overlaps (or is) shift s.
func (st *state) clashes(v int32, s int32, skip int32) bool {
	m := st.m
	for _, b := range st.vArcs[v] {
		if b == skip {
			continue
		}
		t := m.arcs[b].s
		if t == s || (m.start[t] < m.end[s] && m.start[s] < m.end[t]) {
			return true
		}
	}
	return false
}

// fits reports whether v could take arc a if arc skip (one of v's, or -1)
// were removed first: no clash and within both limits. Room in the group is
// checked by the caller.
func (st *state) fits(a int32, skip int32) bool {
	m := st.m
	ar := &m.arcs[a]
	n, mins := len(st.vArcs[ar.v]), st.vMin[ar.v]
	if skip >= 0 {
		n--
		mins -= m.minutes[m.arcs[skip].s]
	}
	if n+1 > m.in.Volunteers[ar.v].MaxShifts || mins+m.minutes[ar.s] > m.maxMin[ar.v] {
		return false
	}
	return !st.clashes(ar.v, ar.s, skip)
}

// assignments lists the chosen arcs as assignments, in arc order.
func (st *state) assignments() []Assignment {
	m := st.m
	out := make([]Assignment, 0, st.filled)
	for a, on := range st.on {
		if !on {
			continue
		}
		ar := &m.arcs[a]
		out = append(out, Assignment{
			Volunteer: m.in.Volunteers[ar.v].ID,
			Shift:     m.in.Shifts[ar.s].ID,
			Role:      int(m.groups[ar.g].role),
		})
	}
	return out
}
