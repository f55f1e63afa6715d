package assign

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Reason says in a few words why a volunteer was placed or left out. Code is
// stable; the product shows it through the catalogue (MessageID), passing Km,
// Skill, Shift and Limit as the message's data.
type Reason struct {
	Code  string  `json:"code"`
	Km    float64 `json:"km,omitempty"`    // distance from home, when it matters
	Skill string  `json:"skill,omitempty"` // the role's skill, when it matters
	Shift string  `json:"shift,omitempty"` // the other shift, for an overlap
	Limit int     `json:"limit,omitempty"` // the limit reached
}

// Why a volunteer was placed, the first that holds in this order. Each code
// has the message assign.reason.<code> in the catalogue.
const (
	// ReasonOnlyEligible: nobody else meets the role's conditions. Km.
	ReasonOnlyEligible = "only_eligible"
	// ReasonSkill: the role needs Skill and the volunteers who have it and
	// are free at that time are no more than its slots, so every one was
	// needed. Skill, Km.
	ReasonSkill = "skill"
	// ReasonClosest: no eligible volunteer who is free then (on no
	// overlapping shift and under their limits) lives closer, except others
	// placed in the same role. Km.
	ReasonClosest = "closest"
	// ReasonClosestSkill is ReasonClosest for a role that needs Skill. Skill, Km.
	ReasonClosestSkill = "closest_skill"
	// ReasonPreferred: the shift's opportunity is among the volunteer's
	// preferences. Km.
	ReasonPreferred = "preferred"
	// ReasonNearby: eligible and within reach; closer volunteers were needed
	// elsewhere or spread the load. Km.
	ReasonNearby = "nearby"
)

// Why an eligible volunteer, or one who misses by a single condition, is not
// on a shift (LeftOut).
const (
	// ReasonOverlap: already on Shift, which overlaps this one.
	ReasonOverlap = "overlap"
	// ReasonLimitShifts: one more shift would pass the volunteer's limit of
	// Limit shifts.
	ReasonLimitShifts = "limit_shifts"
	// ReasonLimitHours: this shift would pass the volunteer's limit of Limit
	// hours (MaxHours to the nearest hour; the product's limits are whole).
	ReasonLimitHours = "limit_hours"
	// ReasonFull: every role the volunteer could take is full; in an
	// optimal distribution its holders cost less (live closer, prefer it or
	// have fewer shifts). Km.
	ReasonFull = "full"
	// ReasonCouldFill: eligible, free, and a role they could take has an
	// empty slot: someone to call (a distribution after manual changes, or
	// one that is not optimal, leaves such people). Km.
	ReasonCouldFill = "could_fill"
	// ReasonOutsideRadius: would be eligible but lives Km away, beyond the
	// distance they travel.
	ReasonOutsideRadius = WhyOutsideRadius
	// ReasonNotAvailable: would be eligible but their availability does not
	// cover the shift.
	ReasonNotAvailable = WhyNotAvailable
)

// MessageID is the catalogue message that words the reason.
func (r Reason) MessageID() string { return "assign.reason." + r.Code }

// Excluded is a volunteer left out of a shift and why.
type Excluded struct {
	Volunteer string `json:"volunteer"`
	Role      int    `json:"role"` // a role of the shift the volunteer could take, or nearly
	Reason    Reason `json:"reason"`
}

// Explain returns the assignments with Reason set. An assignment naming an
// unknown volunteer, shift or role keeps an empty Reason. Each role costs a
// search outward from its place through a grid of homes that stops as soon
// as nobody unvisited can change the answer, so a city of 100,000 volunteers
// is explained without testing every pair.
func Explain(in *Instance, as []Assignment) []Assignment {
	out := slices.Clone(as)
	p := newPlacement(in, out)
	for _, k := range p.roleKeys() {
		p.explainRole(out, k)
	}
	return out
}

