package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// baseInstance: two volunteers, two shifts that touch at noon. Distances on
// the equator: 0.009° of longitude is 1.0008 km (10 units), 0.018° is
// 2.0015 km (20 units).
const baseInstance = `{
 "weights": {"unfilled": 1000, "distance": 1, "preference": 20, "load": 30},
 "volunteers": [
  {"id": "a", "home": {"lat": 0, "lon": 0}, "skills": ["medic", "leader"], "gender": "female", "age": 30,
   "languages": ["ar", "en"], "availability": [{"start": "2025-01-01T08:00:00Z", "end": "2025-01-01T20:00:00Z"}],
   "radius_km": 5, "max_shifts": 2, "max_hours": 8, "prefers": ["op2", "op1"]},
  {"id": "b", "home": {"lat": 0, "lon": 0.009}, "gender": "male",
   "languages": ["ar"], "availability": [{"start": "2025-01-01T08:00:00Z", "end": "2025-01-01T20:00:00Z"}],
   "radius_km": 5, "max_shifts": 1, "max_hours": 4}
 ],
 "shifts": [
  {"id": "s1", "opportunity": "op1", "place": {"lat": 0, "lon": 0.009},
   "start": "2025-01-01T08:00:00Z", "end": "2025-01-01T12:00:00Z",
   "roles": [{"skill": "medic", "slots": 1}, {"slots": 2}], "priority": 2,
   "team_size": 2, "team_leader": true, "languages": ["ar"]},
  {"id": "s2", "opportunity": "op2", "place": {"lat": 0, "lon": 0.018},
   "start": "2025-01-01T12:00:00Z", "end": "2025-01-01T14:00:00Z",
   "roles": [{"slots": 1}], "priority": 1, "gender": "women", "min_age": 18}
 ]
}`

// baseOutput is valid. Its objective by hand:
// empty slots: s1 role 1 has one of 2 → 1·1000·2 = 2000;
// a→s1: 10 units − 20/2 (op1 is a's 2nd preference) = 0;
// b→s1: 0 units, no preference = 0;
// a→s2: 20 units − 20/1 = 0;
// load: a takes 2 shifts → 30·2·1/2 = 30; b takes 1 → 0.
// Total 2030.
const baseOutput = `{"assignments": [
 {"volunteer": "a", "shift": "s1", "role": 0, "team": 1, "leader": true, "reason": {"code": "x"}},
 {"volunteer": "b", "shift": "s1", "role": 1, "team": 1},
 {"volunteer": "a", "shift": "s2", "role": 0}
], "objective": 1, "optimal": true}`

func TestCheckValidOutput(t *testing.T) {
	rep, err := Check([]byte(baseInstance), []byte(baseOutput))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Violations) > 0 || len(rep.Warnings) > 0 {
		t.Fatalf("valid output reported: %q %q", rep.Violations, rep.Warnings)
	}
	if rep.Objective != 2030 || rep.Filled != 3 || rep.Slots != 4 {
		t.Fatalf("objective %d filled %d/%d, want 2030 filled 3/4", rep.Objective, rep.Filled, rep.Slots)
	}
}

