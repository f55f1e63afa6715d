package assign

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// model is an instance compiled for solving: slots grouped by (shift, role),
// and the candidate arcs (volunteer, group) that pass every pairwise hard
// constraint, found through a spatial grid and time buckets rather than by
// testing every pair.
type model struct {
	in     *Instance
	groups []group
	// shiftGroups[s] are the groups of shift s.
	shiftGroups [][]int32
	arcs        []arc
	// volArcs[v] are v's arcs by shift start; groupArcs[g] by cost.
	volArcs   [][]int32
	groupArcs [][]int32
	// per shift, in whole minutes since the earliest shift start
	start, end, minutes []int64
	maxMin              []int64 // per volunteer
	// pruned says some eligible arcs were left out, so the search is
	// complete only over the kept ones.
	pruned bool
	// pinned are the arcs of Instance.Pinned.
	pinned []int32
}

type arc struct {
	v, g, s int32
	cost    int64 // PairCost: travel minus preference
}

type group struct {
	s, role int32
	cap     int32
	penalty int64 // UnfilledCost of one empty slot
}

// Options tune the solver.
type Options struct {
	// MaxCandidates keeps only the cheapest MaxCandidates·slots+MinCandidates
	// volunteers per role; 0 keeps every eligible volunteer.
	MaxCandidates int
	MinCandidates int
	// ExactArcs is the largest number of candidate arcs for which the solver
	// runs a complete branch and bound after the heuristic.
	ExactArcs int
	// BoundIterations caps the subgradient steps of the Lagrangian bound; 0
	// means the default, a negative number skips the bound.
	BoundIterations int
	// GuideIterations, on instances where volunteers are scarce, runs that
	// many Lagrangian steps first and lets their prices guide the
	// volunteer-by-volunteer start.
	GuideIterations int
	// Progress, when set, is called with a fraction in [0,1] as work advances.
	Progress func(done float64)
}

// DefaultOptions suit a city: the 12 cheapest candidates per slot plus 20
// per role, exact search up to 48 candidate pairs, 60 guiding steps where
// volunteers are scarce (docs/assign.md measures each choice).
func DefaultOptions() Options {
	return Options{MaxCandidates: 12, MinCandidates: 20, ExactArcs: 48, GuideIterations: 60}
}

func newModel(in *Instance, opt Options) (*model, error) {
	m := &model{in: in}
	ns := len(in.Shifts)
	m.shiftGroups = make([][]int32, ns)
	m.start, m.end, m.minutes = make([]int64, ns), make([]int64, ns), make([]int64, ns)
	var t0 int64 = math.MaxInt64
	for i := range in.Shifts {
		t0 = min(t0, in.Shifts[i].Start.Unix()/60)
	}
	for i := range in.Shifts {
		s := &in.Shifts[i]
		m.start[i], m.end[i] = s.Start.Unix()/60-t0, s.End.Unix()/60-t0
		m.minutes[i] = s.Minutes()
		for r, role := range s.Roles {
			if role.Slots <= 0 {
				continue
			}
			m.shiftGroups[i] = append(m.shiftGroups[i], int32(len(m.groups)))
			m.groups = append(m.groups, group{s: int32(i), role: int32(r), cap: int32(role.Slots), penalty: UnfilledCost(in.Weights, s)})
		}
	}
	m.maxMin = make([]int64, len(in.Volunteers))
	for v := range in.Volunteers {
		m.maxMin[v] = in.Volunteers[v].MaxMinutes()
	}
	if err := m.findArcs(opt); err != nil {
		return nil, err
	}
	return m, nil
}

