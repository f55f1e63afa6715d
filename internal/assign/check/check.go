// Package check verifies a distribution independently of the engine that
// made it: it reads the instance and output JSON of docs/assign.md with its
// own types, checks every hard constraint with its own code and recomputes
// the objective. It must not import the engine, so one mistake cannot be
// shared by both.
package check

import (
	"encoding/json"
	"fmt"
	"os"
)

// Report is what the checker found.
type Report struct {
	// Violations lists every broken hard constraint; empty means valid.
	// Each line starts with its class: unknown, eligibility, twice, overlap,
	// max_shifts, max_hours or slots.
	Violations []string `json:"violations"`
	// Warnings lists team rules the output does not meet (class "team"):
	// a shift may have no volunteer able to lead, so they are not hard.
	Warnings []string `json:"warnings"`
	// Objective is recomputed from the instance; assignments naming an
	// unknown volunteer, shift or role are left out of it.
	Objective int64 `json:"objective"`
	// Filled counts occupied slots (a role over its slots counts its slots).
	Filled int `json:"filled"`
	Slots  int `json:"slots"`
}

// CheckFiles reads an instance and an output file and checks them.
func CheckFiles(instancePath, outPath string) (Report, error) {
	in, err := os.ReadFile(instancePath)
	if err != nil {
		return Report{}, fmt.Errorf("check: read instance: %w", err)
	}
	out, err := os.ReadFile(outPath)
	if err != nil {
		return Report{}, fmt.Errorf("check: read output: %w", err)
	}
	return Check(in, out)
}

// Check verifies the output against the instance. An error means one of
// them could not be read or the instance is ambiguous (a repeated id).
func Check(instanceJSON, outputJSON []byte) (Report, error) {
	var in instance
	if err := json.Unmarshal(instanceJSON, &in); err != nil {
		return Report{}, fmt.Errorf("check: decode instance: %w", err)
	}
	var out output
	if err := json.Unmarshal(outputJSON, &out); err != nil {
		return Report{}, fmt.Errorf("check: decode output: %w", err)
	}
	c, err := newChecker(&in)
	if err != nil {
		return Report{}, err
	}
	return c.run(out.Assignments), nil
}

// checker holds an instance with its ids resolved.
type checker struct {
	in     *instance
	vols   map[string]int
	shifts map[string]int
}

func newChecker(in *instance) (*checker, error) {
	c := &checker{in: in, vols: make(map[string]int), shifts: make(map[string]int)}
	for i, v := range in.Volunteers {
		if _, dup := c.vols[v.ID]; dup {
			return nil, fmt.Errorf("check: volunteer id %q appears twice", v.ID)
		}
		c.vols[v.ID] = i
	}
	for i, s := range in.Shifts {
		if _, dup := c.shifts[s.ID]; dup {
			return nil, fmt.Errorf("check: shift id %q appears twice", s.ID)
		}
		switch s.Gender {
		case "", "any", "women", "men":
		default:
			return nil, fmt.Errorf("check: shift %s: unknown gender rule %q", s.ID, s.Gender)
		}
		c.shifts[s.ID] = i
	}
	return c, nil
}

// placed is an assignment with its ids resolved.
type placed struct {
	a    assignment
	v, s int
}

func (c *checker) run(as []assignment) Report {
	var rep Report
	var ok []placed
	for _, a := range as {
		v, okv := c.vols[a.Volunteer]
		s, oks := c.shifts[a.Shift]
		if !okv || !oks || a.Role < 0 || a.Role >= len(c.in.Shifts[s].Roles) {
			rep.Violations = append(rep.Violations, fmt.Sprintf("unknown: %s→%s role %d names no volunteer, shift or role of the instance", a.Volunteer, a.Shift, a.Role))
			continue
		}
		ok = append(ok, placed{a: a, v: v, s: s})
	}
	for _, p := range ok {
		vol, sh := &c.in.Volunteers[p.v], &c.in.Shifts[p.s]
		for _, why := range ineligible(vol, sh, p.a.Role) {
			rep.Violations = append(rep.Violations, fmt.Sprintf("eligibility: %s→%s role %d: %s", vol.ID, sh.ID, p.a.Role, why))
		}
	}
	rep.Violations = append(rep.Violations, c.volunteerLimits(ok)...)
	rep.Violations = append(rep.Violations, c.roleSlots(ok, &rep)...)
	rep.Violations = append(rep.Violations, c.pins(ok)...)
	rep.Warnings = c.teams(ok)
	rep.Objective = c.objective(ok)
	return rep
}

// pins reports a pinned placement missing or an excluded pair present.
func (c *checker) pins(ok []placed) []string {
	var out []string
	for _, p := range c.in.Pinned {
		found := false
		for _, q := range ok {
			if q.a.Volunteer == p.Volunteer && q.a.Shift == p.Shift && q.a.Role == p.Role {
				found = true
				break
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("pinned: %s→%s role %d is missing", p.Volunteer, p.Shift, p.Role))
		}
	}
	for _, p := range c.in.Excluded {
		for _, q := range ok {
			if q.a.Volunteer == p.Volunteer && q.a.Shift == p.Shift {
				out = append(out, fmt.Sprintf("excluded: %s→%s was removed but is placed", p.Volunteer, p.Shift))
			}
		}
	}
	return out
}
