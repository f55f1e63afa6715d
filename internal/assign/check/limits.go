package check

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// volunteerLimits checks each volunteer's shifts together: once per shift,
// no two at the same moment, and within the shift and hour limits.
func (c *checker) volunteerLimits(ps []placed) []string {
	byVol := make([][]int, len(c.in.Volunteers))
	for _, p := range ps {
		byVol[p.v] = append(byVol[p.v], p.s)
	}
	var out []string
	for v, ss := range byVol {
		if len(ss) == 0 {
			continue
		}
		vol := &c.in.Volunteers[v]
		sort.Slice(ss, func(i, j int) bool {
			a, b := &c.in.Shifts[ss[i]], &c.in.Shifts[ss[j]]
			if !a.Start.Equal(b.Start) {
				return a.Start.Before(b.Start)
			}
			return ss[i] < ss[j]
		})
		var minutes int64
		for i, a := range ss {
			minutes += shiftMinutes(&c.in.Shifts[a])
			for _, b := range ss[i+1:] {
				sa, sb := &c.in.Shifts[a], &c.in.Shifts[b]
				switch {
				case a == b:
					out = append(out, fmt.Sprintf("twice: %s holds two places on %s", vol.ID, sa.ID))
				case sa.Start.Before(sb.End) && sb.Start.Before(sa.End):
					out = append(out, fmt.Sprintf("overlap: %s is on %s and %s at once", vol.ID, sa.ID, sb.ID))
				}
			}
		}
		if len(ss) > vol.MaxShifts {
			out = append(out, fmt.Sprintf("max_shifts: %s has %d shifts, limit %d", vol.ID, len(ss), vol.MaxShifts))
		}
		if limit := maxMinutes(vol); minutes > limit {
			out = append(out, fmt.Sprintf("max_hours: %s works %d minutes, limit %d", vol.ID, minutes, limit))
		}
	}
	return out
}

// roleSlots checks that no role holds more people than slots, and counts
// the filled and total slots into rep.
func (c *checker) roleSlots(ps []placed, rep *Report) []string {
	count := make([][]int, len(c.in.Shifts))
	for s, sh := range c.in.Shifts {
		count[s] = make([]int, len(sh.Roles))
	}
	for _, p := range ps {
		count[p.s][p.a.Role]++
	}
	var out []string
	for s, sh := range c.in.Shifts {
		for r, ro := range sh.Roles {
			n := count[s][r]
			rep.Slots += ro.Slots
			rep.Filled += min(n, max(ro.Slots, 0))
			if n > ro.Slots {
				out = append(out, fmt.Sprintf("slots: %s role %d holds %d people in %d slots", sh.ID, r, n, ro.Slots))
			}
		}
	}
	return out
}

// shiftMinutes is a shift's length in whole minutes, cut down.
func shiftMinutes(s *shift) int64 { return int64(s.End.Sub(s.Start) / time.Minute) }

// maxMinutes is max_hours in minutes, rounded to nearest.
func maxMinutes(v *volunteer) int64 { return int64(math.Round(v.MaxHours * 60)) }
