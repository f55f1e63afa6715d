package check

import "math"

// objective recomputes docs/assign.md's objective: empty slots weighted by
// priority, travel in 100 m units less the preference bonus, and the convex
// load term.
func (c *checker) objective(ps []placed) int64 {
	w := c.in.Weights
	var total int64
	count := make(map[[2]int]int64)
	shifts := make([]int64, len(c.in.Volunteers))
	for _, p := range ps {
		vol, sh := &c.in.Volunteers[p.v], &c.in.Shifts[p.s]
		units := int64(math.Round(haversineKm(vol.Home, sh.Place) * 10))
		total += w.Distance*units - bonus(w, vol, sh)
		count[[2]int{p.s, p.a.Role}]++
		shifts[p.v]++
	}
	for _, k := range shifts {
		total += w.Load * k * (k - 1) / 2
	}
	for s, sh := range c.in.Shifts {
		for r, ro := range sh.Roles {
			if empty := int64(ro.Slots) - count[[2]int{s, r}]; empty > 0 {
				total += w.Unfilled * int64(sh.Priority) * empty
			}
		}
	}
	return total
}

// bonus is preference/k when the shift's opportunity is the volunteer's
// k-th listed one (the first listing counts).
func bonus(w weights, v *volunteer, s *shift) int64 {
	if s.Opportunity == "" {
		return 0
	}
	for i, o := range v.Prefers {
		if o == s.Opportunity {
			return w.Preference / int64(i+1)
		}
	}
	return 0
}