// findArcs collects the eligible pairs. Volunteers are bucketed by skill,
// grid cell of their home and the hours their availability covers; a role
// scans rings of cells outward from the shift's place, in its skill's
// bucket for the shift's first hour, and stops once it holds as many
// candidates as pruning keeps and no farther volunteer could be cheaper.
// Work grows with the candidates kept, not with volunteers × shifts.
func (m *model) findArcs(opt Options) error {
	in := m.in
	idx := newVolIndex(in)
	vi, si := in.index()
	excluded := make(map[[2]int32]bool, len(in.Excluded))
	for _, p := range in.Excluded {
		excluded[[2]int32{int32(vi[p.Volunteer]), int32(si[p.Shift])}] = true
	}
	// A pinned pair is kept whatever pruning would do.
	pinned := make(map[[2]int32]int32, len(in.Pinned))
	pinnedOn := make(map[int32][]int32)
	for _, p := range in.Pinned {
		v, s := int32(vi[p.Volunteer]), int32(si[p.Shift])
		if why := Ineligible(&in.Volunteers[v], &in.Shifts[s], p.Role); why != Eligible {
			return fmt.Errorf("pinned %s on %s: %s", p.Volunteer, p.Shift, why)
		}
		pinned[[2]int32{v, s}] = int32(p.Role)
		pinnedOn[s] = append(pinnedOn[s], v)
	}
	m.groupArcs = make([][]int32, len(m.groups))
	nv := len(in.Volunteers)
	// Per shift, the role-free checks of a volunteer run once: checked[v]
	// holds the shift number + 1 they were run for, fit[v] the answer.
	checked, fit := make([]int32, nv), make([]bool, nv)
	cost := make([]int64, nv)
	var buf []int32
	var cand []arc
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		for _, gi := range m.shiftGroups[s] {
			g := &m.groups[gi]
			keep := math.MaxInt
			if opt.MaxCandidates > 0 {
				keep = opt.MaxCandidates*int(g.cap) + opt.MinCandidates
			}
			skill := sh.Roles[g.role].Skill
			cand = cand[:0]
			idx.search++
			consider := func(v int32) {
				vol := &in.Volunteers[v]
				if checked[v] != int32(s)+1 {
					checked[v] = int32(s) + 1
					// A cheap flat-earth test first.
					fit[v] = false
					if !idx.farther(vol.Home, sh.Place, vol.RadiusKm) {
						km := DistanceKm(vol.Home, sh.Place)
						if fit[v] = ineligibleAt(vol, sh, km) == Eligible; fit[v] {
							cost[v] = pairCostAt(in.Weights, vol, sh, km)
						}
					}
				}
				if fit[v] && (skill == "" || slices.Contains(vol.Skills, skill)) && !excluded[[2]int32{v, int32(s)}] {
					cand = append(cand, arc{v: v, g: gi, s: int32(s), cost: cost[v]})
				}
			}
			// Those who prefer the opportunity, and those pinned here, come
			// first wherever they live, so the rings below can stop on
			// distance alone.
			for _, v := range pinnedOn[int32(s)] {
				if idx.stamp[v] != idx.search {
					idx.stamp[v] = idx.search
					consider(v)
				}
			}
			for _, v := range idx.prefer[sh.Opportunity] {
				if idx.stamp[v] != idx.search {
					idx.stamp[v] = idx.search
					consider(v)
				}
			}
			sk := idx.skills[skill]
			if l := idx.bySkill[sk]; 4*len(l) <= idx.fullScanCells {
				// Far fewer people have the skill than a full scan has cells:
				// read them all instead.
				for _, v := range l {
					if idx.stamp[v] != idx.search {
						idx.stamp[v] = idx.search
						consider(v)
					}
				}
				goto found
			}
			for r := range idx.rings + 1 {
				buf = idx.ring(buf[:0], sk, sh, r)
				for _, v := range buf {
					consider(v)
				}
				if keep != math.MaxInt && idx.enough(cand, keep, in.Weights, r) {
					break
				}
			}
		found:
			slices.SortFunc(cand, func(a, b arc) int { return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.v, b.v)) })
			if len(cand) > keep {
				// Pinned candidates beyond the cut move up to stay.
				kept := cand[:keep]
				for _, a := range cand[keep:] {
					if r, ok := pinned[[2]int32{a.v, int32(s)}]; ok && r == g.role {
						kept = append(kept, a)
					}
				}
				cand = kept
				m.pruned = true
			}
			for _, a := range cand {
				m.groupArcs[gi] = append(m.groupArcs[gi], int32(len(m.arcs)))
				m.arcs = append(m.arcs, a)
			}
		}
	}
	m.volArcs = make([][]int32, nv)
	for a := range m.arcs {
		ar := &m.arcs[a]
		m.volArcs[ar.v] = append(m.volArcs[ar.v], int32(a))
		if r, ok := pinned[[2]int32{ar.v, ar.s}]; ok && r == m.groups[ar.g].role {
			m.pinned = append(m.pinned, int32(a))
		}
	}
	if len(m.pinned) != len(pinned) {
		return fmt.Errorf("pinned placements: %d of %d are not possible (a role without slots, a repeat, or an excluded pair)", len(pinned)-len(m.pinned), len(in.Pinned))
	}
	for v := range m.volArcs {
		slices.SortFunc(m.volArcs[v], func(a, b int32) int {
			return cmp.Or(cmp.Compare(m.start[m.arcs[a].s], m.start[m.arcs[b].s]), cmp.Compare(a, b))
		})
	}
	return nil
}