// explainRole sets the reasons of the assignments of one role.
func (p *placement) explainRole(out []Assignment, k roleKey) {
	in := p.in
	sh := &in.Shifts[k.s]
	role := sh.Roles[k.r]
	holders := p.roles[k]
	p.stamp++
	elig, avail, farthest := 0, 0, 0.0
	for _, a := range holders {
		v := p.vol[out[a].Volunteer]
		p.mark[v] = p.stamp
		if Ineligible(&in.Volunteers[v], sh, k.r) == Eligible {
			elig++
			avail++
		}
		farthest = max(farthest, DistanceKm(in.Volunteers[v].Home, sh.Place))
	}
	// Free eligible volunteers beyond slots+1 change nothing; once that many
	// are found, only someone free who lives closer than a holder does.
	enough := role.Slots + 1
	dmin := math.Inf(1)
	p.grid(role.Skill, sh).scan(sh.Place, func(reach float64, spent bool) float64 {
		switch {
		case spent && elig >= 2:
			return -1
		case spent || elig < 2 || avail < enough:
			return reach
		}
		return min(dmin, farthest)
	}, func(v int32) {
		vol := &in.Volunteers[v]
		if p.mark[v] == p.stamp || !covers(vol.Availability, sh.Start, sh.End) {
			return
		}
		// Past the second eligible volunteer a busy one changes nothing;
		// knowing it early saves the distance.
		busy := p.busy(int(v), k.s) != ""
		if busy && elig >= 2 || Ineligible(vol, sh, k.r) != Eligible {
			return
		}
		elig++
		if !busy {
			avail++
			dmin = min(dmin, DistanceKm(vol.Home, sh.Place))
		}
	})
	for _, a := range holders {
		vol := &in.Volunteers[p.vol[out[a].Volunteer]]
		d := DistanceKm(vol.Home, sh.Place)
		r := Reason{Km: roundKm(d), Skill: role.Skill}
		switch {
		case elig == 1 && Ineligible(vol, sh, k.r) == Eligible:
			r.Code = ReasonOnlyEligible
		case role.Skill != "" && avail <= role.Slots:
			r.Code = ReasonSkill
		case d <= dmin && role.Skill != "":
			r.Code = ReasonClosestSkill
		case d <= dmin:
			r.Code = ReasonClosest
		case PreferenceBonus(in.Weights, vol, sh) > 0:
			r.Code = ReasonPreferred
		default:
			r.Code = ReasonNearby
		}
		out[a].Reason = r
	}
}

// LeftOut lists, in the instance's order, every volunteer not on the shift
// who could take one of its roles, or who misses only by living too far or
// by not being available then, each with why they are not on it. An unknown
// shift gives nil. It is one pass over the volunteers.
func LeftOut(in *Instance, as []Assignment, shiftID string) []Excluded {
	p := newPlacement(in, as)
	s, ok := p.shift[shiftID]
	if !ok {
		return nil
	}
	sh := &in.Shifts[s]
	open := make([]bool, len(sh.Roles))
	for r, role := range sh.Roles {
		open[r] = len(p.roles[roleKey{s, r}]) < role.Slots
	}
	onShift := make([]bool, len(in.Volunteers))
	for r := range sh.Roles {
		for _, a := range p.roles[roleKey{s, r}] {
			onShift[p.vol[as[a].Volunteer]] = true
		}
	}
	var out []Excluded
	whole := []Window{{Start: sh.Start, End: sh.End}}
	for v := range in.Volunteers {
		vol := &in.Volunteers[v]
		if onShift[v] {
			continue
		}
		why := ineligibleForShift(vol, sh)
		if why != Eligible && !nearMiss(vol, sh, why, whole) {
			continue
		}
		first, firstOpen := -1, -1
		for r, role := range sh.Roles {
			if role.Slots <= 0 || (role.Skill != "" && !slices.Contains(vol.Skills, role.Skill)) {
				continue
			}
			if first < 0 {
				first = r
			}
			if open[r] && firstOpen < 0 {
				firstOpen = r
			}
		}
		if first < 0 {
			continue
		}
		d := DistanceKm(vol.Home, sh.Place)
		e := Excluded{Volunteer: vol.ID, Role: first, Reason: Reason{Code: why, Km: roundKm(d), Skill: sh.Roles[first].Skill}}
		if why == Eligible {
			switch busy := p.busy(v, s); {
			case busy != "":
				e.Reason = p.busyReason(v, s, busy)
			case firstOpen >= 0:
				e.Role = firstOpen
				e.Reason.Code, e.Reason.Skill = ReasonCouldFill, sh.Roles[firstOpen].Skill
			default:
				e.Reason.Code = ReasonFull
			}
		} else if why == WhyNotAvailable {
			e.Reason = Reason{Code: ReasonNotAvailable}
		}
		out = append(out, e)
	}
	return out
}

