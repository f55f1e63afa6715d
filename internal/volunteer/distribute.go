package volunteer

// Distribution: a coordinator asks the engine (internal/assign) to place the
// organisation's volunteers into an opportunity's upcoming shifts. A run is
// written with its settings and a job in one transaction; the job builds the
// engine's instance from the database (distribute_instance.go), solves it and
// stores the preview (distribute_jobs.go, distribute_result.go); the
// coordinator pins or removes people and runs again, then applies the run,
// which makes the sign-ups and tells the volunteers (distribute_apply.go).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/ratelimit"
)

// DistributionStatus is where a run stands.
type DistributionStatus string

// A run is queued with its job, running while the engine works, then done
// (a preview) or failed; a done run is applied once or discarded.
const (
	DistQueued    DistributionStatus = "queued"
	DistRunning   DistributionStatus = "running"
	DistDone      DistributionStatus = "done"
	DistFailed    DistributionStatus = "failed"
	DistApplied   DistributionStatus = "applied"
	DistDiscarded DistributionStatus = "discarded"
)

// Working reports whether the run has no result yet.
func (st DistributionStatus) Working() bool { return st == DistQueued || st == DistRunning }

// MsgID is the catalogue id of the status's name.
func (st DistributionStatus) MsgID() string { return "volunteer.distribute.status." + string(st) }

// Limits of a run.
const (
	// MaxDistributionShifts bounds one run: the form lists at most this many
	// upcoming shifts, and the preview stays readable.
	MaxDistributionShifts = 100
	// MaxDistributionPins bounds the pins and the exclusions a run carries.
	MaxDistributionPins = 2000
	// DefaultUrgency is a shift's priority unless the coordinator says otherwise.
	DefaultUrgency = 3
	// DistributionsPageSize is how many recent runs the form page lists.
	DistributionsPageSize = 10
)

// distLimit keeps one coordinator from flooding the job queue: a run of a
// large organisation costs seconds of a worker, and thirty an hour is far
// more than a person adjusting a preview needs.
var distLimit = ratelimit.Limit{Name: "volunteer.distribute", Max: 30, Window: time.Hour}

// Errors of distribution.
var (
	ErrDistributionApplied   = &httpx.Error{Status: http.StatusConflict, Type: "distribution-applied", MsgID: "volunteer.distribute.error.applied"}
	ErrDistributionDiscarded = &httpx.Error{Status: http.StatusConflict, Type: "distribution-discarded", MsgID: "volunteer.distribute.error.discarded"}
	ErrDistributionNotReady  = &httpx.Error{Status: http.StatusConflict, Type: "distribution-not-ready", MsgID: "volunteer.distribute.error.not_ready"}
	// ErrDistributionNoPlace: the engine measures travel from the opportunity's place.
	ErrDistributionNoPlace = &httpx.Error{Status: http.StatusConflict, Type: "distribution-no-place", MsgID: "volunteer.distribute.error.no_place"}
)

// distFailedMsg is what a run that failed for an unexpected reason says; the
// details go to the log only.
const distFailedMsg = "volunteer.distribute.error.failed"

// DistributionSettings are the coordinator's choices for a run.
type DistributionSettings struct {
	// Shifts are the shift ids to fill, in the order the form listed them.
	Shifts []string `json:"shifts"`
	// Urgency is each shift's priority, 1 (low) to 5 (urgent).
	Urgency map[string]int `json:"urgency"`
	// TeamLeader asks for a volunteer with the skill "leader" in every team.
	TeamLeader bool `json:"team_leader"`
}

// DistributionPin names a volunteer on a shift. As a pin it keeps them in
// the role (its id) whatever the engine would do; as an exclusion the engine
// never places them on that shift, and Role is empty.
type DistributionPin struct {
	Volunteer string `json:"volunteer"`
	Shift     string `json:"shift"`
	Role      string `json:"role,omitempty"`
}