// enough reports whether a role already holds keep candidates that no
// volunteer beyond ring r can undercut: anyone farther costs at least the
// ring's distance (those with a preference bonus were seen first).
func (x *volIndex) enough(cand []arc, keep int, w Weights, r int) bool {
	if len(cand) < keep {
		return false
	}
	floor := w.Distance * int64(math.Floor(x.ringKm(r+1)*10))
	n := 0
	for _, a := range cand {
		if a.cost <= floor {
			n++
		}
	}
	return n >= keep
}

// cellEntry is a volunteer in a bucket with the end of the availability
// window that put them there, in Unix seconds.
type cellEntry struct {
	v   int32
	end int64
}

// volIndex buckets volunteers by home cell and by available hour.
type volIndex struct {
	in        *Instance
	cellKm    float64
	lat0      float64
	kmPerLon  float64
	maxRadius float64
	// lonStretch ≥ 1 widens the east–west search where degrees of longitude
	// are shorter than at lat0.
	lonStretch float64
	hour0      int64
	// The buckets, one per (skill, cell, hour), in one array: slot[(skill·nx
	// + x−minX)·ny + y−minY] numbers the non-empty (skill, cell) pairs, and
	// entries[off[k·nb+b] : off[k·nb+b+1]] are pair k's volunteers for hour
	// bucket b (bucketHours hours from hour0). Skill 0 holds everyone, the
	// others those with a skill some role asks for. Arrays, not a map: a
	// shift reads hundreds of buckets.
	minX, minY, nx, ny int32
	slot               []int32
	off                []int32
	entries            []cellEntry
	nb                 int64
	bucketHours        int64
	skills             map[string]int32
	// prefer lists, per opportunity, the volunteers who prefer it.
	prefer map[string][]int32
	// bySkill lists, per skill id, the volunteers who have it.
	bySkill       [][]int32
	fullScanCells int
	// stamp[v] is the last search that returned v, to drop repeats.
	stamp  []int32
	search int32
	rings  int
}

func newVolIndex(in *Instance) *volIndex {
	x := &volIndex{in: in, cellKm: 2, bucketHours: 1, skills: map[string]int32{"": 0}, prefer: make(map[string][]int32)}
	for i := range in.Shifts {
		for _, r := range in.Shifts[i].Roles {
			if _, ok := x.skills[r.Skill]; !ok {
				x.skills[r.Skill] = int32(len(x.skills))
			}
		}
	}
	x.bySkill = make([][]int32, len(x.skills))
	if len(in.Volunteers) == 0 {
		return x
	}
	var lat float64
	x.hour0 = math.MaxInt64
	for i := range in.Volunteers {
		v := &in.Volunteers[i]
		lat += v.Home.Lat
		x.maxRadius = max(x.maxRadius, v.RadiusKm)
		for _, w := range v.Availability {
			x.hour0 = min(x.hour0, w.Start.Unix()/3600)
		}
	}
	x.lat0 = lat / float64(len(in.Volunteers))
	x.kmPerLon = max(111.195*math.Cos(x.lat0*math.Pi/180), 1)
	maxLat := 0.0
	for i := range in.Volunteers {
		maxLat = max(maxLat, math.Abs(in.Volunteers[i].Home.Lat))
	}
	for i := range in.Shifts {
		maxLat = max(maxLat, math.Abs(in.Shifts[i].Place.Lat))
	}
	x.lonStretch = max(1, x.kmPerLon/max(111.195*math.Cos(math.Min(maxLat+1, 89.9)*math.Pi/180), 1))
	// Cells of half a kilometre let a shift stop near its place; the widest reach
	// decides how many rings a full scan takes.
	x.cellKm = max(0.5, x.maxRadius/128)
	x.grid()
	x.rings = int(math.Ceil(x.maxRadius*x.lonStretch/x.cellKm)) + 1
	x.fullScanCells = (2*x.rings + 1) * (2*x.rings + 1)
	x.stamp = make([]int32, len(in.Volunteers))
	var mine []int32
	for i := range in.Volunteers {
		v := &in.Volunteers[i]
		for _, o := range v.Prefers {
			if l := x.prefer[o]; len(l) == 0 || l[len(l)-1] != int32(i) {
				x.prefer[o] = append(l, int32(i))
			}
		}
		mine = x.skillIDs(mine, v)
		for _, sk := range mine {
			x.bySkill[sk] = append(x.bySkill[sk], int32(i))
		}
	}
	x.fill(func(i int) []int32 {
		mine = x.skillIDs(mine, &in.Volunteers[i])
		return mine
	})
	return x
}

