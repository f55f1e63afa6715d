package assign

import "slices"

// Metrics are the figures a coordinator compares two distributions by.
type Metrics struct {
	// Slots counts all slots; Filled the slots holding a volunteer, each
	// role counting at most its Slots.
	Slots  int `json:"slots"`
	Filled int `json:"filled"`
	// SlotsByPriority and FilledByPriority split those by shift priority
	// (index 1–5; index 0 stays zero).
	SlotsByPriority  [6]int `json:"slots_by_priority"`
	FilledByPriority [6]int `json:"filled_by_priority"`
	// TotalKm sums the great-circle distance (DistanceKm) from home to shift
	// over all placements; MeanKm is TotalKm per placement.
	TotalKm float64 `json:"total_km"`
	MeanKm  float64 `json:"mean_km"`
	// Load is the number of shifts one volunteer takes. LoadMax is the most
	// any volunteer takes; LoadP90 the 90th percentile over placed
	// volunteers, interpolated linearly between the closest ranks
	// (position 0.9·(n−1) in ascending order).
	LoadMax int     `json:"load_max"`
	LoadP90 float64 `json:"load_p90"`
	// LoadGini is the Gini coefficient of load over placed volunteers,
	// LoadGiniAll over every volunteer of the instance (the unplaced
	// counting 0). Gini = Σᵢ Σⱼ |xᵢ − xⱼ| / (2·n²·mean): 0 when everyone takes
	// as much, (n−1)/n when one takes all.
	LoadGini    float64 `json:"load_gini"`
	LoadGiniAll float64 `json:"load_gini_all"`
	// Volunteers counts the volunteers placed at least once.
	Volunteers int `json:"volunteers"`
}

// Measure computes the metrics of a distribution. It measures, it does not
// judge: an assignment naming an unknown volunteer, shift or role is
// skipped, and Violations is the check of hard constraints.
func Measure(in *Instance, as []Assignment) Metrics {
	var mt Metrics
	vi, si := in.index()
	load := make([]int, len(in.Volunteers))
	filled := make([][]int, len(in.Shifts))
	placements := 0
	for _, a := range as {
		v, okv := vi[a.Volunteer]
		s, oks := si[a.Shift]
		if !okv || !oks || a.Role < 0 || a.Role >= len(in.Shifts[s].Roles) {
			continue
		}
		if filled[s] == nil {
			filled[s] = make([]int, len(in.Shifts[s].Roles))
		}
		filled[s][a.Role]++
		load[v]++
		placements++
		mt.TotalKm += DistanceKm(in.Volunteers[v].Home, in.Shifts[s].Place)
	}
	for s := range in.Shifts {
		sh := &in.Shifts[s]
		p := min(max(sh.Priority, 0), 5)
		for r, role := range sh.Roles {
			n := 0
			if filled[s] != nil {
				n = min(filled[s][r], role.Slots)
			}
			mt.Slots += role.Slots
			mt.Filled += n
			mt.SlotsByPriority[p] += role.Slots
			mt.FilledByPriority[p] += n
		}
	}
	if placements > 0 {
		mt.MeanKm = mt.TotalKm / float64(placements)
	}
	slices.Sort(load)
	mt.LoadGiniAll = loadGini(load)
	i, _ := slices.BinarySearch(load, 1)
	placed := load[i:]
	mt.Volunteers = len(placed)
	mt.LoadGini = loadGini(placed)
	if n := len(placed); n > 0 {
		mt.LoadMax = placed[n-1]
		pos := 0.9 * float64(n-1)
		lo := int(pos)
		mt.LoadP90 = float64(placed[lo])
		if lo+1 < n {
			mt.LoadP90 += (pos - float64(lo)) * float64(placed[lo+1]-placed[lo])
		}
	}
	return mt
}

// loadGini of ascending non-negative values, by the rank form of the mean
// absolute difference: G = 2·Σᵢ i·x₍ᵢ₎ / (n·Σx) − (n+1)/n, i from 1.
func loadGini(sorted []int) float64 {
	n := len(sorted)
	var sum, ranked float64
	for i, x := range sorted {
		sum += float64(x)
		ranked += float64(i+1) * float64(x)
	}
	if n == 0 || sum == 0 {
		return 0
	}
	return 2*ranked/(float64(n)*sum) - float64(n+1)/float64(n)
}
