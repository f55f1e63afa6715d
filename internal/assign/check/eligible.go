package check

import (
	"math"
	"slices"
)

// ineligible lists every rule that forbids volunteer v from role r of
// shift s; empty means the pair is allowed.
func ineligible(v *volunteer, s *shift, r int) []string {
	var why []string
	if sk := s.Roles[r].Skill; sk != "" && !slices.Contains(v.Skills, sk) {
		why = append(why, "lacks skill "+sk)
	}
	switch s.Gender {
	case "women":
		if v.Gender != "female" {
			why = append(why, "shift is for women")
		}
	case "men":
		if v.Gender != "male" {
			why = append(why, "shift is for men")
		}
	}
	if s.MinAge > 0 && v.Age < s.MinAge { // age 0 is unknown, which fails
		why = append(why, "under the minimum age")
	}
	if len(s.Languages) > 0 && !slices.ContainsFunc(s.Languages, func(l string) bool { return slices.Contains(v.Languages, l) }) {
		why = append(why, "speaks none of the shift's languages")
	}
	if haversineKm(v.Home, s.Place) > v.RadiusKm {
		why = append(why, "outside travel radius")
	}
	if !slices.ContainsFunc(v.Availability, func(w window) bool { return !w.Start.After(s.Start) && !w.End.Before(s.End) }) {
		why = append(why, "no availability window covers the shift")
	}
	if v.MaxShifts < 1 {
		why = append(why, "wants no shifts")
	}
	if shiftMinutes(s) > maxMinutes(v) {
		why = append(why, "shift longer than the hour limit")
	}
	return why
}

// haversineKm is the great-circle distance on a sphere of radius 6371 km.
func haversineKm(a, b point) float64 {
	const earth = 6371.0
	rad := math.Pi / 180
	p1, p2 := a.Lat*rad, b.Lat*rad
	dp, dl := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	sp, sl := math.Sin(dp/2), math.Sin(dl/2)
	h := sp*sp + math.Cos(p1)*math.Cos(p2)*sl*sl
	return 2 * earth * math.Asin(math.Min(1, math.Sqrt(h)))
}
