package assign

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The reference integer program, written in CPLEX LP format so an exact
// solver (CBC: `cbc file.lp solve solu out.txt`) can check the engine.
// Its objective has the scale of Objective, so the two compare to the unit:
//
//	min  C·one + Σ (PairCost − UnfilledCost)·x + Σ Load·(k−1)·z_vk
//
// with one fixed to 1 and C = Σ UnfilledCost·Slots, the cost of an empty
// distribution; filling a slot takes its UnfilledCost back.
//
// Columns: x<i>, binary, for every eligible (volunteer, shift, role) in the
// order of lpPairs; z<v>_<k> in [0,1] for the load; one.
// Rows: cap<s>_<r> (a role holds at most its slots); per volunteer
// clq<v>_<j> (overlapping shifts), cnt<v> (shift limit), min<v> (hour
// limit) and load<v> (the load term).

// lpLineMax keeps lines well under CPLEX's 255-character limit.
const lpLineMax = 200

// lpPair is column x<i>: volunteer V on role R of shift S.
type lpPair struct{ V, S, R int32 }

// lpPairs lists every eligible pair, by shift, then role, then volunteer.
// Cheap tests skip most ineligible pairs before Ineligible: availability,
// and the radius on unit vectors, whose squared chord is 4·h, h the
// haversine of the angle between them.
func lpPairs(in *Instance) []lpPair {
	const earthKm = 6371.0
	unit := func(p Point) [3]float64 {
		la, lo := p.Lat*math.Pi/180, p.Lon*math.Pi/180
		return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
	}
	home := make([][3]float64, len(in.Volunteers))
	reach := make([]float64, len(in.Volunteers)) // the largest squared chord within the radius
	for i := range in.Volunteers {
		v := &in.Volunteers[i]
		home[i] = unit(v.Home)
		half := math.Sin(math.Min(v.RadiusKm/earthKm, math.Pi) / 2)
		// The margin keeps rounding from dropping a pair Ineligible accepts.
		reach[i] = 4*half*half*(1+1e-9) + 1e-12
	}
	vi, si := in.index()
	excluded := make(map[[2]int]bool, len(in.Excluded))
	for _, p := range in.Excluded {
		excluded[[2]int{vi[p.Volunteer], si[p.Shift]}] = true
	}
	var pairs []lpPair
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		p := unit(sh.Place)
		for r := range sh.Roles {
			for v := range in.Volunteers {
				h := &home[v]
				dx, dy, dz := h[0]-p[0], h[1]-p[1], h[2]-p[2]
				vol := &in.Volunteers[v]
				// Availability is cheaper than Ineligible's distance, so it goes first.
				if dx*dx+dy*dy+dz*dz <= reach[v] && !excluded[[2]int{v, s}] && covers(vol.Availability, sh.Start, sh.End) && Ineligible(vol, sh, r) == Eligible {
					pairs = append(pairs, lpPair{int32(v), int32(s), int32(r)})
				}
			}
		}
	}
	return pairs
}

// WriteLP writes the instance's exact integer program in CPLEX LP format.
// It refuses a malformed instance: with a negative weight the load rows
// would no longer be exact.
func WriteLP(w io.Writer, in *Instance) error {
	if err := in.Validate(); err != nil {
		return fmt.Errorf("write lp: %w", err)
	}
	pairs := lpPairs(in)
	lw := &lpWriter{w: bufio.NewWriterSize(w, 1<<16)}
	lw.line(fmt.Sprintf("\\ sharaka assignment: %d volunteers, %d shifts, %d slots, %d eligible pairs",
		len(in.Volunteers), len(in.Shifts), in.Slots(), len(pairs)))
	byVol := lpByVolunteer(in, pairs)

	lw.line("Minimize")
	lw.start("obj:")
	var empty int64
	for s := range in.Shifts {
		for _, r := range in.Shifts[s].Roles {
			empty += UnfilledCost(in.Weights, &in.Shifts[s]) * int64(r.Slots)
		}
	}
	lw.write([]byte(" " + strconv.FormatInt(empty, 10) + " one")) // always named, even at 0
	for i, p := range pairs {
		v, s := &in.Volunteers[p.V], &in.Shifts[p.S]
		lw.term(PairCost(in.Weights, v, s)-UnfilledCost(in.Weights, s), "x", i)
	}
	loads := make([]int, len(in.Volunteers)) // highest k of z<v>_k
	if in.Weights.Load > 0 {
		for v, cols := range byVol {
			loads[v] = min(in.Volunteers[v].MaxShifts, lpShiftCount(pairs, cols))
			for k := 2; k <= loads[v]; k++ {
				lw.termName(in.Weights.Load*int64(k-1), "z"+strconv.Itoa(v)+"_"+strconv.Itoa(k))
			}
		}
	}
	lw.end()

	lw.line("Subject To")
	lpCapacityRows(lw, in, pairs)
	for v, cols := range byVol {
		lpVolunteerRows(lw, in, pairs, v, cols, loads[v])
	}

	lw.line("Bounds")
	lw.line(" 1 <= one <= 1")
	// Pinned placements are fixed at 1; an ineligible pin has no column
	// and makes the program infeasible, as the solver refuses it too.
	vi, si := in.index()
	pins := make(map[lpPair]bool, len(in.Pinned))
	for _, p := range in.Pinned {
		pins[lpPair{int32(vi[p.Volunteer]), int32(si[p.Shift]), int32(p.Role)}] = true
	}
	found := 0
	for i, p := range pairs {
		if pins[p] {
			lw.line(" 1 <= x" + strconv.Itoa(i) + " <= 1")
			found++
		}
	}
	if found < len(pins) {
		return fmt.Errorf("write lp: %d pinned placements are not eligible", len(pins)-found)
	}
	for v, k := range loads {
		for j := 2; j <= k; j++ {
			lw.line(" 0 <= z" + strconv.Itoa(v) + "_" + strconv.Itoa(j) + " <= 1")
		}
	}
	if len(pairs) > 0 {
		lw.line("Binaries")
		lw.start("")
		for i := range pairs {
			lw.termName(0, "x"+strconv.Itoa(i))
		}
		lw.end()
	}
	lw.line("End")
	if lw.err == nil {
		lw.err = lw.w.Flush()
	}
	if lw.err != nil {
		return fmt.Errorf("write lp: %w", lw.err)
	}
	return nil
}

