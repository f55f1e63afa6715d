package assign

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// GenConfig sets the size and kind of a synthetic city.
type GenConfig struct {
	Volunteers, Shifts int
	Seed               uint64
	// Scarce bunches most shifts into a few peak blocks, gives them more
	// slots and lowers the volunteers' shift limits, so fewer willing
	// volunteers than slots remain: where coordinators need help and exact
	// solvers struggle.
	Scarce bool
}

// genWeek is the period of a generated city: the week from Saturday
// 2026-12-05 00:00 in Al-Madinah (UTC+3), stored in UTC.
var genWeek = Window{
	Start: time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC),
	End:   time.Date(2026, 12, 11, 21, 0, 0, 0, time.UTC),
}

// genCentre is the centre of the generated city, Al-Madinah.
var genCentre = Point{Lat: 24.4672, Lon: 39.6112}

const (
	genCityRadiusKm = 20 // the city is about 40 km across
	genClusters     = 16
	genScattered    = 0.10 // share of homes and sites outside any neighbourhood
	genKmPerLat     = 111.195
	// genFamilyStart is the chance that a volunteer starts a keep-with
	// group of 2–3, chosen so that about 10% of volunteers are in one.
	genFamilyStart = 0.0426
)

// genSkill is a skill with its share among volunteers and its weight among
// the skill roles of shifts.
type genSkill struct {
	id     string
	share  float64
	demand float64
}

// The skills of Sharaka's skills table that the generator uses.
var genSkills = []genSkill{
	{"first_aid", 0.15, 20},
	{"driving", 0.20, 15},
	{"cooking", 0.12, 12},
	{"teaching", 0.10, 10},
	{"leader", 0.08, 8},
	{"logistics", 0.12, 10},
	{"computer", 0.12, 6},
	{"childcare", 0.06, 6},
	{"elderly_care", 0.06, 6},
	{"nursing", 0.04, 4},
	{"translation", 0.03, 2},
	{"sign_language", 0.01, 1},
}

// Weighted tables, index = value − offset. Days run Saturday … Friday:
// Friday and Saturday are the weekend, Thursday evening is busy too.
var (
	genDayW        = []float64{18, 11, 10, 10, 11, 17, 23}
	genShiftHourW  = []float64{4, 6, 7, 6, 4, 3, 3, 3, 5, 7, 9, 10, 9, 7, 4}      // 07–21
	genShiftLenW   = []float64{30, 35, 20, 15}                                    // 2–5 h
	genWindowHourW = []float64{2, 4, 5, 5, 4, 3, 3, 3, 4, 5, 7, 9, 9, 8, 6, 4, 2} // 06–22
	genWindowLenW  = []float64{12, 16, 18, 16, 14, 12, 12}                        // 3–9 h
	genPriorityW   = []float64{10, 35, 35, 13, 7}                                 // 1–5
	genMaxShiftsW  = []float64{40, 35, 15, 10}                                    // 1–4
	genScarceMaxW  = []float64{55, 35, 7, 3}
	genWindowsW    = []float64{25, 30, 25, 20} // 2–5 windows
	genRadiusW     = []float64{15, 55, 18, 12} // 2–4, 5–10, 11–15, 16–25 km
	genRadiusFrom  = []int{2, 5, 11, 16}
	genRadiusTo    = []int{4, 10, 15, 25}
)

// genBlock is a peak of a scarce week: day (0 = Saturday) and local hour.
type genBlock struct{ day, hour int }

var genBlocks = []genBlock{{0, 9}, {0, 17}, {5, 17}, {6, 9}, {6, 16}}

// genInBlocks is the share of scarce shifts that start in a peak block.
const genInBlocks = 0.85

type genCluster struct {
	at    Point
	sigma float64 // km
}

type generator struct {
	r        *rand.Rand
	c        GenConfig
	clusters []genCluster
	cum      []float64 // cumulative cluster weights
	kmPerLon float64
}

