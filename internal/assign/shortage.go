package assign

import (
	"cmp"
	"slices"
)

// Shortage is a role left with empty slots, and whom it lacks.
type Shortage struct {
	Shift  string     `json:"shift"`
	Role   int        `json:"role"`
	Skill  string     `json:"skill,omitempty"`
	Gender GenderRule `json:"gender,omitempty"` // the shift's rule; GenderAny when it has none
	Empty  int        `json:"empty"`
	// Eligible counts the volunteers who meet the role's conditions, those
	// placed in it included.
	Eligible int `json:"eligible"`
	// Busy counts the eligible volunteers not in the role who could not be
	// added: on an overlapping shift (or another role of this one) or at
	// their limit of shifts or hours.
	Busy int `json:"busy"`
	// Needed is how many more volunteers with the skill and gender, living
	// within reach and free then, the role needs: Empty, less any eligible
	// volunteer who is free but was not placed (an optimal distribution
	// leaves none, since an empty slot costs more than any placement).
	Needed int `json:"needed"`
}

// MessageID is the catalogue message for the shortage line, plural on
// Empty (Count) with Skill when the role needs one.
func (s Shortage) MessageID() string { return "assign.shortage." + whom(s.Skill, s.Gender) }

// ShortageEligibleID is the catalogue message that follows a shortage line,
// plural on Eligible (Count) with Busy.
const ShortageEligibleID = "assign.shortage.eligible"

// whom names the skill-and-gender variant of a message.
func whom(skill string, g GenderRule) string {
	w := "any"
	switch g {
	case WomenOnly:
		w = "women"
	case MenOnly:
		w = "men"
	}
	if skill != "" {
		return "skill_" + w
	}
	return w
}

// Shortages lists the roles left with empty slots in instance order, with
// the counts a coordinator needs to decide whom to recruit.
func Shortages(in *Instance, as []Assignment) []Shortage {
	p := newPlacement(in, as)
	var short []roleKey
	for s := range in.Shifts {
		for r, role := range in.Shifts[s].Roles {
			if len(p.roles[roleKey{s, r}]) < role.Slots {
				short = append(short, roleKey{s, r})
			}
		}
	}
	p.byTime(short)
	out := make([]Shortage, len(short))
	for i, k := range short {
		out[i] = p.shortage(as, k.s, k.r, in.Shifts[k.s].Roles[k.r].Slots-len(p.roles[k]))
	}
	slices.SortFunc(out, func(a, b Shortage) int {
		return cmp.Or(cmp.Compare(p.shift[a.Shift], p.shift[b.Shift]), cmp.Compare(a.Role, b.Role))
	})
	return out
}

// shortage counts the eligible, busy and free volunteers of one role.
func (p *placement) shortage(as []Assignment, s, r, empty int) Shortage {
	in := p.in
	sh := &in.Shifts[s]
	role := sh.Roles[r]
	gender := sh.Gender
	if gender == "" {
		gender = GenderAny
	}
	out := Shortage{Shift: sh.ID, Role: r, Skill: role.Skill, Gender: gender, Empty: empty}
	p.stamp++
	for _, a := range p.roles[roleKey{s, r}] {
		v := p.vol[as[a].Volunteer]
		p.mark[v] = p.stamp
		if Ineligible(&in.Volunteers[v], sh, r) == Eligible {
			out.Eligible++
		}
	}
	free := 0
	p.grid(role.Skill, sh).scan(sh.Place, func(reach float64, _ bool) float64 { return reach }, func(v int32) {
		vol := &in.Volunteers[v]
		if p.mark[v] == p.stamp || !covers(vol.Availability, sh.Start, sh.End) || Ineligible(vol, sh, r) != Eligible {
			return
		}
		out.Eligible++
		if p.busy(int(v), s) != "" {
			out.Busy++
		} else {
			free++
		}
	})
	out.Needed = empty - min(empty, free)
	return out
}

// Need is whom to recruit: volunteers with Skill ("" for none) allowed by
// Gender, for Slots empty slots over Shifts shifts. One recruit may fill
// several slots of shifts that do not overlap.
type Need struct {
	Skill  string     `json:"skill,omitempty"`
	Gender GenderRule `json:"gender"`
	Slots  int        `json:"slots"`
	Shifts int        `json:"shifts"`
}

// MessageID is the catalogue message for the need, plural on Slots (Count)
// with Skill when there is one; NeedShiftsID follows it.
func (n Need) MessageID() string { return "assign.need." + whom(n.Skill, n.Gender) }

// NeedShiftsID is the catalogue message for a need's number of shifts,
// plural on Shifts (Count).
const NeedShiftsID = "assign.need.shifts"

// ShortageSummary adds up the Needed volunteers of the shortages by skill
// and gender rule, most slots first, so the coordinator sees whom to recruit.
// Shortages that need nobody are left out.
func ShortageSummary(sh []Shortage) []Need {
	type key struct {
		skill  string
		gender GenderRule
	}
	idx := make(map[key]int)
	shifts := make(map[key]map[string]bool)
	var out []Need
	for _, s := range sh {
		if s.Needed <= 0 {
			continue
		}
		g := s.Gender
		if g == "" {
			g = GenderAny
		}
		k := key{s.Skill, g}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			shifts[k] = make(map[string]bool)
			out = append(out, Need{Skill: s.Skill, Gender: g})
		}
		out[i].Slots += s.Needed
		if !shifts[k][s.Shift] {
			shifts[k][s.Shift] = true
			out[i].Shifts++
		}
	}
	slices.SortFunc(out, func(a, b Need) int {
		return cmp.Or(cmp.Compare(b.Slots, a.Slots), cmp.Compare(b.Shifts, a.Shifts),
			cmp.Compare(a.Skill, b.Skill), cmp.Compare(a.Gender, b.Gender))
	})
	return out
}