// lpByVolunteer lists each volunteer's columns, by shift start.
func lpByVolunteer(in *Instance, pairs []lpPair) [][]int32 {
	byVol := make([][]int32, len(in.Volunteers))
	for i, p := range pairs {
		byVol[p.V] = append(byVol[p.V], int32(i))
	}
	for _, cols := range byVol {
		slices.SortStableFunc(cols, func(a, b int32) int {
			return in.Shifts[pairs[a].S].Start.Compare(in.Shifts[pairs[b].S].Start)
		})
	}
	return byVol
}

// lpShiftCount counts the distinct shifts among a volunteer's columns.
func lpShiftCount(pairs []lpPair, cols []int32) int {
	seen := make(map[int32]bool, len(cols))
	for _, c := range cols {
		seen[pairs[c].S] = true
	}
	return len(seen)
}

func lpCapacityRows(lw *lpWriter, in *Instance, pairs []lpPair) {
	for i := 0; i < len(pairs); {
		j := i
		for j < len(pairs) && pairs[j].S == pairs[i].S && pairs[j].R == pairs[i].R {
			j++
		}
		slots := in.Shifts[pairs[i].S].Roles[pairs[i].R].Slots
		if j-i > slots { // otherwise the row cannot bind
			lw.start("cap" + strconv.Itoa(int(pairs[i].S)) + "_" + strconv.Itoa(int(pairs[i].R)) + ":")
			for c := i; c < j; c++ {
				lw.term(1, "x", c)
			}
			lw.rhs("<=", int64(slots))
		}
		i = j
	}
}

// lpVolunteerRows writes one volunteer's rows; cols is sorted by start.
//
// Overlaps: shifts are intervals, so any set of pairwise overlapping shifts
// shares a moment (the latest start among them). One row per maximal set,
// "at most one column of the shifts running at start t", is therefore
// exact, and also keeps the volunteer to one role per shift. The set at t
// is maximal when a shift ends before the next start (or none follows).
//
// Load: with n = Σx, the row Σx − Σ_{k=2..K} z_k ≤ 1 forces Σz ≥ n−1 and
// n ≤ K. The costs Load·(k−1) of z_2…z_K rise with k, so the cheapest z
// meeting it sets z_2…z_n to 1 and the rest to 0, costing Load·n(n−1)/2,
// exactly LoadCost(n): for integer x the relaxation of z adds nothing.
func lpVolunteerRows(lw *lpWriter, in *Instance, pairs []lpPair, v int, cols []int32, loadK int) {
	if len(cols) == 0 {
		return
	}
	vol := &in.Volunteers[v]
	if vol.MaxShifts == 1 {
		// One row holds it all: each shift alone fits the hours (eligible).
		if len(cols) > 1 {
			lw.start("cnt" + strconv.Itoa(v) + ":")
			for _, c := range cols {
				lw.term(1, "x", int(c))
			}
			lw.rhs("<=", 1)
		}
		return
	}
	shiftOf := func(c int32) *Shift { return &in.Shifts[pairs[c].S] }
	var active []int32
	clique := 0
	for next := 0; next < len(cols); {
		t := shiftOf(cols[next]).Start
		active = slices.DeleteFunc(active, func(c int32) bool { return !shiftOf(c).End.After(t) })
		for next < len(cols) && shiftOf(cols[next]).Start.Equal(t) {
			active = append(active, cols[next])
			next++
		}
		maximal := next == len(cols) || slices.ContainsFunc(active, func(c int32) bool {
			return !shiftOf(c).End.After(shiftOf(cols[next]).Start)
		})
		if maximal && len(active) > 1 {
			lw.start("clq" + strconv.Itoa(v) + "_" + strconv.Itoa(clique) + ":")
			for _, c := range active {
				lw.term(1, "x", int(c))
			}
			lw.rhs("<=", 1)
			clique++
		}
	}

	nShifts := lpShiftCount(pairs, cols)
	if loadK >= 2 {
		lw.start("load" + strconv.Itoa(v) + ":")
		for _, c := range cols {
			lw.term(1, "x", int(c))
		}
		for k := 2; k <= loadK; k++ {
			lw.termName(-1, "z"+strconv.Itoa(v)+"_"+strconv.Itoa(k))
		}
		lw.rhs("<=", 1)
	} else if nShifts > vol.MaxShifts {
		lw.start("cnt" + strconv.Itoa(v) + ":")
		for _, c := range cols {
			lw.term(1, "x", int(c))
		}
		lw.rhs("<=", int64(vol.MaxShifts))
	}

	var minutes int64
	seen := make(map[int32]bool, nShifts)
	for _, c := range cols {
		if !seen[pairs[c].S] {
			seen[pairs[c].S] = true
			minutes += shiftOf(c).Minutes()
		}
	}
	if minutes > vol.MaxMinutes() {
		lw.start("min" + strconv.Itoa(v) + ":")
		for _, c := range cols {
			lw.term(shiftOf(c).Minutes(), "x", int(c))
		}
		lw.rhs("<=", vol.MaxMinutes())
	}
}

