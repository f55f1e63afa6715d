// Package assign is the distribution engine: it places volunteers into the
// slots of shifts, then splits each shift's people into teams, and explains
// every decision. It is pure: no database, no HTTP, no project imports, so it
// can be tested, benchmarked and reused alone. docs/assign.md gives the
// model, the objective with every weight, the JSON formats and the figures.
package assign

import (
	"fmt"
	"math"
	"time"
)

// Point is a place on earth in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Gender of a volunteer; empty when not given.
type Gender string

// Genders a volunteer may give.
const (
	Female Gender = "female"
	Male   Gender = "male"
)

// GenderRule restricts who may take a shift's slots.
type GenderRule string

// The gender rules of a shift; empty means GenderAny.
const (
	GenderAny GenderRule = "any"
	WomenOnly GenderRule = "women"
	MenOnly   GenderRule = "men"
)

// Window is a span of time [Start, End).
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Volunteer is one person who may be placed.
type Volunteer struct {
	ID           string   `json:"id"`
	Home         Point    `json:"home"`
	Skills       []string `json:"skills,omitempty"`
	Gender       Gender   `json:"gender,omitempty"`
	Age          int      `json:"age,omitempty"` // 0 when unknown
	Languages    []string `json:"languages,omitempty"`
	Availability []Window `json:"availability"`
	RadiusKm     float64  `json:"radius_km"`
	MaxShifts    int      `json:"max_shifts"`
	MaxHours     float64  `json:"max_hours"`
	// Prefers lists opportunity ids, most wanted first.
	Prefers []string `json:"prefers,omitempty"`
	// KeepWith lists volunteers this one wants to work beside (family,
	// friends); honoured when teams are formed.
	KeepWith []string `json:"keep_with,omitempty"`
}

// Role is a group of slots in a shift; Skill is empty for a plain slot.
type Role struct {
	Skill string `json:"skill,omitempty"`
	Slots int    `json:"slots"`
}

