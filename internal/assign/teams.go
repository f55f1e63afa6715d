package assign

import (
	"cmp"
	"math"
	"slices"
)

// FormTeams returns the assignments, in the same order, with Team (1-based
// within each shift) and Leader set. A shift with a team size is split into
// ceil(n/size) teams whose sizes differ by at most one; where the shift asks
// for leaders, each team gets one volunteer with LeaderSkill as far as there
// are enough; volunteers linked by KeepWith, directly or through others, go
// into one team when they fit in it and are split as little as possible
// when not; skills and genders are dealt evenly. Keeping a leader in every
// team comes before keeping a group of several leaders together. A shift
// without a team size is one team, and so is an assignment to an unknown
// shift. The teams depend on who is placed, not on the order of as.
func FormTeams(in *Instance, as []Assignment) []Assignment {
	out := slices.Clone(as)
	vol, shift := in.index()
	members := make([][]int, len(in.Shifts))
	for i := range out {
		out[i].Team, out[i].Leader = 1, false
		if s, ok := shift[out[i].Shift]; ok {
			members[s] = append(members[s], i)
		}
	}
	for s := range in.Shifts {
		if len(members[s]) > 0 {
			tb := newTeamBuilder(in, vol, &in.Shifts[s], out, members[s])
			tb.build()
		}
	}
	return out
}

// teamMember is one assignment of the shift being split.
type teamMember struct {
	a      int   // index into the assignments
	skills []int // the shift's skills numbered in name order
	gender int   // 0 female, 1 male, -1 unknown
	leader bool  // has LeaderSkill and the shift wants leaders
	keep   []string
}

// teamUnit is a set of members placed together: a KeepWith group.
type teamUnit struct {
	members []int // indices into teamBuilder.members, sorted
	leaders int
	rarity  int // how many members share the unit's rarest skill
	gender  int
}

// teamBuilder splits one shift's members into teams.
type teamBuilder struct {
	sh      *Shift
	out     []Assignment
	members []teamMember
	nSkills int
	// per team
	size      []int
	leader    []int   // member leading the team, -1 for none
	skillIn   [][]int // [team][skill] count
	genderIn  [][2]int
	q, bigMax int // teams hold q or q+1 members, at most bigMax of them q+1
	big       int
}

func newTeamBuilder(in *Instance, vol map[string]int, sh *Shift, out []Assignment, as []int) *teamBuilder {
	as = slices.Clone(as)
	slices.SortFunc(as, func(a, b int) int { return cmp.Or(cmp.Compare(out[a].Volunteer, out[b].Volunteer), cmp.Compare(a, b)) })
	tb := &teamBuilder{sh: sh, out: out, members: make([]teamMember, len(as))}
	skillIdx := make(map[string]int)
	var names []string
	for _, a := range as {
		if v, ok := vol[out[a].Volunteer]; ok {
			for _, sk := range in.Volunteers[v].Skills {
				if _, seen := skillIdx[sk]; !seen {
					skillIdx[sk] = -1
					names = append(names, sk)
				}
			}
		}
	}
	slices.Sort(names)
	for i, sk := range names {
		skillIdx[sk] = i
	}
	tb.nSkills = len(names)
	for i, a := range as {
		m := teamMember{a: a, gender: -1}
		if v, ok := vol[out[a].Volunteer]; ok {
			vo := &in.Volunteers[v]
			for _, sk := range vo.Skills {
				if !slices.Contains(m.skills, skillIdx[sk]) {
					m.skills = append(m.skills, skillIdx[sk])
				}
			}
			switch vo.Gender {
			case Female:
				m.gender = 0
			case Male:
				m.gender = 1
			}
			m.leader = sh.TeamLeader && slices.Contains(vo.Skills, LeaderSkill)
			m.keep = vo.KeepWith
		}
		tb.members[i] = m
	}
	return tb
}

func (tb *teamBuilder) build() {
	n := len(tb.members)
	size := tb.sh.TeamSize
	if size <= 0 {
		size = n
	}
	teams := (n + size - 1) / size
	tb.q, tb.bigMax = n/teams, n%teams
	tb.size = make([]int, teams)
	tb.leader = make([]int, teams)
	for t := range tb.leader {
		tb.leader[t] = -1
	}
	tb.skillIn = make([][]int, teams)
	for t := range tb.skillIn {
		tb.skillIn[t] = make([]int, tb.nSkills)
	}
	tb.genderIn = make([][2]int, teams)

	units := tb.units()
	units = tb.freeLeaders(units, teams)
	var leading, rest []teamUnit
	for _, u := range units {
		if u.leaders > 0 {
			leading = append(leading, u)
		} else {
			rest = append(rest, u)
		}
	}
	// Leaders are dealt first, one to each team, the biggest groups first;
	// the leaders left over join the others.
	bySize := func(a, b teamUnit) int {
		return cmp.Or(cmp.Compare(len(b.members), len(a.members)), cmp.Compare(a.rarity, b.rarity),
			cmp.Compare(a.gender, b.gender), cmp.Compare(a.members[0], b.members[0]))
	}
	slices.SortFunc(leading, bySize)
	if len(leading) > teams {
		rest = append(rest, leading[teams:]...)
		leading = leading[:teams]
	}
	for _, u := range leading {
		tb.place(u, true)
	}
	slices.SortFunc(rest, bySize)
	for _, u := range rest {
		tb.place(u, false)
	}
}

