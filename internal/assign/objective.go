package assign

import "fmt"

// Result is a distribution and what is known of its quality.
type Result struct {
	Assignments []Assignment `json:"assignments"`
	// Objective is the value of the objective (docs/assign.md), lower is better.
	Objective int64 `json:"objective"`
	// Bound is a proven lower bound on the best objective any distribution can
	// reach, when BoundKnown; Objective−Bound is the most that could still
	// be gained.
	Bound      int64 `json:"bound,omitempty"`
	BoundKnown bool  `json:"bound_known"`
	// Optimal says the search proved Objective is the best possible.
	Optimal bool `json:"optimal"`
	Slots   int  `json:"slots"`
	Filled  int  `json:"filled"`
	// Shortages lists the shifts left with empty slots and whom they lack.
	Shortages []Shortage `json:"shortages,omitempty"`
}

// Gap is (Objective−Bound)/|Objective|, the relative distance to the bound;
// −1 when no bound is known.
func (r *Result) Gap() float64 {
	if !r.BoundKnown {
		return -1
	}
	if r.Objective == 0 {
		return 0
	}
	d := float64(r.Objective - r.Bound)
	o := float64(r.Objective)
	if o < 0 {
		o = -o
	}
	return d / o
}

// Objective computes the objective of a set of assignments, refusing one
// that names an unknown volunteer, shift or role. It does not check the hard
// constraints; Validate does.
func Objective(in *Instance, as []Assignment) (int64, error) {
	vi, si := in.index()
	var total int64
	filled := make(map[[2]int]int)
	shifts := make([]int, len(in.Volunteers))
	for _, a := range as {
		v, okv := vi[a.Volunteer]
		s, oks := si[a.Shift]
		if !okv || !oks || a.Role < 0 || a.Role >= len(in.Shifts[s].Roles) {
			return 0, fmt.Errorf("assignment %s→%s role %d: unknown volunteer, shift or role", a.Volunteer, a.Shift, a.Role)
		}
		total += PairCost(in.Weights, &in.Volunteers[v], &in.Shifts[s])
		filled[[2]int{s, a.Role}]++
		shifts[v]++
	}
	for _, k := range shifts {
		total += LoadCost(in.Weights, k)
	}
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		for r, role := range sh.Roles {
			if empty := role.Slots - filled[[2]int{s, r}]; empty > 0 {
				total += int64(empty) * UnfilledCost(in.Weights, sh)
			}
		}
	}
	return total, nil
}

// index maps ids to positions.
func (in *Instance) index() (vols, shifts map[string]int) {
	vols = make(map[string]int, len(in.Volunteers))
	for i := range in.Volunteers {
		vols[in.Volunteers[i].ID] = i
	}
	shifts = make(map[string]int, len(in.Shifts))
	for i := range in.Shifts {
		shifts[in.Shifts[i].ID] = i
	}
	return vols, shifts
}

// Violations lists every hard constraint the assignments break: an
// ineligible pair, a volunteer twice on one shift or on overlapping shifts,
// over a limit, a role over its slots, a pin missing or a removed pair
// placed. Empty means valid.
func Violations(in *Instance, as []Assignment) []string {
	vi, si := in.index()
	var out []string
	byVol := make(map[int][]int)
	filled := make(map[[2]int]int)
	for _, a := range as {
		v, okv := vi[a.Volunteer]
		s, oks := si[a.Shift]
		if !okv || !oks || a.Role < 0 || a.Role >= len(in.Shifts[s].Roles) {
			out = append(out, fmt.Sprintf("%s→%s: unknown volunteer, shift or role", a.Volunteer, a.Shift))
			continue
		}
		if why := Ineligible(&in.Volunteers[v], &in.Shifts[s], a.Role); why != Eligible {
			out = append(out, fmt.Sprintf("%s→%s: %s", a.Volunteer, a.Shift, why))
		}
		byVol[v] = append(byVol[v], s)
		filled[[2]int{s, a.Role}]++
	}
	placed := make(map[Pin]bool, len(as))
	for _, a := range as {
		placed[Pin{Volunteer: a.Volunteer, Shift: a.Shift, Role: a.Role}] = true
		placed[Pin{Volunteer: a.Volunteer, Shift: a.Shift, Role: -1}] = true
	}
	for _, p := range in.Pinned {
		if !placed[p] {
			out = append(out, fmt.Sprintf("%s→%s: pinned but not placed", p.Volunteer, p.Shift))
		}
	}
	for _, p := range in.Excluded {
		if placed[Pin{Volunteer: p.Volunteer, Shift: p.Shift, Role: -1}] {
			out = append(out, fmt.Sprintf("%s→%s: removed but placed", p.Volunteer, p.Shift))
		}
	}
	for k, n := range filled {
		if n > in.Shifts[k[0]].Roles[k[1]].Slots {
			out = append(out, fmt.Sprintf("%s role %d: %d placed in %d slots", in.Shifts[k[0]].ID, k[1], n, in.Shifts[k[0]].Roles[k[1]].Slots))
		}
	}
	for v, ss := range byVol {
		vol := &in.Volunteers[v]
		var minutes int64
		for i, a := range ss {
			minutes += in.Shifts[a].Minutes()
			for _, b := range ss[i+1:] {
				if a == b || Overlap(&in.Shifts[a], &in.Shifts[b]) {
					out = append(out, fmt.Sprintf("%s: on %s and %s at once", vol.ID, in.Shifts[a].ID, in.Shifts[b].ID))
				}
			}
		}
		if len(ss) > vol.MaxShifts {
			out = append(out, fmt.Sprintf("%s: %d shifts over a limit of %d", vol.ID, len(ss), vol.MaxShifts))
		}
		if minutes > vol.MaxMinutes() {
			out = append(out, fmt.Sprintf("%s: %d minutes over a limit of %d", vol.ID, minutes, vol.MaxMinutes()))
		}
	}
	return out
}
