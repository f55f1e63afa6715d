package volunteer

// The preview a run stores: per shift who goes where and why, who was left
// out and why, what is short and whom to recruit, and the engine's figures
// beside the first-come baseline's. The types are the product's own, not the
// engine's, so a stored preview and the API keep their shape when the engine
// changes; reason codes and their data are the engine's (assign.Reason).

import (
	"cmp"
	"slices"
	"time"

	"sharaka/internal/assign"
)

// MaxLeftOutPerShift is how many left-out volunteers a shift's preview keeps.
const MaxLeftOutPerShift = 20

// maxSkippedNames is how many names of volunteers set aside the preview keeps per reason.
const maxSkippedNames = 20

// DistReasonRemoved is the reason of a volunteer the coordinator removed
// from a shift; the engine's own reasons are assign.Reason codes.
const DistReasonRemoved = "removed"

// DistributionResult is a run's preview.
type DistributionResult struct {
	Shifts []DistributionShift `json:"shifts"`
	// Shortages lists the roles left with empty places; Needs adds them up
	// by skill and gender: whom to recruit.
	Shortages []DistributionShortage `json:"shortages"`
	Needs     []DistributionNeed     `json:"needs"`
	// Engine and Baseline are the figures of this distribution and of
	// first-come self sign-up over the same volunteers and shifts.
	Engine   DistributionFigures `json:"engine"`
	Baseline DistributionFigures `json:"baseline"`
	// Optimal says the engine proved no better distribution exists.
	Optimal bool `json:"optimal"`
	// Pool counts the organisation's volunteers; Considered those given to
	// the engine; Skipped says why the others were not.
	Pool       int                   `json:"pool"`
	Considered int                   `json:"considered"`
	Skipped    []DistributionSkipped `json:"skipped"`
	// DroppedPins are pins that could not be kept (the role filled up, the
	// volunteer signed up elsewhere meanwhile…).
	DroppedPins []DistributionPin `json:"dropped_pins"`
	// Names are the display names of the volunteers the preview mentions
	// outside the shifts (dropped pins).
	Names map[string]string `json:"names"`
	// Applied is what applying the run did, once it is applied.
	Applied *DistributionApplyReport `json:"applied,omitempty"`
}

// DistributionShift is one shift of the preview.
type DistributionShift struct {
	ID       string             `json:"id"`
	StartsAt time.Time          `json:"starts_at"`
	EndsAt   time.Time          `json:"ends_at"`
	Priority int                `json:"priority"`
	TeamSize int                `json:"team_size"`
	Roles    []DistributionRole `json:"roles"`
	// Assignments are the placements, by team then name.
	Assignments []DistributionAssignment `json:"assignments"`
	// LeftOut lists volunteers who could (or nearly could) take the shift
	// and are not on it, most useful first, at most MaxLeftOutPerShift;
	// LeftOutTotal counts them all.
	LeftOut      []DistributionLeftOut `json:"left_out"`
	LeftOutTotal int                   `json:"left_out_total"`
	// Removed are the volunteers the coordinator removed from this shift.
	Removed []DistributionLeftOut `json:"removed"`
}

// DistributionRole is a role of a shift with its places open when the run began.
type DistributionRole struct {
	ID      string `json:"id"`
	NameAr  string `json:"name_ar"`
	NameEn  string `json:"name_en"`
	SkillID string `json:"skill_id,omitempty"`
	Slots   int    `json:"slots"`
}

// DistributionAssignment places one volunteer in one role of a shift.
type DistributionAssignment struct {
	Volunteer  string             `json:"volunteer"`
	Name       string             `json:"name"`
	Role       string             `json:"role"`
	RoleNameAr string             `json:"role_name_ar"`
	RoleNameEn string             `json:"role_name_en"`
	Team       int                `json:"team"` // 0 when the shift has no teams
	Leader     bool               `json:"leader"`
	Pinned     bool               `json:"pinned"`
	Reason     DistributionReason `json:"reason"`
}

// DistributionLeftOut is a volunteer not on a shift and why.
type DistributionLeftOut struct {
	Volunteer string             `json:"volunteer"`
	Name      string             `json:"name"`
	Role      string             `json:"role,omitempty"`
	Reason    DistributionReason `json:"reason"`
}

// DistributionReason is an engine reason (assign.Reason) or DistReasonRemoved,
// with what its message needs.
type DistributionReason struct {
	Code  string  `json:"code"`
	Km    float64 `json:"km,omitempty"`
	Skill string  `json:"skill,omitempty"`
	Shift string  `json:"shift,omitempty"`
	Limit int     `json:"limit,omitempty"`
}