// units groups the members by KeepWith links among them (union–find), a
// group's members in id order.
func (tb *teamBuilder) units() []teamUnit {
	n := len(tb.members)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	pos := make(map[string]int, n)
	for i := n - 1; i >= 0; i-- {
		pos[tb.out[tb.members[i].a].Volunteer] = i
	}
	for i, m := range tb.members {
		for _, id := range m.keep {
			if j, ok := pos[id]; ok {
				if a, b := find(i), find(j); a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
	}
	freq := make([]int, tb.nSkills)
	for _, m := range tb.members {
		for _, k := range m.skills {
			freq[k]++
		}
	}
	unitOf := make([]int, n)
	var units []teamUnit
	for i, m := range tb.members {
		r := find(i)
		if r == i {
			unitOf[i] = len(units)
			units = append(units, teamUnit{rarity: math.MaxInt, gender: m.gender})
		}
		u := &units[unitOf[r]]
		u.members = append(u.members, i)
		if m.leader {
			u.leaders++
		}
		for _, k := range m.skills {
			u.rarity = min(u.rarity, freq[k])
		}
	}
	return units
}

// freeLeaders takes leaders out of groups that hold several, into groups of
// their own, until as many teams as possible can have a leader.
func (tb *teamBuilder) freeLeaders(units []teamUnit, teams int) []teamUnit {
	total, holding := 0, 0
	for _, u := range units {
		total += u.leaders
		if u.leaders > 0 {
			holding++
		}
	}
	for i := 0; i < len(units) && holding < min(total, teams); i++ {
		for units[i].leaders > 1 && holding < min(total, teams) {
			u := &units[i]
			// The group's last leader by id leaves it.
			j := len(u.members) - 1
			for !tb.members[u.members[j]].leader {
				j--
			}
			m := u.members[j]
			u.members = slices.Delete(u.members, j, j+1)
			u.leaders--
			units = append(units, tb.single(m))
			holding++
		}
	}
	return units
}

// single is a group of one member.
func (tb *teamBuilder) single(i int) teamUnit {
	m := tb.members[i]
	u := teamUnit{members: []int{i}, rarity: math.MaxInt, gender: m.gender}
	if m.leader {
		u.leaders = 1
	}
	for _, k := range m.skills {
		u.rarity = min(u.rarity, tb.skillFreq(k))
	}
	return u
}

func (tb *teamBuilder) skillFreq(k int) int {
	n := 0
	for _, m := range tb.members {
		if slices.Contains(m.skills, k) {
			n++
		}
	}
	return n
}

// room is how many more members team t may take while sizes stay within one
// of each other.
func (tb *teamBuilder) room(t int) int {
	if tb.size[t] > tb.q {
		return 0
	}
	r := tb.q - tb.size[t]
	if tb.big < tb.bigMax {
		r++
	}
	return r
}

// alike counts, over the given members, the members of team t who share
// each one's skills or gender: the lower, the more evenly they are spread.
func (tb *teamBuilder) alike(t int, ms []int) int {
	c := 0
	for _, i := range ms {
		m := &tb.members[i]
		for _, k := range m.skills {
			c += tb.skillIn[t][k]
		}
		if m.gender >= 0 {
			c += tb.genderIn[t][m.gender]
		}
	}
	return c
}

// place puts a group into the team that fits it whole and spreads skills
// and genders best, then the smallest, then the first; a group that fits no
// team is split over the teams with most room, so into as few pieces as the
// sizes allow. A leading group goes to a team without a leader while one
// has room, its leaders first.
func (tb *teamBuilder) place(u teamUnit, leading bool) {
	rest := u.members
	if leading {
		rest = slices.Clone(rest)
		slices.SortStableFunc(rest, func(a, b int) int {
			la, lb := tb.members[a].leader, tb.members[b].leader
			switch {
			case la == lb:
				return 0
			case la:
				return -1
			}
			return 1
		})
	}
	for len(rest) > 0 {
		best, bestRoom, bestAlike := -1, 0, 0
		for t := range tb.size {
			room := tb.room(t)
			if room == 0 || (leading && tb.leader[t] >= 0) {
				continue
			}
			alike := tb.alike(t, rest)
			if best < 0 || tb.better(len(rest), room, alike, t, bestRoom, bestAlike, best) {
				best, bestRoom, bestAlike = t, room, alike
			}
		}
		if best < 0 {
			// Every team without a leader is full: lead nowhere. Without
			// that restriction some team always has room, since the rooms
			// add up to at least the members left.
			leading = false
			continue
		}
		take := min(bestRoom, len(rest))
		for _, i := range rest[:take] {
			tb.put(best, i)
		}
		rest = rest[take:]
		leading = false
	}
}

// better reports whether team t (room, alike) is a better home than team b
// for n members: fitting them whole first; among teams that fit, fewer alike
// members, then fewer members; among teams that do not, more room.
func (tb *teamBuilder) better(n, room, alike, t, bRoom, bAlike, b int) bool {
	fits, bFits := room >= n, bRoom >= n
	switch {
	case fits != bFits:
		return fits
	case fits:
		return alike < bAlike || (alike == bAlike && tb.size[t] < tb.size[b])
	}
	return room > bRoom || (room == bRoom && alike < bAlike)
}

// put adds member i to team t.
func (tb *teamBuilder) put(t, i int) {
	m := &tb.members[i]
	a := &tb.out[m.a]
	a.Team = t + 1
	if m.leader && tb.leader[t] < 0 {
		tb.leader[t] = i
		a.Leader = true
	}
	for _, k := range m.skills {
		tb.skillIn[t][k]++
	}
	if m.gender >= 0 {
		tb.genderIn[t][m.gender]++
	}
	tb.size[t]++
	if tb.size[t] == tb.q+1 {
		tb.big++
	}
}