// skillIDs lists in buf the ids of v's skills that some role asks for,
// after 0, the id of everyone.
func (x *volIndex) skillIDs(buf []int32, v *Volunteer) []int32 {
	buf = append(buf[:0], 0)
	for _, sk := range v.Skills {
		if id, ok := x.skills[sk]; ok && id != 0 && !slices.Contains(buf, id) {
			buf = append(buf, id)
		}
	}
	return buf
}

// grid sets the bounds of the home cells, widening the cells when a
// country-wide instance would need more than a million of them.
func (x *volIndex) grid() {
	for {
		minX, minY, maxX, maxY := int32(math.MaxInt32), int32(math.MaxInt32), int32(math.MinInt32), int32(math.MinInt32)
		for i := range x.in.Volunteers {
			cx, cy := x.cell(x.in.Volunteers[i].Home)
			minX, minY, maxX, maxY = min(minX, cx), min(minY, cy), max(maxX, cx), max(maxY, cy)
		}
		x.minX, x.minY, x.nx, x.ny = minX, minY, maxX-minX+1, maxY-minY+1
		if int64(x.nx)*int64(x.ny) <= 1<<20 {
			return
		}
		x.cellKm *= 2
	}
}

// fill builds the buckets in two passes, counting then placing; skillsOf
// lists a volunteer's skill ids, 0 first.
func (x *volIndex) fill(skillsOf func(i int) []int32) {
	in := x.in
	var lastHour int64
	for i := range in.Volunteers {
		for _, w := range in.Volunteers[i].Availability {
			lastHour = max(lastHour, (w.End.Unix()-1)/3600-x.hour0)
		}
	}
	x.slot = make([]int32, int64(len(x.skills))*int64(x.nx)*int64(x.ny))
	for i := range x.slot {
		x.slot[i] = -1
	}
	slots := int32(0)
	slotOf := func(sk, cx, cy int32) int32 {
		j := (sk*x.nx+cx-x.minX)*x.ny + cy - x.minY
		if x.slot[j] < 0 {
			x.slot[j] = slots
			slots++
		}
		return x.slot[j]
	}
	for i := range in.Volunteers {
		cx, cy := x.cell(in.Volunteers[i].Home)
		for _, sk := range skillsOf(i) {
			slotOf(sk, cx, cy)
		}
	}
	// Keep the offsets within 64 M entries by widening the hour buckets of
	// a long period.
	for int64(slots)*((lastHour/x.bucketHours)+2) > 64<<20 {
		x.bucketHours *= 2
	}
	x.nb = lastHour/x.bucketHours + 1
	x.off = make([]int32, int64(slots)*x.nb+1)
	each := func(visit func(k int32, b int64, e cellEntry)) {
		for i := range in.Volunteers {
			v := &in.Volunteers[i]
			cx, cy := x.cell(v.Home)
			sks := skillsOf(i)
			for _, w := range v.Availability {
				// Only a shift starting in these hours can be covered by w.
				b0 := (w.Start.Unix()/3600 - x.hour0) / x.bucketHours
				b1 := ((w.End.Unix()-1)/3600 - x.hour0) / x.bucketHours
				for b := b0; b <= b1; b++ {
					for _, sk := range sks {
						visit(x.slot[(sk*x.nx+cx-x.minX)*x.ny+cy-x.minY], b, cellEntry{v: int32(i), end: w.End.Unix()})
					}
				}
			}
		}
	}
	each(func(k int32, b int64, _ cellEntry) { x.off[int64(k)*x.nb+b+1]++ })
	for i := 1; i < len(x.off); i++ {
		x.off[i] += x.off[i-1]
	}
	x.entries = make([]cellEntry, x.off[len(x.off)-1])
	next := slices.Clone(x.off)
	each(func(k int32, b int64, e cellEntry) {
		at := int64(k)*x.nb + b
		x.entries[next[at]] = e
		next[at]++
	})
	// Latest end first: a shift reads a bucket only while the window still
	// reaches its end. Overlapping windows may list a volunteer twice in a
	// bucket; ring drops repeats by stamp.
	for b := 0; b+1 < len(x.off); b++ {
		run := x.entries[x.off[b]:x.off[b+1]]
		if len(run) > 1 {
			slices.SortFunc(run, func(a, b cellEntry) int { return cmp.Or(cmp.Compare(b.end, a.end), cmp.Compare(a.v, b.v)) })
		}
	}
}