// MessageID is the catalogue message that words the reason.
func (r DistributionReason) MessageID() string {
	if r.Code == DistReasonRemoved {
		return "volunteer.distribute.reason.removed"
	}
	return assign.Reason{Code: r.Code}.MessageID()
}

// DistributionShortage is a role left with empty places.
type DistributionShortage struct {
	Shift    string `json:"shift"`
	Role     string `json:"role"`
	Skill    string `json:"skill,omitempty"`
	Gender   string `json:"gender"`
	Empty    int    `json:"empty"`
	Eligible int    `json:"eligible"`
	Busy     int    `json:"busy"`
	Needed   int    `json:"needed"`
}

// MessageID is the catalogue message of the shortage line (plural on Empty).
func (s DistributionShortage) MessageID() string {
	return assign.Shortage{Skill: s.Skill, Gender: assign.GenderRule(s.Gender)}.MessageID()
}

// DistributionNeed is whom to recruit: Slots empty places over Shifts shifts
// for volunteers with Skill ("" for none) allowed by Gender.
type DistributionNeed struct {
	Skill  string `json:"skill,omitempty"`
	Gender string `json:"gender"`
	Slots  int    `json:"slots"`
	Shifts int    `json:"shifts"`
}

// MessageID is the catalogue message of the need (plural on Slots).
func (n DistributionNeed) MessageID() string {
	return assign.Need{Skill: n.Skill, Gender: assign.GenderRule(n.Gender)}.MessageID()
}

// DistributionFigures are what a coordinator compares two distributions by
// (assign.Metrics).
type DistributionFigures struct {
	Slots      int     `json:"slots"`
	Filled     int     `json:"filled"`
	TotalKm    float64 `json:"total_km"`
	LoadMax    int     `json:"load_max"`
	LoadP90    float64 `json:"load_p90"`
	LoadGini   float64 `json:"load_gini"`
	Volunteers int     `json:"volunteers"`
}

func distFigures(m assign.Metrics) DistributionFigures {
	return DistributionFigures{Slots: m.Slots, Filled: m.Filled, TotalKm: m.TotalKm, LoadMax: m.LoadMax, LoadP90: m.LoadP90,
		LoadGini: m.LoadGini, Volunteers: m.Volunteers}
}

// DistributionSkipped counts the volunteers set aside for one reason
// (DistSkip*), with the first names.
type DistributionSkipped struct {
	Reason string   `json:"reason"`
	Count  int      `json:"count"`
	Names  []string `json:"names"`
}

func distReason(r assign.Reason) DistributionReason {
	return DistributionReason{Code: r.Code, Km: r.Km, Skill: r.Skill, Shift: r.Shift, Limit: r.Limit}
}

// distLeftOutRank orders left-out reasons by what a coordinator can act on:
// someone who could fill an empty place first, the out-of-reach last.
var distLeftOutRank = map[string]int{assign.ReasonCouldFill: 0, assign.ReasonFull: 1, assign.ReasonOverlap: 2,
	assign.ReasonLimitShifts: 3, assign.ReasonLimitHours: 3, assign.ReasonOutsideRadius: 4, assign.ReasonNotAvailable: 5}