func TestCheckObjectiveOfEmptyOutput(t *testing.T) {
	// Every slot empty: s1 3 slots · 1000 · priority 2 + s2 1 · 1000 · 1.
	rep, err := Check([]byte(baseInstance), []byte(`{"assignments": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Objective != 7000 || rep.Filled != 0 || len(rep.Violations) > 0 {
		t.Fatalf("got %+v, want objective 7000, nothing filled, no violation", rep)
	}
}

func TestCheckViolations(t *testing.T) {
	// Each case changes the base instance (old→new text) or the output and
	// expects exactly the listed violation classes, in any order.
	cases := []struct {
		name     string
		instance [][2]string
		output   string
		want     []string // "class: fragment"
	}{
		{name: "unknown volunteer", output: `{"assignments":[{"volunteer":"zz","shift":"s1","role":1}]}`, want: []string{"unknown: zz"}},
		{name: "unknown shift", output: `{"assignments":[{"volunteer":"a","shift":"s9","role":0}]}`, want: []string{"unknown: a→s9"}},
		{name: "unknown role", output: `{"assignments":[{"volunteer":"a","shift":"s2","role":1}]}`, want: []string{"unknown: a→s2 role 1"}},
		{name: "skill", output: `{"assignments":[{"volunteer":"b","shift":"s1","role":0}]}`, want: []string{"eligibility: b→s1 role 0: lacks skill medic"}},
		{name: "gender", instance: [][2]string{{`"gender": "female"`, `"gender": "male"`}}, want: []string{"eligibility: a→s2 role 0: shift is for women"}},
		{name: "under age", instance: [][2]string{{`"age": 30`, `"age": 17`}}, want: []string{"eligibility: a→s2 role 0: under the minimum age"}},
		{name: "unknown age", instance: [][2]string{{`"age": 30,`, ``}}, want: []string{"eligibility: a→s2 role 0: under the minimum age"}},
		{name: "language", instance: [][2]string{{`["ar", "en"]`, `["fr", "en"]`}}, want: []string{"eligibility: a→s1 role 0: speaks none"}},
		{name: "radius", instance: [][2]string{{`"radius_km": 5, "max_shifts": 2`, `"radius_km": 1.5, "max_shifts": 2`}}, want: []string{"eligibility: a→s2 role 0: outside travel radius"}},
		{
			name: "no single window covers the shift",
			instance: [][2]string{{
				`"availability": [{"start": "2025-01-01T08:00:00Z", "end": "2025-01-01T20:00:00Z"}],
   "radius_km": 5, "max_shifts": 2`,
				`"availability": [{"start": "2025-01-01T08:00:00Z", "end": "2025-01-01T13:00:00Z"}, {"start": "2025-01-01T13:00:00Z", "end": "2025-01-01T20:00:00Z"}],
   "radius_km": 5, "max_shifts": 2`,
			}},
			want: []string{"eligibility: a→s2 role 0: no availability window"},
		},
		{name: "wants no shifts", instance: [][2]string{{`"max_shifts": 1`, `"max_shifts": 0`}}, want: []string{"eligibility: b→s1 role 1: wants no shifts", "max_shifts: b"}},
		// 3.99 h rounds to 239 minutes, one short of s1's 240.
		{name: "shift too long", instance: [][2]string{{`"max_hours": 4`, `"max_hours": 3.99`}}, want: []string{"eligibility: b→s1 role 1: shift longer", "max_hours: b works 240 minutes, limit 239"}},
		{
			name:   "two roles of one shift",
			output: `{"assignments":[{"volunteer":"a","shift":"s1","role":0},{"volunteer":"a","shift":"s1","role":1}]}`,
			want:   []string{"twice: a holds two places on s1"},
		},
		{name: "overlap", instance: [][2]string{{`"start": "2025-01-01T12:00:00Z"`, `"start": "2025-01-01T11:59:00Z"`}}, want: []string{"overlap: a is on s1 and s2"}},
		{name: "shift limit", instance: [][2]string{{`"max_shifts": 2`, `"max_shifts": 1`}}, want: []string{"max_shifts: a has 2 shifts, limit 1"}},
		{name: "hour limit", instance: [][2]string{{`"max_hours": 8`, `"max_hours": 5.99`}}, want: []string{"max_hours: a works 360 minutes, limit 359"}},
		{name: "hour limit rounds to nearest minute", instance: [][2]string{{`"max_hours": 8`, `"max_hours": 5.9999`}}},
		{name: "slots", instance: [][2]string{{`{"slots": 2}`, `{"slots": 0}`}}, want: []string{"slots: s1 role 1 holds 1 people in 0 slots"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inst := baseInstance
			for _, r := range c.instance {
				if !strings.Contains(inst, r[0]) {
					t.Fatalf("case edits %q, which the base instance lacks", r[0])
				}
				inst = strings.Replace(inst, r[0], r[1], 1)
			}
			out := c.output
			if out == "" {
				out = baseOutput
			}
			rep, err := Check([]byte(inst), []byte(out))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Violations) != len(c.want) {
				t.Fatalf("violations %q, want %q", rep.Violations, c.want)
			}
			for _, w := range c.want {
				if !slices.ContainsFunc(rep.Violations, func(v string) bool { return strings.HasPrefix(v, w) }) {
					t.Errorf("violations %q lack %q", rep.Violations, w)
				}
			}
		})
	}
}

func TestCheckViolationKeepsObjective(t *testing.T) {
	// s1 role 1 with no slots: b's place is over capacity, so the only empty
	// slot left is none; the objective is the base's 2030 less the 2000 of
	// the empty slot that no longer exists.
	inst := strings.Replace(baseInstance, `{"slots": 2}`, `{"slots": 0}`, 1)
	rep, err := Check([]byte(inst), []byte(baseOutput))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Objective != 30 || rep.Filled != 2 || rep.Slots != 2 {
		t.Fatalf("objective %d filled %d/%d, want 30 filled 2/2", rep.Objective, rep.Filled, rep.Slots)
	}
}

func TestCheckTeamWarnings(t *testing.T) {
	cases := []struct {
		name     string
		instance [2]string
		output   string
		want     []string
	}{
		{name: "team too big", instance: [2]string{`"team_size": 2`, `"team_size": 1`}, want: []string{"team: s1 team 1 has 2 members, team size 1"}},
		{
			name:   "no leader",
			output: strings.Replace(baseOutput, `"leader": true`, `"leader": false`, 1),
			want:   []string{"team: s1 team 1 has 0 leaders, want 1"},
		},
		{
			name:   "leader without the skill",
			output: strings.Replace(strings.Replace(baseOutput, `"leader": true`, `"leader": false`, 1), `"role": 1, "team": 1`, `"role": 1, "team": 1, "leader": true`, 1),
			want:   []string{"team: s1 team 1 is led by b, who lacks the leader skill"},
		},
		{
			name:   "two leaders",
			output: strings.Replace(baseOutput, `"role": 1, "team": 1`, `"role": 1, "team": 1, "leader": true`, 1),
			want:   []string{"team: s1 team 1 is led by b, who lacks the leader skill", "team: s1 team 1 has 2 leaders, want 1"},
		},
		{
			name:   "two teams, one without leader",
			output: strings.Replace(baseOutput, `"role": 1, "team": 1`, `"role": 1, "team": 2`, 1),
			want:   []string{"team: s1 team 2 has 0 leaders, want 1"},
		},
		{
			name:     "no leader needed",
			instance: [2]string{`"team_leader": true`, `"team_leader": false`},
			output:   strings.Replace(baseOutput, `"leader": true`, `"leader": false`, 1),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inst := baseInstance
			if c.instance[0] != "" {
				inst = strings.Replace(inst, c.instance[0], c.instance[1], 1)
			}
			out := c.output
			if out == "" {
				out = baseOutput
			}
			rep, err := Check([]byte(inst), []byte(out))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Violations) > 0 {
				t.Fatalf("team rules reported as hard violations: %q", rep.Violations)
			}
			if !slices.Equal(rep.Warnings, c.want) {
				t.Fatalf("warnings %q, want %q", rep.Warnings, c.want)
			}
		})
	}
}

func TestCheckRefusesUnreadableInput(t *testing.T) {
	dup := strings.Replace(baseInstance, `"id": "b"`, `"id": "a"`, 1)
	for name, in := range map[string][2]string{
		"bad instance":   {`{"volunteers": 3}`, baseOutput},
		"bad output":     {baseInstance, `[`},
		"repeated id":    {dup, baseOutput},
		"unknown gender": {strings.Replace(baseInstance, `"gender": "women"`, `"gender": "adults"`, 1), baseOutput},
	} {
		if _, err := Check([]byte(in[0]), []byte(in[1])); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	ip, op := filepath.Join(dir, "instance.json"), filepath.Join(dir, "out.json")
	if err := os.WriteFile(ip, []byte(baseInstance), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(op, []byte(baseOutput), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := CheckFiles(ip, op)
	if err != nil || rep.Objective != 2030 {
		t.Fatalf("CheckFiles = %d, %v; want 2030", rep.Objective, err)
	}
	if _, err := CheckFiles(filepath.Join(dir, "missing.json"), op); err == nil {
		t.Fatal("missing instance file gave no error")
	}
}
