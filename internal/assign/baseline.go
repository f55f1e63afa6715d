package assign

import (
	"cmp"
	"math"
	"slices"
)

// Baseline is first-come-first-served self sign-up, as volunteering
// platforms work today: volunteers come in the instance's order and each
// signs up for open slots, nearest shift first (by great-circle distance;
// ties: earlier start, then instance order), until their limits are
// reached or nothing eligible is left. A volunteer skips a shift that overlaps one they already took or
// would pass their shift or hour limit, takes at most one role per shift,
// and within a shift takes a role asking for one of their skills before the
// plain role (they sign up for what they are trained for). Nobody sees who
// comes later, which is what the engine is measured against. Teams and
// reasons are left empty (FormTeams and Explain fill them).
//
// It shares no index with the solver: shifts are bucketed by start hour, so
// a volunteer reads only the shifts starting inside their availability;
// full shifts leave the buckets as they fill, and the full eligibility
// check (Ineligible's) runs only on the offers a volunteer reaches.
func Baseline(in *Instance) []Assignment {
	b := newSignupBoard(in)
	var (
		out    []Assignment
		offers signupHeap
		taken  []int32
	)
	for v := range in.Volunteers {
		vol := &in.Volunteers[v]
		if vol.MaxShifts < 1 {
			continue
		}
		offers.items = b.offers(offers.items[:0], int32(v))
		offers.start = b.start
		offers.init()
		taken = taken[:0]
		var minutes int64
		maxMin := vol.MaxMinutes()
		// Only the few offers a volunteer reaches are checked in full.
		for len(taken) < vol.MaxShifts && len(offers.items) > 0 {
			s := offers.pop()
			sh := &in.Shifts[s]
			if minutes+sh.Minutes() > maxMin || b.clash(taken, s) || ineligibleForShift(vol, sh) != Eligible {
				continue
			}
			r := b.role(vol, s)
			if r < 0 {
				continue
			}
			b.take(s, r)
			taken = append(taken, s)
			minutes += sh.Minutes()
			out = append(out, Assignment{Volunteer: vol.ID, Shift: sh.ID, Role: r})
		}
	}
	return out
}

// signupOffer is a shift with room that may be within a volunteer's reach;
// d2 is the squared chord to it on the unit sphere, which orders shifts as
// the great-circle distance does.
type signupOffer struct {
	d2 float64
	s  int32
}

// signupHeap yields offers nearest first, then earlier start, then in
// instance order.
type signupHeap struct {
	items []signupOffer
	start []int64
}

func (h *signupHeap) less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return cmp.Or(cmp.Compare(a.d2, b.d2), cmp.Compare(h.start[a.s], h.start[b.s]), cmp.Compare(a.s, b.s)) < 0
}

func (h *signupHeap) init() {
	for i := len(h.items)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *signupHeap) pop() int32 {
	top := h.items[0].s
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	h.down(0)
	return top
}

func (h *signupHeap) down(i int) {
	n := len(h.items)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			return
		}
		h.items[i], h.items[c] = h.items[c], h.items[i]
		i = c
	}
}

// signupBoard is the sign-up sheet: slots left per role and the shifts that
// still have room, bucketed by start time.
type signupBoard struct {
	in    *Instance
	room  [][]int32 // per shift, per role
	left  []int32   // per shift, all roles
	start []int64   // per shift, Unix seconds
	// unit vectors of shift places, for a cheap "surely too far" test
	place   [][3]float64
	t0      int64 // first bucket's start, Unix seconds
	width   int64 // bucket width in seconds
	buckets [][]int32
	seen    []int32 // per shift, 1 + the last volunteer who looked at it
}

func newSignupBoard(in *Instance) *signupBoard {
	n := len(in.Shifts)
	b := &signupBoard{
		in: in, room: make([][]int32, n), left: make([]int32, n), start: make([]int64, n),
		place: make([][3]float64, n), seen: make([]int32, n), width: 3600,
	}
	if n == 0 {
		return b
	}
	b.t0 = math.MaxInt64
	last := int64(math.MinInt64)
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		b.start[s] = sh.Start.Unix()
		b.t0, last = min(b.t0, b.start[s]), max(last, b.start[s])
		b.place[s] = signupUnit(sh.Place)
		b.room[s] = make([]int32, len(sh.Roles))
		for r, role := range sh.Roles {
			b.room[s][r] = int32(max(role.Slots, 0))
			b.left[s] += b.room[s][r]
		}
	}
	// Hour buckets, widened only for instances spanning over a century.
	const most = 1 << 20
	b.width = max(b.width, (last-b.t0)/most+1)
	b.buckets = make([][]int32, (last-b.t0)/b.width+1)
	for s := range in.Shifts {
		if b.left[s] > 0 {
			k := (b.start[s] - b.t0) / b.width
			b.buckets[k] = append(b.buckets[k], int32(s))
		}
	}
	return b
}

// offers appends the shifts with room that may be within volunteer v's
// radius and start inside one of v's windows: a window covers a shift only
// if the shift starts in it, so each window reads the buckets of its own
// span. The full eligibility check waits until an offer is reached.
func (b *signupBoard) offers(buf []signupOffer, v int32) []signupOffer {
	vol := &b.in.Volunteers[v]
	home := signupUnit(vol.Home)
	// A chord never exceeds its arc, so a chord longer than the radius is
	// surely outside it; a hair of slack keeps rounding from dropping a
	// shift on the circle.
	reach := vol.RadiusKm / signupEarthKm
	reach2 := reach * reach * (1 + 1e-9)
	for _, w := range vol.Availability {
		lo := max((w.Start.Unix()-b.t0)/b.width, 0)
		hi := min((w.End.Unix()-1-b.t0)/b.width, int64(len(b.buckets))-1)
		for k := lo; k <= hi; k++ {
			kept := b.buckets[k][:0]
			for _, s := range b.buckets[k] {
				if b.left[s] == 0 {
					continue // full: drop it from the bucket for good
				}
				kept = append(kept, s)
				if b.seen[s] == v+1 {
					continue
				}
				b.seen[s] = v + 1
				p := &b.place[s]
				dx, dy, dz := p[0]-home[0], p[1]-home[1], p[2]-home[2]
				if d2 := dx*dx + dy*dy + dz*dz; d2 <= reach2 {
					buf = append(buf, signupOffer{d2, s})
				}
			}
			clear(b.buckets[k][len(kept):])
			b.buckets[k] = kept
		}
	}
	return buf
}

// role picks the role of shift s that vol signs up for: one asking for a
// skill of theirs before the plain one, each in listed order; −1 if none
// has room.
func (b *signupBoard) role(vol *Volunteer, s int32) int {
	plain := -1
	for r, role := range b.in.Shifts[s].Roles {
		if b.room[s][r] == 0 {
			continue
		}
		if role.Skill == "" {
			if plain < 0 {
				plain = r
			}
		} else if slices.Contains(vol.Skills, role.Skill) {
			return r
		}
	}
	return plain
}

func (b *signupBoard) take(s int32, r int) {
	b.room[s][r]--
	b.left[s]--
}

// clash reports whether shift s is one of taken or overlaps one of them.
func (b *signupBoard) clash(taken []int32, s int32) bool {
	for _, t := range taken {
		if t == s || Overlap(&b.in.Shifts[t], &b.in.Shifts[s]) {
			return true
		}
	}
	return false
}

// signupEarthKm is the sphere radius DistanceKm uses.
const signupEarthKm = 6371.0

// signupUnit places p on the unit sphere.
func signupUnit(p Point) [3]float64 {
	la, lo := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}