// DistributionRun is one request to the engine and what came of it.
type DistributionRun struct {
	ID            string               `json:"id"`
	OrgID         string               `json:"org_id"`
	OpportunityID string               `json:"opportunity_id"`
	CreatedBy     string               `json:"created_by"`
	CreatedByName string               `json:"created_by_name"`
	Status        DistributionStatus   `json:"status"`
	Progress      float64              `json:"progress"`
	Settings      DistributionSettings `json:"settings"`
	Pins          []DistributionPin    `json:"pins"`
	Exclusions    []DistributionPin    `json:"exclusions"`
	// Result is the preview, once the run is done (and what applying it did).
	Result *DistributionResult `json:"result"`
	// Error is the catalogue id of why a failed run failed.
	Error      string     `json:"error,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	AppliedAt  *time.Time `json:"applied_at"`
	AppliedBy  string     `json:"applied_by,omitempty"`
}

// DistributionInput is what a coordinator submits to start a run.
type DistributionInput struct {
	Shifts     []string          `json:"shifts"`
	Urgency    map[string]int    `json:"urgency"`
	TeamLeader bool              `json:"team_leader"`
	Pins       []DistributionPin `json:"pins"`
	Exclusions []DistributionPin `json:"exclusions"`
}

// validate normalises the input against the shifts that may be chosen (the
// opportunity's upcoming scheduled ones) and returns field → message id.
func (in *DistributionInput) validate(upcoming map[string]bool) map[string]string {
	errs := map[string]string{}
	var shifts []string
	for _, id := range in.Shifts {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(shifts, id) {
			shifts = append(shifts, id)
		}
	}
	in.Shifts = shifts
	switch {
	case len(shifts) == 0:
		errs["shifts"] = "volunteer.distribute.error.no_shift_chosen"
	case len(shifts) > MaxDistributionShifts:
		errs["shifts"] = "volunteer.distribute.error.too_many_shifts"
	}
	for _, id := range shifts {
		if !upcoming[id] {
			errs["shifts"] = "volunteer.distribute.error.shift_unknown"
		}
	}
	urgency := make(map[string]int, len(shifts))
	for _, id := range shifts {
		u, ok := in.Urgency[id]
		switch {
		case !ok || u == 0:
			u = DefaultUrgency
		case u < 1 || u > 5:
			errs["urgency"] = "volunteer.distribute.error.urgency"
		}
		urgency[id] = u
	}
	in.Urgency = urgency
	if len(in.Pins) > MaxDistributionPins || len(in.Exclusions) > MaxDistributionPins {
		errs["pins"] = "volunteer.distribute.error.too_many_pins"
	}
	for _, list := range [][]DistributionPin{in.Pins, in.Exclusions} {
		for _, p := range list {
			if p.Volunteer == "" || !slices.Contains(shifts, p.Shift) {
				errs["pins"] = "volunteer.distribute.error.pin_unknown"
			}
		}
	}
	for i := range in.Exclusions {
		in.Exclusions[i].Role = ""
	}
	return errs
}

// StartDistribution writes a run and queues its job in one transaction, so a
// run never waits for a job that does not exist. Only the organisation's
// coordinators may, a limited number of times an hour; it is audited.
func (s *Service) StartDistribution(ctx context.Context, viewer *httpx.Viewer, oppID string, in DistributionInput) (*DistributionRun, error) {
	opp, err := s.manageOpportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, err
	}
	if opp.Status == OppArchived {
		return nil, ErrOppArchived
	}
	now := s.now()
	shifts, err := distUpcomingShifts(ctx, s.db.R, oppID, now, MaxDistributionShifts)
	if err != nil {
		return nil, err
	}
	upcoming := make(map[string]bool, len(shifts))
	for _, sh := range shifts {
		upcoming[sh.ID] = true
	}
	if errs := in.validate(upcoming); len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	if _, err := s.distPlace(ctx, s.db.R, opp); err != nil {
		return nil, err
	}
	run := &DistributionRun{ID: db.NewID(), OrgID: opp.OrgID, OpportunityID: opp.ID, CreatedBy: viewer.ID, CreatedByName: viewer.Name,
		Status: DistQueued, Settings: DistributionSettings{Shifts: in.Shifts, Urgency: in.Urgency, TeamLeader: in.TeamLeader},
		Pins: distPinsOrEmpty(in.Pins), Exclusions: distPinsOrEmpty(in.Exclusions), CreatedAt: now}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := ratelimit.Allow(ctx, tx, distLimit, viewer.ID, now); err != nil {
			return err
		}
		if err := distInsertRun(ctx, tx, run); err != nil {
			return err
		}
		if err := s.enqueue(ctx, tx, DistributeArgs{RunID: run.ID}, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "distribution.start", TargetType: "distribution", TargetID: run.ID,
			OrgID: opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": opp.ID,
				"shifts": fmt.Sprint(len(in.Shifts)), "pins": fmt.Sprint(len(run.Pins)), "exclusions": fmt.Sprint(len(run.Exclusions))}})
	})
	if err != nil {
		return nil, fmt.Errorf("start distribution for %s: %w", oppID, err)
	}
	return run, nil
}

func distPinsOrEmpty(ps []DistributionPin) []DistributionPin {
	if ps == nil {
		return []DistributionPin{}
	}
	return ps
}

// Distribution reads a run and its opportunity for the organisation's
// coordinators; to anyone else it is forbidden or does not exist.
func (s *Service) Distribution(ctx context.Context, viewer *httpx.Viewer, runID string) (*DistributionRun, *Opportunity, error) {
	run, err := distLoadRun(ctx, s.db.R, runID)
	if err != nil {
		return nil, nil, fmt.Errorf("distribution %s: %w", runID, err)
	}
	opp, err := s.manageOpportunity(ctx, viewer, run.OpportunityID)
	if err != nil {
		return nil, nil, err
	}
	return run, opp, nil
}

// Adjustments are what a coordinator ticks on a preview before running it
// again: placements to keep, placements to remove, and earlier removals to
// take back.
type Adjustments struct {
	Pin, Remove, Restore []DistributionPin
}

// merge returns the pins and exclusions of the next run: the previous ones,
// less what is taken back, plus what was ticked. A removal undoes a pin of
// the same volunteer on the same shift, and a pin undoes a removal.
func (a Adjustments) merge(pins, excl []DistributionPin) (outPins, outExcl []DistributionPin) {
	same := func(p DistributionPin) func(DistributionPin) bool {
		return func(q DistributionPin) bool { return q.Volunteer == p.Volunteer && q.Shift == p.Shift }
	}
	outPins, outExcl = []DistributionPin{}, []DistributionPin{}
	for _, p := range pins {
		if !slices.ContainsFunc(a.Remove, same(p)) && !slices.ContainsFunc(a.Pin, same(p)) {
			outPins = append(outPins, p)
		}
	}
	for _, p := range a.Pin {
		if !slices.ContainsFunc(a.Remove, same(p)) && !slices.ContainsFunc(outPins, same(p)) {
			outPins = append(outPins, p)
		}
	}
	for _, p := range excl {
		if !slices.ContainsFunc(a.Restore, same(p)) && !slices.ContainsFunc(a.Pin, same(p)) && !slices.ContainsFunc(outExcl, same(p)) {
			outExcl = append(outExcl, DistributionPin{Volunteer: p.Volunteer, Shift: p.Shift})
		}
	}
	for _, p := range a.Remove {
		if !slices.ContainsFunc(outExcl, same(p)) {
			outExcl = append(outExcl, DistributionPin{Volunteer: p.Volunteer, Shift: p.Shift})
		}
	}
	return outPins, outExcl
}

// RerunDistribution starts a new run with the settings of an earlier one and
// its pins and exclusions adjusted. Only pairs of the earlier run's shifts
// are taken; the new run's job checks the rest.
func (s *Service) RerunDistribution(ctx context.Context, viewer *httpx.Viewer, runID string, adj Adjustments) (*DistributionRun, error) {
	run, _, err := s.Distribution(ctx, viewer, runID)
	if err != nil {
		return nil, err
	}
	keep := func(ps []DistributionPin) []DistributionPin {
		var out []DistributionPin
		for _, p := range ps {
			if p.Volunteer != "" && slices.Contains(run.Settings.Shifts, p.Shift) {
				out = append(out, p)
			}
		}
		return out
	}
	adj = Adjustments{Pin: keep(adj.Pin), Remove: keep(adj.Remove), Restore: keep(adj.Restore)}
	pins, excl := adj.merge(run.Pins, run.Exclusions)
	// Shifts that have begun since drop out rather than fail the new run.
	now := s.now()
	shifts, err := distUpcomingShifts(ctx, s.db.R, run.OpportunityID, now, MaxDistributionShifts)
	if err != nil {
		return nil, err
	}
	var chosen []string
	for _, id := range run.Settings.Shifts {
		if slices.ContainsFunc(shifts, func(sh *Shift) bool { return sh.ID == id }) {
			chosen = append(chosen, id)
		}
	}
	in := DistributionInput{Shifts: chosen, Urgency: run.Settings.Urgency, TeamLeader: run.Settings.TeamLeader}
	for _, list := range []struct {
		from []DistributionPin
		to   *[]DistributionPin
	}{{pins, &in.Pins}, {excl, &in.Exclusions}} {
		for _, p := range list.from {
			if slices.Contains(chosen, p.Shift) {
				*list.to = append(*list.to, p)
			}
		}
	}
	return s.StartDistribution(ctx, viewer, run.OpportunityID, in)
}

// DiscardDistribution sets a run aside: it can no longer be applied. A run
// still working is discarded too, and its result is then not kept.
func (s *Service) DiscardDistribution(ctx context.Context, viewer *httpx.Viewer, runID string) error {
	run, _, err := s.Distribution(ctx, viewer, runID)
	if err != nil {
		return err
	}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE distribution_runs SET status = 'discarded', finished_at = COALESCE(finished_at, $2)
			WHERE id = $1 AND status IN ('queued', 'running', 'done', 'failed')`, runID, s.now())
		if err != nil {
			return fmt.Errorf("discard: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			cur, err := distLoadRun(ctx, tx, runID)
			if err != nil {
				return err
			}
			if cur.Status == DistApplied {
				return ErrDistributionApplied
			}
			return ErrDistributionDiscarded
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "distribution.discard", TargetType: "distribution", TargetID: runID,
			OrgID: run.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": run.OpportunityID}})
	})
	if err != nil {
		return fmt.Errorf("discard distribution %s: %w", runID, err)
	}
	return nil
}

