package check

import "time"

// The instance and output formats of docs/assign.md, decoded here with the
// checker's own types so a change in the engine cannot hide an error in it.

type point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

type window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

type volunteer struct {
	ID           string   `json:"id"`
	Home         point    `json:"home"`
	Skills       []string `json:"skills"`
	Gender       string   `json:"gender"`
	Age          int      `json:"age"`
	Languages    []string `json:"languages"`
	Availability []window `json:"availability"`
	RadiusKm     float64  `json:"radius_km"`
	MaxShifts    int      `json:"max_shifts"`
	MaxHours     float64  `json:"max_hours"`
	Prefers      []string `json:"prefers"`
}

type role struct {
	Skill string `json:"skill"`
	Slots int    `json:"slots"`
}

type shift struct {
	ID          string    `json:"id"`
	Opportunity string    `json:"opportunity"`
	Place       point     `json:"place"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Roles       []role    `json:"roles"`
	Gender      string    `json:"gender"`
	MinAge      int       `json:"min_age"`
	Priority    int       `json:"priority"`
	TeamSize    int       `json:"team_size"`
	TeamLeader  bool      `json:"team_leader"`
	Languages   []string  `json:"languages"`
}

type weights struct {
	Unfilled   int64 `json:"unfilled"`
	Distance   int64 `json:"distance"`
	Preference int64 `json:"preference"`
	Load       int64 `json:"load"`
}

type instance struct {
	Volunteers []volunteer `json:"volunteers"`
	Shifts     []shift     `json:"shifts"`
	Weights    weights     `json:"weights"`
	Pinned     []pin       `json:"pinned"`
	Excluded   []pin       `json:"excluded"`
}

// pin is a coordinator's decision: a placement to keep, or (role ignored)
// a volunteer never to place on a shift.
type pin struct {
	Volunteer string `json:"volunteer"`
	Shift     string `json:"shift"`
	Role      int    `json:"role"`
}

type assignment struct {
	Volunteer string `json:"volunteer"`
	Shift     string `json:"shift"`
	Role      int    `json:"role"`
	Team      int    `json:"team"`
	Leader    bool   `json:"leader"`
}

type output struct {
	Assignments []assignment `json:"assignments"`
}