// result turns the engine's answer into the preview.
func (b *distBuild) result(res *assign.Result, baseline []assign.Assignment, pool int) *DistributionResult {
	in := b.in
	out := &DistributionResult{Shifts: []DistributionShift{}, Shortages: []DistributionShortage{}, Needs: []DistributionNeed{},
		Skipped: []DistributionSkipped{}, DroppedPins: distPinsOrEmpty(b.dropped), Names: map[string]string{},
		Pool: pool, Considered: len(in.Volunteers)}
	pinned := map[[2]string]bool{}
	for _, p := range in.Pinned {
		pinned[[2]string{p.Volunteer, p.Shift}] = true
	}
	byShift := map[string][]assign.Assignment{}
	if res != nil {
		out.Optimal = res.Optimal
		out.Engine = distFigures(assign.Measure(in, res.Assignments))
		for _, a := range res.Assignments {
			byShift[a.Shift] = append(byShift[a.Shift], a)
		}
		for _, s := range res.Shortages {
			out.Shortages = append(out.Shortages, DistributionShortage{Shift: s.Shift, Role: b.roleID(s.Shift, s.Role), Skill: s.Skill,
				Gender: string(s.Gender), Empty: s.Empty, Eligible: s.Eligible, Busy: s.Busy, Needed: s.Needed})
		}
		for _, n := range assign.ShortageSummary(res.Shortages) {
			out.Needs = append(out.Needs, DistributionNeed{Skill: n.Skill, Gender: string(n.Gender), Slots: n.Slots, Shifts: n.Shifts})
		}
	} else {
		out.Engine = distFigures(assign.Measure(in, nil))
	}
	out.Baseline = distFigures(assign.Measure(in, baseline))
	for i, info := range b.shifts {
		sh := &in.Shifts[i]
		ds := DistributionShift{ID: sh.ID, StartsAt: sh.Start, EndsAt: sh.End, Priority: sh.Priority, TeamSize: sh.TeamSize,
			Roles: distRolesOrEmpty(info.roles), Assignments: []DistributionAssignment{}, LeftOut: []DistributionLeftOut{},
			Removed: []DistributionLeftOut{}}
		teams := sh.TeamSize > 0 || sh.TeamLeader
		for _, a := range byShift[sh.ID] {
			role := info.roles[a.Role]
			da := DistributionAssignment{Volunteer: a.Volunteer, Name: b.names[a.Volunteer], Role: role.ID, RoleNameAr: role.NameAr,
				RoleNameEn: role.NameEn, Pinned: pinned[[2]string{a.Volunteer, sh.ID}], Reason: distReason(a.Reason)}
			if teams {
				da.Team, da.Leader = a.Team, a.Leader
			}
			ds.Assignments = append(ds.Assignments, da)
		}
		slices.SortFunc(ds.Assignments, func(x, y DistributionAssignment) int {
			return cmp.Or(cmp.Compare(x.Team, y.Team), distBoolFirst(x.Leader, y.Leader), cmp.Compare(x.Name, y.Name))
		})
		var left []DistributionLeftOut
		if res != nil {
			for _, e := range assign.LeftOut(in, res.Assignments, sh.ID) {
				key := [2]string{e.Volunteer, sh.ID}
				if b.live[key] || b.removed[key] {
					continue
				}
				left = append(left, DistributionLeftOut{Volunteer: e.Volunteer, Name: b.names[e.Volunteer], Role: b.roleID(sh.ID, e.Role),
					Reason: distReason(e.Reason)})
			}
		}
		slices.SortStableFunc(left, func(x, y DistributionLeftOut) int {
			return cmp.Or(cmp.Compare(distLeftOutRank[x.Reason.Code], distLeftOutRank[y.Reason.Code]), cmp.Compare(x.Reason.Km, y.Reason.Km))
		})
		ds.LeftOutTotal = len(left)
		ds.LeftOut = append(ds.LeftOut, left[:min(len(left), MaxLeftOutPerShift)]...)
		for _, p := range in.Excluded {
			if p.Shift == sh.ID && b.removed[[2]string{p.Volunteer, sh.ID}] {
				ds.Removed = append(ds.Removed, DistributionLeftOut{Volunteer: p.Volunteer, Name: b.names[p.Volunteer],
					Reason: DistributionReason{Code: DistReasonRemoved}})
			}
		}
		out.Shifts = append(out.Shifts, ds)
	}
	for _, reason := range distSkipOrder {
		ids := b.skipped[reason]
		if len(ids) == 0 {
			continue
		}
		sk := DistributionSkipped{Reason: reason, Count: len(ids), Names: []string{}}
		for _, id := range ids[:min(len(ids), maxSkippedNames)] {
			sk.Names = append(sk.Names, b.names[id])
		}
		out.Skipped = append(out.Skipped, sk)
	}
	for _, p := range b.dropped {
		if n, ok := b.names[p.Volunteer]; ok {
			out.Names[p.Volunteer] = n
		}
	}
	return out
}

// roleID is the id of role index r of a shift, "" when there is none.
func (b *distBuild) roleID(shiftID string, r int) string {
	for _, info := range b.shifts {
		if info.shift.ID == shiftID && r >= 0 && r < len(info.roles) {
			return info.roles[r].ID
		}
	}
	return ""
}

func distRolesOrEmpty(rs []DistributionRole) []DistributionRole {
	if rs == nil {
		return []DistributionRole{}
	}
	return rs
}

// distBoolFirst orders true before false.
func distBoolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// Placed counts the assignments of the preview.
func (r *DistributionResult) Placed() int {
	n := 0
	for _, s := range r.Shifts {
		n += len(s.Assignments)
	}
	return n
}

// Shift is the preview's shift with that id, nil when there is none.
func (r *DistributionResult) Shift(id string) *DistributionShift {
	for i := range r.Shifts {
		if r.Shifts[i].ID == id {
			return &r.Shifts[i]
		}
	}
	return nil
}