// lpWriter writes LP text, wrapping long expressions onto continuation
// lines, and keeps the first error.
type lpWriter struct {
	w   *bufio.Writer
	n   int // length of the current line
	buf []byte
	err error
}

func (lw *lpWriter) write(s []byte) {
	if lw.err != nil {
		return
	}
	_, lw.err = lw.w.Write(s)
	if i := bytes.LastIndexByte(s, '\n'); i >= 0 {
		lw.n = len(s) - i - 1
	} else {
		lw.n += len(s)
	}
}

func (lw *lpWriter) line(s string) { lw.write([]byte(s + "\n")) }

// start opens an expression with its label.
func (lw *lpWriter) start(label string) {
	lw.write([]byte(" " + label))
}

// term appends "± |coef| name<index>" (index < 0: no index); a zero
// coefficient writes nothing, a coefficient of 1 writes no number. In the
// Binaries section (coef 0 through termName) only the name is written.
func (lw *lpWriter) term(coef int64, name string, index int) {
	if coef == 0 {
		return
	}
	b := lw.buf[:0]
	if coef < 0 {
		b = append(b, " - "...)
		coef = -coef
	} else {
		b = append(b, " + "...)
	}
	if coef != 1 {
		b = strconv.AppendInt(b, coef, 10)
		b = append(b, ' ')
	}
	b = append(b, name...)
	if index >= 0 {
		b = strconv.AppendInt(b, int64(index), 10)
	}
	lw.wrap(len(b))
	lw.write(b)
	lw.buf = b
}

// termName is term for a whole name; coef 0 writes the bare name (a list).
func (lw *lpWriter) termName(coef int64, name string) {
	if coef != 0 {
		lw.term(coef, name, -1)
		return
	}
	lw.wrap(len(name) + 1)
	lw.write([]byte(" " + name))
}

// wrap starts a continuation line when n more characters would not fit.
func (lw *lpWriter) wrap(n int) {
	if lw.n+n > lpLineMax {
		lw.write([]byte("\n "))
	}
}

// rhs closes a constraint.
func (lw *lpWriter) rhs(op string, v int64) {
	b := append(lw.buf[:0], ' ')
	b = append(b, op...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, v, 10)
	lw.wrap(len(b))
	lw.write(append(b, '\n'))
	lw.buf = b
}

func (lw *lpWriter) end() { lw.write([]byte("\n")) }

// LPAssignments reads a solution of the program WriteLP wrote for the same
// instance back into assignments: every column x<i> at 1. values maps
// column names to values (CBCResult.Values); other columns are ignored.
func LPAssignments(in *Instance, values map[string]float64) ([]Assignment, error) {
	pairs := lpPairs(in)
	var picked []int
	for name, val := range values {
		if !strings.HasPrefix(name, "x") || val < 0.5 {
			continue
		}
		i, err := strconv.Atoi(name[1:])
		if err != nil || i < 0 || i >= len(pairs) {
			return nil, fmt.Errorf("lp solution: column %q is not one of the %d pairs of this instance", name, len(pairs))
		}
		picked = append(picked, i)
	}
	slices.Sort(picked)
	as := make([]Assignment, 0, len(picked))
	for _, i := range picked {
		p := pairs[i]
		as = append(as, Assignment{Volunteer: in.Volunteers[p.V].ID, Shift: in.Shifts[p.S].ID, Role: int(p.R)})
	}
	return as, nil
}