// DistributionForm is what the form page needs: the opportunity, its
// upcoming shifts that can be filled, and how many volunteers the
// organisation has to distribute.
type DistributionForm struct {
	Opportunity *Opportunity
	Shifts      []*Shift
	Pool        int
	HasPlace    bool
}

// DistributionFormData reads the form's data for a coordinator.
func (s *Service) DistributionFormData(ctx context.Context, viewer *httpx.Viewer, oppID string) (*DistributionForm, error) {
	opp, err := s.manageOpportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, err
	}
	f := &DistributionForm{Opportunity: opp}
	if f.Shifts, err = distUpcomingShifts(ctx, s.db.R, oppID, s.now(), MaxDistributionShifts); err != nil {
		return nil, err
	}
	for _, sh := range f.Shifts {
		if sh.Roles, err = loadRoles(ctx, s.db.R, sh.ID); err != nil {
			return nil, err
		}
	}
	if f.Pool, err = distPoolSize(ctx, s.db.R, opp.OrgID); err != nil {
		return nil, err
	}
	_, err = s.distPlace(ctx, s.db.R, opp)
	switch {
	case err == nil:
		f.HasPlace = true
	case !errors.Is(err, ErrDistributionNoPlace):
		return nil, err
	}
	return f, nil
}

// Distributions lists an opportunity's runs, newest first, a page at a time
// (keyset on the id, which sorts by creation): before and after are cursors.
func (s *Service) Distributions(ctx context.Context, viewer *httpx.Viewer, oppID, after, before string) (runs []*DistributionRun, next, prev string, err error) {
	if _, err := s.manageOpportunity(ctx, viewer, oppID); err != nil {
		return nil, "", "", err
	}
	backward, cursor := before != "", after
	if backward {
		cursor = before
	}
	runs, err = distListRuns(ctx, s.db.R, oppID, cursor, backward, DistributionsPageSize+1)
	if err != nil {
		return nil, "", "", fmt.Errorf("distributions of %s: %w", oppID, err)
	}
	runs, next, prev = oppKeyset(runs, DistributionsPageSize, backward, cursor != "", func(r *DistributionRun) string { return r.ID })
	return runs, next, prev, nil
}