// nearMiss reports whether v fails the shift only by why, and why is the
// distance or the availability, the misses a coordinator can talk over;
// whole is the shift's own time.
func nearMiss(v *Volunteer, s *Shift, why string, whole []Window) bool {
	c := *v
	switch why {
	case WhyOutsideRadius:
		c.RadiusKm = math.Inf(1)
	case WhyNotAvailable:
		c.Availability = whole
	default:
		return false
	}
	return ineligibleForShift(&c, s) == Eligible
}

// busyReason words what busy found.
func (p *placement) busyReason(v, s int, busy string) Reason {
	vol := &p.in.Volunteers[v]
	switch busy {
	case ReasonOverlap:
		return Reason{Code: ReasonOverlap, Shift: p.in.Shifts[p.clash(v, s)].ID}
	case ReasonLimitShifts:
		return Reason{Code: ReasonLimitShifts, Limit: vol.MaxShifts}
	}
	return Reason{Code: ReasonLimitHours, Limit: int(math.Round(vol.MaxHours))}
}

func roundKm(d float64) float64 { return math.Round(d*10) / 10 }

// roleKey names role r of shift s by index.
type roleKey struct{ s, r int }

// placement is what the explanations need to know of a distribution: who
// holds each role, and each volunteer's shifts and minutes.
type placement struct {
	in    *Instance
	vol   map[string]int
	shift map[string]int
	// roles lists the assignments (indices into the slice given) of each
	// role; an assignment naming an unknown volunteer, shift or role is in
	// none.
	roles   map[roleKey][]int
	on      [][]int32 // shifts taken, per volunteer
	minutes []int64   // minutes taken, per volunteer
	// shortest is the length of the shortest shift in minutes.
	shortest int64
	// mark[v] == stamp marks the holders of the role being explained.
	mark  []uint32
	stamp uint32
	// grids hold the homes of the volunteers available in the stretch of
	// time gridsAt, by skill; one stretch at a time keeps memory small when
	// the work goes in time order (byTime).
	times   *timeBuckets
	grids   map[string]homeGrids
	gridsAt int64
}

func newPlacement(in *Instance, as []Assignment) *placement {
	p := &placement{
		in:      in,
		roles:   make(map[roleKey][]int),
		on:      make([][]int32, len(in.Volunteers)),
		minutes: make([]int64, len(in.Volunteers)),
		mark:    make([]uint32, len(in.Volunteers)),
	}
	p.vol, p.shift = in.index()
	for i := range in.Shifts {
		if m := in.Shifts[i].Minutes(); i == 0 || m < p.shortest {
			p.shortest = m
		}
	}
	for i, a := range as {
		v, okv := p.vol[a.Volunteer]
		s, oks := p.shift[a.Shift]
		if !okv || !oks || a.Role < 0 || a.Role >= len(in.Shifts[s].Roles) {
			continue
		}
		k := roleKey{s, a.Role}
		p.roles[k] = append(p.roles[k], i)
		p.on[v] = append(p.on[v], int32(s))
		p.minutes[v] += in.Shifts[s].Minutes()
	}
	return p
}

// roleKeys lists the roles that hold someone, in the order byTime gives.
func (p *placement) roleKeys() []roleKey {
	keys := make([]roleKey, 0, len(p.roles))
	for k := range p.roles {
		keys = append(keys, k)
	}
	p.byTime(keys)
	return keys
}