// Shift is a piece of work at a place and time.
type Shift struct {
	ID          string     `json:"id"`
	Opportunity string     `json:"opportunity,omitempty"`
	Place       Point      `json:"place"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	Roles       []Role     `json:"roles"`
	Gender      GenderRule `json:"gender,omitempty"`
	MinAge      int        `json:"min_age,omitempty"`
	Priority    int        `json:"priority"` // 1 (low) … 5 (urgent)
	TeamSize    int        `json:"team_size,omitempty"`
	TeamLeader  bool       `json:"team_leader,omitempty"`
	// Languages, when given, requires the volunteer to speak one of them.
	Languages []string `json:"languages,omitempty"`
}

// LeaderSkill is the skill a team leader must have.
const LeaderSkill = "leader"

// Weights are the integer costs of the objective; docs/assign.md gives the
// formula. All terms are whole numbers so two solvers agree to the unit.
type Weights struct {
	// Unfilled is the penalty of one empty slot per priority level: an empty
	// slot of a priority-p shift costs Unfilled·p. It must exceed any cost one
	// assignment can carry, so filling a slot always wins.
	Unfilled int64 `json:"unfilled"`
	// Distance is the cost of one 100 m unit between home and shift.
	Distance int64 `json:"distance"`
	// Preference is the bonus for a volunteer's first preferred
	// opportunity; the k-th preference earns Preference/k.
	Preference int64 `json:"preference"`
	// Load makes work spread: a volunteer's k-th shift costs Load·(k−1), so
	// k shifts cost Load·k(k−1)/2 in all.
	Load int64 `json:"load"`
}

// DefaultWeights: an empty slot of priority 1 costs as much as 1,000 km of
// travel; a first preference is worth 2 km; a second shift costs as much as
// 3 km of travel, a third 6 km.
func DefaultWeights() Weights {
	return Weights{Unfilled: 100_000, Distance: 1, Preference: 20, Load: 30}
}

// Instance is one distribution problem.
type Instance struct {
	Volunteers []Volunteer `json:"volunteers"`
	Shifts     []Shift     `json:"shifts"`
	Weights    Weights     `json:"weights"`
	// Pinned are placements a coordinator keeps: the solver makes them
	// first and never undoes them. They must meet every hard constraint.
	Pinned []Pin `json:"pinned,omitempty"`
	// Excluded are (volunteer, shift) pairs a coordinator removed: the
	// solver never makes them. Role is ignored.
	Excluded []Pin `json:"excluded,omitempty"`
}

// Pin names a volunteer on a shift (and for Pinned, the role).
type Pin struct {
	Volunteer string `json:"volunteer"`
	Shift     string `json:"shift"`
	Role      int    `json:"role,omitempty"`
}

// Assignment places one volunteer into one role of one shift.
type Assignment struct {
	Volunteer string `json:"volunteer"`
	Shift     string `json:"shift"`
	Role      int    `json:"role"`             // index into Shift.Roles
	Team      int    `json:"team"`             // 1-based team within the shift; 0 before teams are formed
	Leader    bool   `json:"leader,omitempty"` // leads the team
	Reason    Reason `json:"reason"`
}

// Validate reports the first malformed field of an instance, so a bad file
// is refused with a message instead of a wrong answer.
func (in *Instance) Validate() error {
	w := in.Weights
	if w.Unfilled <= 0 || w.Distance < 0 || w.Preference < 0 || w.Load < 0 {
		return fmt.Errorf("weights: unfilled must be positive and the others not negative")
	}
	seen := make(map[string]bool, len(in.Volunteers))
	for i, v := range in.Volunteers {
		if v.ID == "" || seen[v.ID] {
			return fmt.Errorf("volunteer %d: missing or repeated id %q", i, v.ID)
		}
		seen[v.ID] = true
		if v.MaxShifts < 0 || v.MaxHours < 0 || v.RadiusKm < 0 || v.Age < 0 {
			return fmt.Errorf("volunteer %s: negative limit", v.ID)
		}
		if v.Gender != "" && v.Gender != Female && v.Gender != Male {
			return fmt.Errorf("volunteer %s: gender %q is neither female nor male", v.ID, v.Gender)
		}
		if !validPoint(v.Home) {
			return fmt.Errorf("volunteer %s: home is not a place on earth", v.ID)
		}
		for _, win := range v.Availability {
			if !win.End.After(win.Start) {
				return fmt.Errorf("volunteer %s: an availability window ends before it starts", v.ID)
			}
		}
	}
	seen = make(map[string]bool, len(in.Shifts))
	for i, s := range in.Shifts {
		if s.ID == "" || seen[s.ID] {
			return fmt.Errorf("shift %d: missing or repeated id %q", i, s.ID)
		}
		seen[s.ID] = true
		if !s.End.After(s.Start) {
			return fmt.Errorf("shift %s: ends before it starts", s.ID)
		}
		if s.Priority < 1 || s.Priority > 5 {
			return fmt.Errorf("shift %s: priority %d is outside 1–5", s.ID, s.Priority)
		}
		switch s.Gender {
		case "", GenderAny, WomenOnly, MenOnly:
		default:
			return fmt.Errorf("shift %s: gender rule %q is not any, women or men", s.ID, s.Gender)
		}
		if s.TeamSize < 0 || s.MinAge < 0 {
			return fmt.Errorf("shift %s: negative team size or age", s.ID)
		}
		if !validPoint(s.Place) {
			return fmt.Errorf("shift %s: place is not a place on earth", s.ID)
		}
		for _, r := range s.Roles {
			if r.Slots < 0 {
				return fmt.Errorf("shift %s: negative slots", s.ID)
			}
		}
	}
	vi, si := in.index()
	for _, list := range [][]Pin{in.Pinned, in.Excluded} {
		for _, p := range list {
			v, okv := vi[p.Volunteer]
			s, oks := si[p.Shift]
			if !okv || !oks {
				return fmt.Errorf("pin %s→%s: unknown volunteer or shift", p.Volunteer, p.Shift)
			}
			if v < 0 || p.Role < 0 || p.Role >= len(in.Shifts[s].Roles) {
				return fmt.Errorf("pin %s→%s: no role %d", p.Volunteer, p.Shift, p.Role)
			}
		}
	}
	return nil
}

func validPoint(p Point) bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 && !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon)
}

// DistanceUnits is the great-circle distance between two points in whole
// 100 m units, rounded to nearest: the unit the objective counts.
func DistanceUnits(a, b Point) int64 {
	return int64(math.Round(DistanceKm(a, b) * 10))
}

// DistanceKm is the haversine distance on a sphere of radius 6371 km.
func DistanceKm(a, b Point) float64 {
	const r = 6371.0
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dla := la2 - la1
	dlo := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Minutes is a shift's length in whole minutes, the unit of hour limits.
func (s *Shift) Minutes() int64 { return int64(s.End.Sub(s.Start) / time.Minute) }

// MaxMinutes is a volunteer's hour limit in whole minutes.
func (v *Volunteer) MaxMinutes() int64 { return int64(math.Round(v.MaxHours * 60)) }

// Slots counts the slots of all shifts.
func (in *Instance) Slots() int {
	n := 0
	for _, s := range in.Shifts {
		for _, r := range s.Roles {
			n += r.Slots
		}
	}
	return n
}
