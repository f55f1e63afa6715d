package assign

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// teamShift is one shift with teams of size, with everyone in ids placed on it.
func teamShift(size int, leaders bool, vs []Volunteer) (*Instance, []Assignment) {
	s := exShift("s", 0, Role{Slots: len(vs)})
	s.TeamSize, s.TeamLeader = size, leaders
	var as []Assignment
	for _, v := range vs {
		as = append(as, exPlace(v.ID, "s", 0))
	}
	return exInstance(vs, s), as
}

func numbered(n int, skills ...string) []Volunteer {
	var vs []Volunteer
	for i := range n {
		vs = append(vs, exVol("v"+strconv.Itoa(10+i), 1, skills...))
	}
	return vs
}

// teamsOf maps team number to the volunteers in it.
func teamsOf(as []Assignment) map[int][]string {
	out := map[int][]string{}
	for _, a := range as {
		out[a.Team] = append(out[a.Team], a.Volunteer)
	}
	return out
}

func TestTeamSizesAreBalanced(t *testing.T) {
	for n := 1; n <= 23; n++ {
		for size := 1; size <= 7; size++ {
			in, as := teamShift(size, false, numbered(n))
			teams := teamsOf(FormTeams(in, as))
			if want := (n + size - 1) / size; len(teams) != want {
				t.Fatalf("%d people in teams of %d: %d teams, want %d", n, size, len(teams), want)
			}
			lo, hi := n, 0
			for k, m := range teams {
				if k < 1 || k > len(teams) {
					t.Fatalf("%d people in teams of %d: team number %d", n, size, k)
				}
				lo, hi = min(lo, len(m)), max(hi, len(m))
			}
			if hi-lo > 1 || hi > size {
				t.Fatalf("%d people in teams of %d: sizes from %d to %d", n, size, lo, hi)
			}
		}
	}
}

func TestTeamLeaders(t *testing.T) {
	for _, tc := range []struct {
		name             string
		n, leaders, size int
		wantLed          int
	}{
		{"one leader per team", 10, 3, 4, 3},
		{"spare leaders lead nowhere", 10, 5, 4, 3},
		{"fewer leaders than teams", 10, 1, 4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := numbered(tc.n)
			for i := range tc.leaders {
				// Leaders bunched at the end of the id order, so dealing in
				// id order alone would put them together.
				vs[tc.n-1-i].Skills = []string{LeaderSkill}
			}
			in, as := teamShift(tc.size, true, vs)
			got := FormTeams(in, as)
			led := map[int]int{}
			withSkill := map[int]int{}
			for i, a := range got {
				isLeader := slices.Contains(vs[i].Skills, LeaderSkill)
				if a.Leader {
					led[a.Team]++
					if !isLeader {
						t.Errorf("%s leads without the skill", a.Volunteer)
					}
				}
				if isLeader {
					withSkill[a.Team]++
				}
			}
			if len(led) != tc.wantLed {
				t.Errorf("%d teams led, want %d: %+v", len(led), tc.wantLed, got)
			}
			for team, k := range led {
				if k != 1 {
					t.Errorf("team %d has %d leaders", team, k)
				}
			}
			// Spare leaders are spread too: no team holds two while
			// another has none.
			if tc.leaders >= len(teamsOf(got)) && len(withSkill) != len(teamsOf(got)) {
				t.Errorf("leaders bunched: %v", withSkill)
			}
		})
	}

	t.Run("no leaders asked for", func(t *testing.T) {
		vs := numbered(8)
		vs[0].Skills = []string{LeaderSkill}
		in, as := teamShift(4, false, vs)
		for _, a := range FormTeams(in, as) {
			if a.Leader {
				t.Errorf("%s leads a shift that wants no leaders", a.Volunteer)
			}
		}
	})

	t.Run("a pair of leaders is parted so both teams are led", func(t *testing.T) {
		vs := numbered(8)
		vs[0].Skills, vs[1].Skills = []string{LeaderSkill}, []string{LeaderSkill}
		vs[0].KeepWith = []string{vs[1].ID}
		in, as := teamShift(4, true, vs)
		got := FormTeams(in, as)
		if got[0].Team == got[1].Team || !got[0].Leader || !got[1].Leader {
			t.Errorf("both leaders should lead a team each: %+v %+v", got[0], got[1])
		}
	})
}

func TestTeamsKeepFamiliesTogether(t *testing.T) {
	t.Run("a family of three in teams of four", func(t *testing.T) {
		vs := numbered(12)
		// Linked only through the middle member; ids far apart so they
		// would not meet by chance.
		vs[1].KeepWith = []string{vs[6].ID}
		vs[11].KeepWith = []string{vs[6].ID}
		vs[3].Skills = []string{LeaderSkill}
		vs[7].Skills = []string{LeaderSkill}
		vs[9].Skills = []string{LeaderSkill}
		in, as := teamShift(4, true, vs)
		got := FormTeams(in, as)
		if got[1].Team != got[6].Team || got[6].Team != got[11].Team {
			t.Errorf("family split: teams %d, %d, %d", got[1].Team, got[6].Team, got[11].Team)
		}
		led := 0
		for _, a := range got {
			if a.Leader {
				led++
			}
		}
		if led != 3 {
			t.Errorf("%d of 3 teams led", led)
		}
	})

	t.Run("a family of five in teams of four is split in two", func(t *testing.T) {
		vs := numbered(8)
		for _, i := range []int{0, 2, 4, 5} {
			vs[i].KeepWith = []string{vs[7].ID}
		}
		in, as := teamShift(4, false, vs)
		got := FormTeams(in, as)
		teams := map[int]int{}
		for _, i := range []int{0, 2, 4, 5, 7} {
			teams[got[i].Team]++
		}
		if len(teams) != 2 {
			t.Errorf("family of five spread over %d teams: %v", len(teams), teams)
		}
	})

	t.Run("a link to someone on another shift is ignored", func(t *testing.T) {
		vs := numbered(8)
		vs[0].KeepWith = []string{"elsewhere", vs[1].ID}
		in, as := teamShift(4, false, append(vs, exVol("elsewhere", 1)))
		as = as[:8]
		got := FormTeams(in, as)
		if got[0].Team != got[1].Team {
			t.Errorf("pair split: %d and %d", got[0].Team, got[1].Team)
		}
	})
}