// Generate builds a reproducible synthetic city: the same config always
// gives the same instance, byte for byte once encoded. The tables and
// comments of this file set its distributions.
func Generate(c GenConfig) *Instance {
	g := &generator{
		r:        rand.New(rand.NewPCG(c.Seed, 0x5348_4152_414b_4121)),
		c:        c,
		kmPerLon: genKmPerLat * math.Cos(genCentre.Lat*math.Pi/180),
	}
	g.neighbourhoods()
	in := &Instance{Weights: DefaultWeights()}
	in.Shifts = g.shifts()
	in.Volunteers = g.volunteers(in.Shifts)
	return in
}

// neighbourhoods places the clusters of homes and sites, with uneven weights
// so some neighbourhoods are dense and others thin.
func (g *generator) neighbourhoods() {
	total := 0.0
	for range genClusters {
		r := 14 * math.Sqrt(g.r.Float64())
		th := 2 * math.Pi * g.r.Float64()
		g.clusters = append(g.clusters, genCluster{
			at:    g.offset(genCentre, r*math.Cos(th), r*math.Sin(th)),
			sigma: 0.8 + 1.2*g.r.Float64(),
		})
		total += 0.2 + g.r.ExpFloat64()
		g.cum = append(g.cum, total)
	}
}

// offset moves p by dx km east and dy km north.
func (g *generator) offset(p Point, dx, dy float64) Point {
	return Point{
		Lat: math.Round((p.Lat+dy/genKmPerLat)*1e6) / 1e6,
		Lon: math.Round((p.Lon+dx/g.kmPerLon)*1e6) / 1e6,
	}
}

// place draws a home or a site: mostly around a neighbourhood's centre,
// sometimes anywhere in the city.
func (g *generator) place() Point {
	if g.r.Float64() < genScattered {
		r := genCityRadiusKm * math.Sqrt(g.r.Float64())
		th := 2 * math.Pi * g.r.Float64()
		return g.offset(genCentre, r*math.Cos(th), r*math.Sin(th))
	}
	u := g.r.Float64() * g.cum[len(g.cum)-1]
	i, _ := slices.BinarySearch(g.cum, u)
	cl := g.clusters[min(i, len(g.clusters)-1)]
	return g.offset(cl.at, cl.sigma*g.r.NormFloat64(), cl.sigma*g.r.NormFloat64())
}