// byTime sorts roles by the stretch of time their shift starts in, then by
// shift and role, so each stretch's grids are built once.
func (p *placement) byTime(keys []roleKey) {
	if p.times == nil {
		p.times = newTimeBuckets(p.in)
	}
	slices.SortFunc(keys, func(a, b roleKey) int {
		return cmp.Or(cmp.Compare(p.times.of(p.in.Shifts[a.s].Start), p.times.of(p.in.Shifts[b.s].Start)),
			cmp.Compare(a.s, b.s), cmp.Compare(a.r, b.r))
	})
}

// busy says why volunteer v, if not on shift s, could not be added to it as
// things stand: ReasonOverlap, ReasonLimitShifts, ReasonLimitHours, or ""
// when v is free. A volunteer already on s overlaps it.
func (p *placement) busy(v, s int) string {
	if p.clash(v, s) >= 0 {
		return ReasonOverlap
	}
	vol := &p.in.Volunteers[v]
	if len(p.on[v])+1 > vol.MaxShifts {
		return ReasonLimitShifts
	}
	if p.minutes[v]+p.in.Shifts[s].Minutes() > vol.MaxMinutes() {
		return ReasonLimitHours
	}
	return ""
}

// clash is the first of v's shifts, in instance order, that is s or
// overlaps it; -1 when none.
func (p *placement) clash(v, s int) int {
	sh := &p.in.Shifts[s]
	best := -1
	for _, o := range p.on[v] {
		if (int(o) == s || Overlap(sh, &p.in.Shifts[o])) && (best < 0 || int(o) < best) {
			best = int(o)
		}
	}
	return best
}

// grid returns the homes of the volunteers who have skill ("" for any) and
// whose availability touches the stretch of time in which s starts: everyone
// who could take a role of s that needs skill is in it. The grids of one
// stretch are built together, in one pass over its volunteers.
func (p *placement) grid(skill string, s *Shift) homeGrids {
	if p.times == nil {
		p.times = newTimeBuckets(p.in)
	}
	if b := p.times.of(s.Start); p.grids == nil || b != p.gridsAt {
		p.grids, p.gridsAt = p.buildGrids(p.times.lists[b]), b
	}
	return p.grids[skill]
}

// buildGrids sorts volunteers by skill ("" for all), and then by tier.
// Volunteers who travel far are kept apart from those who do not, so a
// search that must reach everyone within reach goes only as far as each
// group travels: tier i holds radii up to 2.5·2^i km. Volunteers whose
// limits leave no room for another shift are kept apart too: they are never
// free, so most searches skip them.
func (p *placement) buildGrids(vols []int32) map[string]homeGrids {
	// Tier t of volunteers with room is t, of spent ones tiers+t: the order
	// the search takes them in.
	const tiers = 16
	ids := make(map[string]*[2 * tiers][]int32)
	add := func(sk string, tier int, v int32) {
		l := ids[sk]
		if l == nil {
			l = new([2 * tiers][]int32)
			ids[sk] = l
		}
		if n := len(l[tier]); n == 0 || l[tier][n-1] != v {
			l[tier] = append(l[tier], v)
		}
	}
	for _, v := range vols {
		vol := &p.in.Volunteers[v]
		tier := 0
		for r := 2.5; vol.RadiusKm > r && tier < tiers-1; r *= 2 {
			tier++
		}
		if len(p.on[v]) >= vol.MaxShifts || p.minutes[v]+p.shortest > vol.MaxMinutes() {
			tier += tiers
		}
		add("", tier, v)
		for _, sk := range vol.Skills {
			add(sk, tier, v)
		}
	}
	out := make(map[string]homeGrids, len(ids))
	for sk, byTier := range ids {
		for tier, l := range byTier {
			if len(l) > 0 {
				out[sk] = append(out[sk], newHomeGrid(p.in.Volunteers, l, tier >= tiers))
			}
		}
	}
	return out
}

// homeGrids are searched one after the other, those of volunteers with room
// for another shift first.
type homeGrids []*homeGrid