func TestTeamsSpreadSkillsAndGenders(t *testing.T) {
	vs := numbered(8)
	// Both first-aiders and all the women first in id order, so dealing
	// in id order alone would bunch them.
	vs[0].Skills, vs[1].Skills = []string{"first_aid"}, []string{"first_aid"}
	for i := range vs {
		vs[i].Gender = Male
		if i < 4 {
			vs[i].Gender = Female
		}
	}
	in, as := teamShift(4, false, vs)
	got := FormTeams(in, as)
	if got[0].Team == got[1].Team {
		t.Errorf("both first-aiders in team %d", got[0].Team)
	}
	women := map[int]int{}
	for i, a := range got {
		if vs[i].Gender == Female {
			women[a.Team]++
		}
	}
	if women[1] != 2 || women[2] != 2 {
		t.Errorf("women per team: %v, want 2 and 2", women)
	}
}

func TestTeamsBalanceGendersAroundAFamily(t *testing.T) {
	// Two brothers go in first; dealing the rest by size alone would give
	// one team three women and the other one.
	vs := numbered(8)
	for i := range vs {
		vs[i].Gender = Female
		if i < 2 || i >= 6 {
			vs[i].Gender = Male
		}
	}
	vs[0].KeepWith = []string{vs[1].ID}
	in, as := teamShift(4, false, vs)
	got := FormTeams(in, as)
	women := map[int]int{}
	for i, a := range got {
		if vs[i].Gender == Female {
			women[a.Team]++
		}
	}
	if got[0].Team != got[1].Team || women[1] != 2 || women[2] != 2 {
		t.Errorf("brothers in teams %d and %d, women per team %v", got[0].Team, got[1].Team, women)
	}
}

func TestTeamsPerShift(t *testing.T) {
	vs := numbered(6)
	a, b, c := exShift("a", 0, Role{Slots: 3}), exShift("b", 4, Role{Slots: 3}), exShift("c", 8, Role{Slots: 3})
	a.TeamSize, b.TeamSize = 2, 3
	c.TeamLeader = true // no team size: one team, still led
	vs[5].Skills = []string{LeaderSkill}
	in := exInstance(vs, a, b, c)
	as := []Assignment{
		exPlace("v10", "a", 0), exPlace("v11", "a", 0), exPlace("v12", "a", 0),
		exPlace("v13", "b", 0), exPlace("v14", "b", 0), exPlace("v15", "b", 0),
		exPlace("v10", "c", 0), exPlace("v15", "c", 0), exPlace("v11", "nowhere", 0),
	}
	got := FormTeams(in, as)
	if n := len(teamsOf(got[:3])); n != 2 {
		t.Errorf("shift a: %d teams, want 2", n)
	}
	for i := 3; i < len(got); i++ {
		if got[i].Team != 1 {
			t.Errorf("%s on %s: team %d, want 1", got[i].Volunteer, got[i].Shift, got[i].Team)
		}
	}
	if !got[7].Leader || got[6].Leader || got[5].Leader {
		t.Errorf("only v15 on c should lead: %+v", got[5:8])
	}
	if as[0].Team != 0 {
		t.Error("FormTeams changed its input")
	}
}

func TestTeamsAreDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	vs := numbered(37)
	for i := range vs {
		vs[i].Gender = []Gender{Female, Male, ""}[r.IntN(3)]
		for _, sk := range []string{"first_aid", "driving", LeaderSkill} {
			if r.IntN(4) == 0 {
				vs[i].Skills = append(vs[i].Skills, sk)
			}
		}
		if r.IntN(5) == 0 {
			vs[i].KeepWith = []string{vs[r.IntN(len(vs))].ID}
		}
	}
	in, as := teamShift(5, true, vs)
	first := FormTeams(in, as)
	byVol := func(as []Assignment) map[string]Assignment {
		m := map[string]Assignment{}
		for _, a := range as {
			m[a.Volunteer] = a
		}
		return m
	}
	want := byVol(first)
	for range 5 {
		r.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
		got := byVol(FormTeams(in, as))
		for id, a := range want {
			if got[id].Team != a.Team || got[id].Leader != a.Leader {
				t.Fatalf("%s: team %d leader %v, then team %d leader %v after reordering the input",
					id, a.Team, a.Leader, got[id].Team, got[id].Leader)
			}
		}
	}
}