// bucket returns the volunteers of skill sk in cell (cx, cy) whose windows
// touch hour bucket b.
func (x *volIndex) bucket(sk, cx, cy int32, b int64) []cellEntry {
	if cx < x.minX || cy < x.minY || cx >= x.minX+x.nx || cy >= x.minY+x.ny || b < 0 || b >= x.nb {
		return nil
	}
	k := x.slot[(sk*x.nx+cx-x.minX)*x.ny+cy-x.minY]
	if k < 0 {
		return nil
	}
	at := int64(k)*x.nb + b
	return x.entries[x.off[at]:x.off[at+1]]
}

func (x *volIndex) cell(p Point) (int32, int32) {
	return int32(math.Floor((p.Lat - x.lat0) * 111.195 / x.cellKm)), int32(math.Floor((p.Lon * x.kmPerLon) / x.cellKm))
}

// ring appends the volunteers whose home cell lies on ring r around the
// shift's place (cells r steps away in either direction) and whose
// availability touches the shift's first hour; exact checks follow.
func (x *volIndex) ring(buf []int32, skill int32, s *Shift, r int) []int32 {
	if len(x.in.Volunteers) == 0 {
		return buf
	}
	h := (s.Start.Unix()/3600 - x.hour0) / x.bucketHours
	cx, cy := x.cell(s.Place)
	r32 := int32(r)
	end := s.End.Unix()
	visit := func(i, j int32) {
		for _, e := range x.bucket(skill, i, j, h) {
			if e.end < end {
				break
			}
			v := e.v
			if x.stamp[v] != x.search {
				x.stamp[v] = x.search
				buf = append(buf, v)
			}
		}
	}
	if r == 0 {
		visit(cx, cy)
		return buf
	}
	for d := -r32; d <= r32; d++ {
		visit(cx-r32, cy+d)
		visit(cx+r32, cy+d)
	}
	for d := -r32 + 1; d < r32; d++ {
		visit(cx+d, cy-r32)
		visit(cx+d, cy+r32)
	}
	return buf
}

// ringKm is a lower bound on the distance from a shift to any home on ring
// r or beyond.
func (x *volIndex) ringKm(r int) float64 {
	return max(0, float64(r-1)*x.cellKm/x.lonStretch)
}

// farther reports whether b is surely more than km from a: the flat-earth
// distance with the shortest degree of longitude in the instance never
// exceeds the great-circle one by more than the 2% slack.
func (x *volIndex) farther(a, b Point, km float64) bool {
	dy := (a.Lat - b.Lat) * 111.195
	dx := (a.Lon - b.Lon) * x.kmPerLon / x.lonStretch
	return dx*dx+dy*dy > km*km*1.0404
}