// scan runs homeGrid.scan on each grid; limit is given the grid's reach and
// whether its volunteers are spent (can take no other shift).
func (gs homeGrids) scan(p Point, limit func(reach float64, spent bool) float64, visit func(v int32)) {
	for _, g := range gs {
		g.scan(p, func() float64 { return limit(g.maxRadius, g.spent) }, visit)
	}
}

// timeBuckets lists, for each stretch of time from the first shift start to
// the last, the volunteers whose availability touches it. A window that
// covers a shift holds the shift's start, so the stretch of a start holds
// everyone available for the shift.
type timeBuckets struct {
	t0, step int64 // unix seconds
	lists    map[int64][]int32
}

func newTimeBuckets(in *Instance) *timeBuckets {
	tb := &timeBuckets{step: 3600, lists: make(map[int64][]int32)}
	if len(in.Shifts) == 0 {
		return tb
	}
	first, last := in.Shifts[0].Start.Unix(), in.Shifts[0].Start.Unix()
	for i := range in.Shifts {
		first, last = min(first, in.Shifts[i].Start.Unix()), max(last, in.Shifts[i].Start.Unix())
	}
	tb.t0 = first
	// clip is the part of a window in which a shift may start.
	clip := func(w Window) (lo, hi int64) {
		return max(w.Start.Unix(), first), min(w.End.Unix(), last+1)
	}
	// Hours, or longer stretches when windows are long, so the lists hold
	// about 16 entries per volunteer at most.
	for {
		total := 0
		for i := range in.Volunteers {
			for _, w := range in.Volunteers[i].Availability {
				if lo, hi := clip(w); lo < hi {
					total += int((hi-1-first)/tb.step - (lo-first)/tb.step + 1)
				}
			}
		}
		if total <= 16*len(in.Volunteers)+1024 {
			break
		}
		tb.step *= 2
	}
	for i := range in.Volunteers {
		for _, w := range in.Volunteers[i].Availability {
			lo, hi := clip(w)
			if lo >= hi {
				continue
			}
			for b := (lo - first) / tb.step; b <= (hi-1-first)/tb.step; b++ {
				if l := tb.lists[b]; len(l) == 0 || l[len(l)-1] != int32(i) {
					tb.lists[b] = append(l, int32(i))
				}
			}
		}
	}
	return tb
}

// of is the stretch a shift starting at t falls in.
func (tb *timeBuckets) of(t time.Time) int64 { return (t.Unix() - tb.t0) / tb.step }

// homeGrid buckets volunteers' homes into cells of equal degrees so a search
// can visit them ring by ring outward from a place, with a proven lower bound
// on the distance to every ring not yet visited.
type homeGrid struct {
	lat0, lon0       float64 // south-west corner, degrees
	latStep, lonStep float64 // cell size, degrees
	nx, ny           int     // cells along latitude and longitude
	start            []int32 // cell c holds ids[start[c]:start[c+1]]
	ids              []int32
	cosMin           float64 // cos of the largest |latitude| of any home
	maxRadius        float64 // the farthest any of these volunteers travels
	spent            bool    // none of them has room for another shift
}

const kmPerDegree = 6371 * math.Pi / 180

