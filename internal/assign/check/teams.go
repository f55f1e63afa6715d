package check

import (
	"fmt"
	"slices"
)

// teams checks the team rules of every shift whose people carry team
// numbers: no team above team_size, and one leader with the leader skill in
// each team when the shift asks for leaders.
func (c *checker) teams(ps []placed) []string {
	type key struct{ s, team int }
	members := make(map[key][]placed)
	var order []key
	for _, p := range ps {
		if p.a.Team <= 0 {
			continue
		}
		k := key{p.s, p.a.Team}
		if _, seen := members[k]; !seen {
			order = append(order, k)
		}
		members[k] = append(members[k], p)
	}
	var out []string
	for _, k := range order {
		sh, team := &c.in.Shifts[k.s], members[k]
		if sh.TeamSize > 0 && len(team) > sh.TeamSize {
			out = append(out, fmt.Sprintf("team: %s team %d has %d members, team size %d", sh.ID, k.team, len(team), sh.TeamSize))
		}
		if !sh.TeamLeader {
			continue
		}
		leaders := 0
		for _, p := range team {
			if !p.a.Leader {
				continue
			}
			leaders++
			vol := &c.in.Volunteers[p.v]
			if !slices.Contains(vol.Skills, "leader") {
				out = append(out, fmt.Sprintf("team: %s team %d is led by %s, who lacks the leader skill", sh.ID, k.team, vol.ID))
			}
		}
		if leaders != 1 {
			out = append(out, fmt.Sprintf("team: %s team %d has %d leaders, want 1", sh.ID, k.team, leaders))
		}
	}
	return out
}
