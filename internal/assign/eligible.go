package assign

import (
	"math"
	"slices"
	"time"
)

// Why a volunteer may not take a role, in the order the checks run. The
// first failing check is the one reported.
const (
	Eligible          = ""
	WhyMissingSkill   = "missing_skill"
	WhyGender         = "gender_rule"
	WhyAge            = "under_age"
	WhyLanguage       = "no_common_language"
	WhyOutsideRadius  = "outside_radius"
	WhyNotAvailable   = "not_available"
	WhyNoShiftsWanted = "no_shifts_wanted"
	WhyTooLong        = "shift_longer_than_hours"
)

// Ineligible returns why volunteer v may not take role r of shift s, or
// Eligible. It checks the hard constraints that concern the pair alone;
// overlaps and limits depend on the rest of the assignment.
func Ineligible(v *Volunteer, s *Shift, r int) string {
	if sk := s.Roles[r].Skill; sk != "" && !slices.Contains(v.Skills, sk) {
		return WhyMissingSkill
	}
	if why := ineligibleForShift(v, s); why != Eligible {
		return why
	}
	return Eligible
}

// ineligibleForShift checks what does not depend on the role.
func ineligibleForShift(v *Volunteer, s *Shift) string {
	return ineligibleAt(v, s, DistanceKm(v.Home, s.Place))
}

// ineligibleAt is ineligibleForShift with the distance from home to the
// shift already known, so a caller that also prices the pair measures once.
func ineligibleAt(v *Volunteer, s *Shift, km float64) string {
	switch s.Gender {
	case WomenOnly:
		if v.Gender != Female {
			return WhyGender
		}
	case MenOnly:
		if v.Gender != Male {
			return WhyGender
		}
	}
	if s.MinAge > 0 && v.Age < s.MinAge {
		return WhyAge
	}
	if len(s.Languages) > 0 && !speaksOne(v.Languages, s.Languages) {
		return WhyLanguage
	}
	if km > v.RadiusKm {
		return WhyOutsideRadius
	}
	if !covers(v.Availability, s.Start, s.End) {
		return WhyNotAvailable
	}
	if v.MaxShifts < 1 {
		return WhyNoShiftsWanted
	}
	if s.Minutes() > v.MaxMinutes() {
		return WhyTooLong
	}
	return Eligible
}

func speaksOne(have, want []string) bool {
	for _, l := range want {
		if slices.Contains(have, l) {
			return true
		}
	}
	return false
}

// covers reports whether one window holds the whole of [start, end).
func covers(ws []Window, start, end time.Time) bool {
	for _, w := range ws {
		if !w.Start.After(start) && !w.End.Before(end) {
			return true
		}
	}
	return false
}

// Overlap reports whether two shifts share any moment; a shift that ends
// when the other starts does not overlap it.
func Overlap(a, b *Shift) bool {
	return a.Start.Before(b.End) && b.Start.Before(a.End)
}

// PreferenceBonus is what a volunteer's preference for the shift's
// opportunity subtracts from the cost of the assignment.
func PreferenceBonus(w Weights, v *Volunteer, s *Shift) int64 {
	if s.Opportunity == "" {
		return 0
	}
	for k, o := range v.Prefers {
		if o == s.Opportunity {
			return w.Preference / int64(k+1)
		}
	}
	return 0
}

// PairCost is the cost of placing v on s, before load: travel minus the
// preference bonus.
func PairCost(w Weights, v *Volunteer, s *Shift) int64 {
	return pairCostAt(w, v, s, DistanceKm(v.Home, s.Place))
}

// pairCostAt is PairCost with the distance already known.
func pairCostAt(w Weights, v *Volunteer, s *Shift, km float64) int64 {
	return w.Distance*int64(math.Round(km*10)) - PreferenceBonus(w, v, s)
}

// LoadCost is the load term of a volunteer who takes k shifts.
func LoadCost(w Weights, k int) int64 {
	return w.Load * int64(k) * int64(k-1) / 2
}

// UnfilledCost is the penalty of one empty slot of s.
func UnfilledCost(w Weights, s *Shift) int64 { return w.Unfilled * int64(s.Priority) }