func newHomeGrid(vols []Volunteer, ids []int32, spent bool) *homeGrid {
	g := &homeGrid{cosMin: 1, nx: 1, ny: 1, latStep: 1, lonStep: 1, spent: spent}
	if len(ids) == 0 {
		g.start = []int32{0, 0}
		return g
	}
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, i := range ids {
		h := vols[i].Home
		minLat, maxLat = min(minLat, h.Lat), max(maxLat, h.Lat)
		minLon, maxLon = min(minLon, h.Lon), max(maxLon, h.Lon)
		g.maxRadius = max(g.maxRadius, vols[i].RadiusKm)
	}
	g.cosMin = math.Cos(max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	// About four cells per home over the bounding box, so that even dense
	// neighbourhoods hold few homes per cell; never finer than 100 m.
	kmPerLon := kmPerDegree * max(math.Cos((minLat+maxLat)/2*math.Pi/180), 0.01)
	hKm, wKm := max((maxLat-minLat)*kmPerDegree, 0.25), max((maxLon-minLon)*kmPerLon, 0.25)
	cellKm := max(0.1, math.Sqrt(hKm*wKm/(4*float64(len(ids)))))
	for {
		g.latStep, g.lonStep = cellKm/kmPerDegree, cellKm/kmPerLon
		g.nx = int((maxLat-minLat)/g.latStep) + 1
		g.ny = int((maxLon-minLon)/g.lonStep) + 1
		if g.nx*g.ny <= 4*len(ids)+64 {
			break
		}
		cellKm *= 2
	}
	g.lat0, g.lon0 = minLat, minLon
	g.start = make([]int32, g.nx*g.ny+1)
	cellOf := make([]int32, len(ids))
	for j, i := range ids {
		x, y := g.cell(vols[i].Home)
		c := int32(min(max(x, 0), g.nx-1)*g.ny + min(max(y, 0), g.ny-1))
		cellOf[j] = c
		g.start[c+1]++
	}
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	g.ids = make([]int32, len(ids))
	next := slices.Clone(g.start[:len(g.start)-1])
	for j, i := range ids {
		g.ids[next[cellOf[j]]] = i
		next[cellOf[j]]++
	}
	return g
}

func (g *homeGrid) cell(p Point) (int, int) {
	return int(math.Floor((p.Lat - g.lat0) / g.latStep)), int(math.Floor((p.Lon - g.lon0) / g.lonStep))
}

// scan calls visit for the volunteers ring by ring outward from p, and stops
// once limit() km is less than the distance any unvisited ring could hold.
// Longitudes are taken as they are: a city across the antimeridian would be
// searched as if split.
func (g *homeGrid) scan(p Point, limit func() float64, visit func(v int32)) {
	cx, cy := g.cell(p)
	// The farthest ring that still meets the grid.
	last := max(absInt(cx), absInt(cx-(g.nx-1)), absInt(cy), absInt(cy-(g.ny-1)))
	cosP := math.Cos(p.Lat * math.Pi / 180)
	for k := 0; k <= last; k++ {
		if g.lowerBound(k, cosP) > limit() {
			return
		}
		for x := max(cx-k, 0); x <= min(cx+k, g.nx-1); x++ {
			if x == cx-k || x == cx+k {
				g.visitRow(x, cy-k, cy+k, visit)
				continue
			}
			g.visitRow(x, cy-k, cy-k, visit)
			if k > 0 {
				g.visitRow(x, cy+k, cy+k, visit)
			}
		}
	}
}

// visitRow visits cells (x, y0…y1) that exist.
func (g *homeGrid) visitRow(x, y0, y1 int, visit func(v int32)) {
	y0, y1 = max(y0, 0), min(y1, g.ny-1)
	if y0 > y1 {
		return
	}
	for _, v := range g.ids[g.start[x*g.ny+y0]:g.start[x*g.ny+y1+1]] {
		visit(v)
	}
}

// lowerBound is a distance in km below which no home in ring k lies, from a
// point in the centre cell whose latitude has cosine cosP. A ring-k cell is
// at least k−1 whole cells away in latitude or in longitude; great-circle
// distance is at least the latitude difference along a meridian, and the
// haversine term cos φ1·cos φ2·sin²(Δλ/2) bounds it through longitude.
func (g *homeGrid) lowerBound(k int, cosP float64) float64 {
	if k <= 1 {
		return 0
	}
	gap := float64(k - 1)
	byLat := gap * g.latStep * kmPerDegree
	dLon := min(gap*g.lonStep*math.Pi/180, math.Pi)
	byLon := 2 * 6371 * math.Asin(min(1, math.Sqrt(max(cosP*g.cosMin, 0))*math.Sin(dLon/2)))
	// A little slack for rounding in DistanceKm.
	return min(byLat, byLon) * (1 - 1e-9)
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