// pick draws an index with the given weights.
func (g *generator) pick(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	u := g.r.Float64() * total
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// genAt is the instant of a local day (0 = Saturday) and hour of the week.
func genAt(day, hour int) time.Time {
	return genWeek.Start.Add(time.Duration(day*24+hour) * time.Hour)
}

// genOpportunity holds what all shifts of one opportunity share.
type genOpportunity struct {
	id         string
	place      Point
	gender     GenderRule
	minAge     int
	teamSize   int
	teamLeader bool
	languages  []string
}

func (g *generator) opportunities(n int) []genOpportunity {
	ops := make([]genOpportunity, n)
	for i := range ops {
		o := &ops[i]
		o.id = "o" + strconv.Itoa(i+1)
		o.place = g.place()
		switch u := g.r.Float64(); {
		case u < 0.12:
			o.gender = WomenOnly
		case u < 0.20:
			o.gender = MenOnly
		default:
			o.gender = GenderAny
		}
		if g.chance(0.2) {
			o.minAge = 18
		}
		if !g.chance(0.4) {
			o.teamSize = 3 + g.r.IntN(4)
			o.teamLeader = g.chance(0.5)
		}
		switch u := g.r.Float64(); {
		case u < 0.01:
			o.languages = []string{"en"}
		case u < 0.02:
			o.languages = []string{"ur"}
		}
	}
	return ops
}

// shifts spreads the shifts over about Shifts/4 opportunities, each with at
// least one shift; a shift's place and rules are its opportunity's.
func (g *generator) shifts() []Shift {
	n := g.c.Shifts
	if n <= 0 {
		return nil
	}
	ops := g.opportunities(max(1, (n+2)/4))
	count := make([]int, len(ops))
	for i := range count {
		count[i] = 1
	}
	for range n - len(ops) {
		count[g.r.IntN(len(ops))]++
	}
	out := make([]Shift, 0, n)
	for oi := range ops {
		o := &ops[oi]
		for range count[oi] {
			start, end := g.shiftTime()
			out = append(out, Shift{
				ID:          "s" + strconv.Itoa(len(out)+1),
				Opportunity: o.id,
				Place:       o.place,
				Start:       start,
				End:         end,
				Roles:       g.roles(),
				Gender:      o.gender,
				MinAge:      o.minAge,
				Priority:    1 + g.pick(genPriorityW),
				TeamSize:    o.teamSize,
				TeamLeader:  o.teamLeader,
				Languages:   o.languages,
			})
		}
	}
	return out
}

// shiftTime starts a shift on a whole local hour 07–21 and keeps it inside
// the week. Scarce shifts mostly start within an hour of a peak block, so
// the shifts of one block all overlap.
func (g *generator) shiftTime() (time.Time, time.Time) {
	length := 2 + g.pick(genShiftLenW)
	var day, hour int
	if g.c.Scarce && g.chance(genInBlocks) {
		b := genBlocks[g.r.IntN(len(genBlocks))]
		day, hour = b.day, b.hour+g.r.IntN(2)
	} else {
		day, hour = g.pick(genDayW), 7+g.pick(genShiftHourW)
	}
	if day == 6 && hour+length > 24 {
		hour = 24 - length
	}
	return genAt(day, hour), genAt(day, hour+length)
}

// roles gives a plain role and, half of the time, one or two skill roles.
func (g *generator) roles() []Role {
	plain, most, chance := 2+g.r.IntN(13), 3, 0.5
	if g.c.Scarce {
		plain, most, chance = 4+g.r.IntN(17), 4, 0.6
	}
	rs := []Role{{Slots: plain}}
	if !g.chance(chance) {
		return rs
	}
	demand := make([]float64, len(genSkills))
	for i, s := range genSkills {
		demand[i] = s.demand
	}
	for range 1 + g.r.IntN(2) {
		i := g.pick(demand)
		demand[i] = 0 // two skill roles ask for different skills
		rs = append(rs, Role{Skill: genSkills[i].id, Slots: 1 + g.r.IntN(most)})
	}
	return rs
}

// volunteers draws the people; families (keep-with groups) share a home and
// arrive one after another.
func (g *generator) volunteers(shifts []Shift) []Volunteer {
	n := g.c.Volunteers
	if n <= 0 {
		return nil
	}
	out := make([]Volunteer, n)
	for i := 0; i < n; {
		size := 1
		if n-i >= 2 && g.chance(genFamilyStart) {
			size = min(n-i, 2+g.r.IntN(2))
		}
		home := g.place()
		for j := i; j < i+size; j++ {
			g.volunteer(&out[j], j, home)
			for k := i; k < i+size; k++ {
				if k != j {
					out[j].KeepWith = append(out[j].KeepWith, "v"+strconv.Itoa(k+1))
				}
			}
		}
		i += size
	}
	g.preferences(out, shifts)
	return out
}

func (g *generator) volunteer(v *Volunteer, i int, home Point) {
	v.ID = "v" + strconv.Itoa(i+1)
	v.Home = home
	for _, s := range genSkills {
		if g.chance(s.share) {
			v.Skills = append(v.Skills, s.id)
		}
	}
	switch u := g.r.Float64(); {
	case u < 0.48:
		v.Gender = Female
	case u < 0.96:
		v.Gender = Male
	}
	if !g.chance(0.05) {
		// Half-normal from 16: median about 28, few past 60.
		v.Age = min(70, 16+int(math.Abs(g.r.NormFloat64())*18))
	}
	v.Languages = []string{"ar"}
	if g.chance(0.30) {
		v.Languages = append(v.Languages, "en")
	}
	if g.chance(0.04) {
		v.Languages = append(v.Languages, "ur")
	}
	v.Availability = g.availability()
	b := g.pick(genRadiusW)
	v.RadiusKm = float64(genRadiusFrom[b] + g.r.IntN(genRadiusTo[b]-genRadiusFrom[b]+1))
	if g.c.Scarce {
		v.MaxShifts = 1 + g.pick(genScarceMaxW)
	} else {
		v.MaxShifts = 1 + g.pick(genMaxShiftsW)
	}
	v.MaxHours = float64(max(4, min(16, 4*v.MaxShifts-1+g.r.IntN(6))))
}

// availability gives 2–5 windows of 3–9 hours on distinct days. A window
// starts 06:00–22:00 and ends by 02:00 the next day, so windows of distinct
// days never overlap. In a scarce week most windows on a peak day are
// placed around its peak.
func (g *generator) availability() []Window {
	k := 2 + g.pick(genWindowsW)
	dayW := slices.Clone(genDayW)
	days := make([]int, 0, k)
	for range k {
		d := g.pick(dayW)
		dayW[d] = 0
		days = append(days, d)
	}
	slices.Sort(days)
	ws := make([]Window, 0, k)
	for _, d := range days {
		length := 3 + g.pick(genWindowLenW)
		start := 6 + g.pick(genWindowHourW)
		if g.c.Scarce && g.chance(0.6) {
			var peaks []int
			for _, b := range genBlocks {
				if b.day == d {
					peaks = append(peaks, b.hour)
				}
			}
			if len(peaks) > 0 {
				start = peaks[g.r.IntN(len(peaks))] - g.r.IntN(3)
				length = 4 + g.r.IntN(6)
			}
		}
		limit := 26
		if d == 6 {
			limit = 24
		}
		if start+length > limit {
			start = limit - length
		}
		ws = append(ws, Window{Start: genAt(d, start), End: genAt(d, start+length)})
	}
	return ws
}

// preferences gives 30% of volunteers 1–3 opportunities among the six
// nearest sites in the square of 2 km cells around their home, widened
// until it holds six, so each look-up reads only a few cells.
func (g *generator) preferences(vs []Volunteer, shifts []Shift) {
	type site struct {
		id string
		at Point
	}
	var sites []site
	for i := range shifts {
		if i == 0 || shifts[i].Opportunity != shifts[i-1].Opportunity {
			sites = append(sites, site{shifts[i].Opportunity, shifts[i].Place})
		}
	}
	if len(sites) == 0 {
		return
	}
	const cellKm = 2.0
	cell := func(p Point) [2]int {
		return [2]int{int(math.Floor(p.Lat * genKmPerLat / cellKm)), int(math.Floor(p.Lon * g.kmPerLon / cellKm))}
	}
	grid := make(map[[2]int][]int32)
	for i, s := range sites {
		c := cell(s.at)
		grid[c] = append(grid[c], int32(i))
	}
	type near struct {
		d2 float64
		i  int32
	}
	var found []near // the six nearest so far, nearest first
	for vi := range vs {
		v := &vs[vi]
		if !g.chance(0.3) {
			continue
		}
		c := cell(v.Home)
		// Widen the square until it holds six sites (or all) or spans the city.
		for r, seen := 1, 0; seen < min(6, len(sites)) && r <= 2*genCityRadiusKm/cellKm+2; r++ {
			found, seen = found[:0], 0
			for x := c[0] - r; x <= c[0]+r; x++ {
				for y := c[1] - r; y <= c[1]+r; y++ {
					for _, i := range grid[[2]int{x, y}] {
						seen++
						dy := (sites[i].at.Lat - v.Home.Lat) * genKmPerLat
						dx := (sites[i].at.Lon - v.Home.Lon) * g.kmPerLon
						f := near{dx*dx + dy*dy, i}
						at := len(found)
						for at > 0 && cmp.Or(cmp.Compare(f.d2, found[at-1].d2), cmp.Compare(f.i, found[at-1].i)) < 0 {
							at--
						}
						if at < 6 {
							found = slices.Insert(found[:min(len(found), 5)], at, f)
						}
					}
				}
			}
		}
		g.r.Shuffle(len(found), func(a, b int) { found[a], found[b] = found[b], found[a] })
		for _, f := range found[:min(1+g.r.IntN(3), len(found))] {
			v.Prefers = append(v.Prefers, sites[f.i].id)
		}
	}
}
