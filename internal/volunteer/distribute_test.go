package volunteer

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertest"

	"sharaka/internal/assign"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

// distFix is the distribution's fixture on the sign-up part's environment:
// an opportunity in Madinah with three shifts (A and B overlap on Monday, C
// on Tuesday with teams of two), a role that needs first aid and one that
// needs a driver nobody is, and eight volunteers of the organisation.
type distFix struct {
	e                *suEnv
	opp              string
	a, b, c          string
	aRoles, bRoles   []string
	cRoles           []string
	vols             map[string]*httpx.Viewer
	outsider, stray  *httpx.Viewer
	firstAid, driver string
}

func distSetup(t *testing.T, d *db.DB) *distFix {
	e := suSetup(t, d)
	f := &distFix{e: e, vols: map[string]*httpx.Viewer{}}
	f.opp = e.opp(suOpp{titleAr: "توزيع السلال الرمضانية", titleEn: "Ramadan food baskets"})
	e.exec(`UPDATE opportunities SET lat = 24.47, lon = 39.61 WHERE id = $1`, f.opp)
	monday := time.Date(2031, 3, 3, 5, 0, 0, 0, time.UTC) // 08:00 in Riyadh
	f.a, f.aRoles = e.shift(f.opp, monday, 180, 1, 2)
	f.b, f.bRoles = e.shift(f.opp, monday.Add(time.Hour), 180, 2, 1)
	f.c, f.cRoles = e.shift(f.opp, monday.Add(24*time.Hour), 180, 3)
	f.firstAid, f.driver = f.aRoles[0], f.bRoles[1]
	e.exec(`UPDATE shift_roles SET skill_id = 'first_aid' WHERE id = $1`, f.firstAid)
	e.exec(`UPDATE shift_roles SET skill_id = 'driving' WHERE id = $1`, f.driver)
	e.exec(`UPDATE shifts SET team_size = 2 WHERE id = $1`, f.c)

	home := func(lat, lon float64) *[2]float64 { return &[2]float64{lat, lon} }
	for _, v := range []struct {
		name      string
		home      *[2]float64
		skills    []string
		maxShifts int
	}{
		{"أمل", home(24.471, 39.611), []string{"first_aid", "leader"}, 0},
		{"بشرى", home(24.50, 39.60), []string{"first_aid"}, 0},
		{"جود", home(24.46, 39.62), nil, 0},
		{"دانة", home(24.45, 39.60), []string{"leader"}, 0},
		{"هند", home(24.48, 39.63), nil, 0},
		{"وعد", home(24.44, 39.58), nil, 1},
		{"ريم", home(24.95, 39.61), nil, 0}, // some 53 km away, beyond her 30 km
		{"سلمى", nil, nil, 0},               // no home: set aside
	} {
		u := e.volunteer(v.name, suVol{skills: v.skills, maxShifts: v.maxShifts})
		if v.home != nil {
			e.exec(`UPDATE volunteer_profiles SET lat = $2, lon = $3, travel_radius_km = 30 WHERE user_id = $1`, u.ID, v.home[0], v.home[1])
		}
		for day := 0; day < 7; day++ {
			e.exec(`INSERT INTO availability (id, user_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, 360, 1320)`, db.NewID(), u.ID, day)
		}
		e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'member', $3)`, e.orgID, u.ID, db.Now())
		f.vols[v.name] = u
	}
	// Linked by a past sign-up rather than an import: in the pool too.
	f.stray = e.volunteer("تالا", suVol{skills: []string{"leader"}})
	e.exec(`UPDATE volunteer_profiles SET lat = 24.47, lon = 39.60, travel_radius_km = 30 WHERE user_id = $1`, f.stray.ID)
	e.exec(`INSERT INTO availability (id, user_id, weekday, start_minute, end_minute) VALUES ($1, $2, 2, 360, 1320)`, db.NewID(), f.stray.ID)
	old, oldRoles := e.shift(f.opp, e.now.Add(-72*time.Hour), 60, 1)
	e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'withdrawn', $5, $5)`,
		db.NewID(), old, oldRoles[0], f.stray.ID, e.now.Add(-96*time.Hour))
	// Someone with a profile who never came near the organisation.
	f.outsider = e.volunteer("غريب", suVol{})
	e.exec(`UPDATE volunteer_profiles SET lat = 24.47, lon = 39.61, travel_radius_km = 30 WHERE user_id = $1`, f.outsider.ID)
	return f
}

// start begins a run on all three shifts and checks its job was queued in
// the same transaction, with River's test helpers.
func (f *distFix) start(t *testing.T, in DistributionInput) *DistributionRun {
	t.Helper()
	e := f.e
	run, err := e.svc.StartDistribution(e.ctx, e.coord, f.opp, in)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	var job *river.Job[DistributeArgs]
	switch e.d.Dialect {
	case db.Postgres:
		job = rivertest.RequireInserted(e.ctx, t, riverpgxv5.New(e.d.Pool), DistributeArgs{}, nil)
	default:
		job = rivertest.RequireInserted(e.ctx, t, riversqlite.New(e.d.W), DistributeArgs{}, nil)
	}
	if job.Args.RunID != run.ID {
		t.Fatalf("job for run %s, want %s", job.Args.RunID, run.ID)
	}
	e.exec(`DELETE FROM river_job WHERE kind = 'volunteer_distribute'`) // the next start expects exactly one
	return run
}

// work runs the run's job as River would and returns the finished run.
func (f *distFix) work(t *testing.T, runID string) *DistributionRun {
	t.Helper()
	w := &distributeWorker{s: f.e.svc}
	if err := w.Work(f.e.ctx, &river.Job[DistributeArgs]{Args: DistributeArgs{RunID: runID}}); err != nil {
		t.Fatalf("work: %v", err)
	}
	run, err := distLoadRun(f.e.ctx, f.e.d.R, runID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != DistDone || run.Progress != 1 || run.Result == nil {
		t.Fatalf("run after its job: %s %.2f %v (%s)", run.Status, run.Progress, run.Result != nil, run.Error)
	}
	return run
}

func (f *distFix) all() DistributionInput {
	return DistributionInput{Shifts: []string{f.a, f.b, f.c}, Urgency: map[string]int{f.a: 5}, TeamLeader: true}
}

// name is the fixture name of a volunteer id.
func (f *distFix) name(id string) string {
	for n, v := range f.vols {
		if v.ID == id {
			return n
		}
	}
	if id == f.stray.ID {
		return "تالا"
	}
	return id
}

func TestDistribution(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := distSetup(t, d)
		e := f.e

		// A run starts queued, with its job, and is audited.
		run := f.start(t, f.all())
		if run.Status != DistQueued || run.Settings.Urgency[f.b] != DefaultUrgency || run.Settings.Urgency[f.a] != 5 {
			t.Fatalf("new run: %+v", run)
		}
		run = f.work(t, run.ID)
		res := run.Result
		if len(res.Shifts) != 3 {
			t.Fatalf("%d shifts in the preview", len(res.Shifts))
		}

		// Placements respect skills, overlaps and limits; the far and the
		// homeless are not placed; the outsider is not even considered.
		onShift := map[string]map[string]string{}
		count := map[string]int{}
		for _, s := range res.Shifts {
			onShift[s.ID] = map[string]string{}
			for _, a := range s.Assignments {
				onShift[s.ID][a.Volunteer] = a.Role
				count[a.Volunteer]++
				if a.Reason.Code == "" || a.Name == "" || a.RoleNameAr == "" {
					t.Errorf("assignment without its reason or names: %+v", a)
				}
				if a.Role == f.firstAid && a.Volunteer != f.vols["أمل"].ID && a.Volunteer != f.vols["بشرى"].ID {
					t.Errorf("%s placed in the first-aid role", f.name(a.Volunteer))
				}
				if a.Role == f.driver {
					t.Errorf("%s placed as a driver", f.name(a.Volunteer))
				}
			}
		}
		for v := range onShift[f.a] {
			if _, both := onShift[f.b][v]; both {
				t.Errorf("%s is on two overlapping shifts", f.name(v))
			}
		}
		if count[f.vols["وعد"].ID] > 1 {
			t.Errorf("وعد has a limit of one shift and got %d", count[f.vols["وعد"].ID])
		}
		for _, who := range []*httpx.Viewer{f.vols["ريم"], f.vols["سلمى"], f.outsider} {
			if count[who.ID] > 0 {
				t.Errorf("%s was placed", who.Name)
			}
		}
		if len(onShift[f.a]) != 3 || len(onShift[f.c]) != 3 || len(onShift[f.b]) != 2 {
			t.Errorf("filled A %d/3, B %d/2 (the driver's place stays empty), C %d/3", len(onShift[f.a]), len(onShift[f.b]), len(onShift[f.c]))
		}
		if res.Engine.Filled != 8 || res.Engine.Slots != 9 || res.Baseline.Slots != 9 || res.Pool != 9 || res.Considered != 8 {
			t.Errorf("figures: engine %+v baseline %+v pool %d considered %d", res.Engine, res.Baseline, res.Pool, res.Considered)
		}
		// The far volunteer is told why; the one without a home is counted and named.
		far := false
		for _, l := range res.Shift(f.a).LeftOut {
			if l.Volunteer == f.vols["ريم"].ID && l.Reason.Code == assign.ReasonOutsideRadius && l.Reason.Km > 50 {
				far = true
			}
			if l.Volunteer == f.outsider.ID {
				t.Error("the outsider is listed as left out")
			}
		}
		if !far {
			t.Errorf("ريم is not left out for living too far: %+v", res.Shift(f.a).LeftOut)
		}
		if len(res.Skipped) != 1 || res.Skipped[0].Reason != DistSkipNoHome || res.Skipped[0].Count != 1 || res.Skipped[0].Names[0] != "سلمى" {
			t.Errorf("skipped: %+v", res.Skipped)
		}
		// The driver's place is short, and the summary asks for a driver.
		if len(res.Shortages) != 1 || res.Shortages[0].Shift != f.b || res.Shortages[0].Role != f.driver || res.Shortages[0].Skill != "driving" ||
			res.Shortages[0].Empty != 1 || res.Shortages[0].MessageID() != "assign.shortage.skill_any" {
			t.Errorf("shortages: %+v", res.Shortages)
		}
		if len(res.Needs) != 1 || res.Needs[0].Skill != "driving" || res.Needs[0].Slots != 1 {
			t.Errorf("needs: %+v", res.Needs)
		}
		// Teams of two on C, each with a leader where there are leaders.
		teams := map[int]int{}
		for _, a := range res.Shift(f.c).Assignments {
			if a.Team < 1 {
				t.Errorf("no team on C: %+v", a)
			}
			teams[a.Team]++
		}
		if len(teams) != 2 {
			t.Errorf("teams on C: %v", teams)
		}

		// Remove one person from C and pin one on A, then run again: the
		// new run carries both and honours them.
		var removed, pinned DistributionAssignment
		removed = res.Shift(f.c).Assignments[0]
		for _, a := range res.Shift(f.a).Assignments {
			if a.Role != f.firstAid {
				pinned = a
			}
		}
		run2, err := e.svc.RerunDistribution(e.ctx, e.coord, run.ID, Adjustments{
			Pin:    []DistributionPin{{Volunteer: pinned.Volunteer, Shift: f.a, Role: pinned.Role}},
			Remove: []DistributionPin{{Volunteer: removed.Volunteer, Shift: f.c}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(run2.Pins) != 1 || len(run2.Exclusions) != 1 || !slices.Equal(run2.Settings.Shifts, run.Settings.Shifts) || !run2.Settings.TeamLeader {
			t.Fatalf("re-run carries %+v / %+v / %+v", run2.Pins, run2.Exclusions, run2.Settings)
		}
		e.exec(`DELETE FROM river_job WHERE kind = 'volunteer_distribute'`)
		run2 = f.work(t, run2.ID)
		c := run2.Result.Shift(f.c)
		for _, a := range c.Assignments {
			if a.Volunteer == removed.Volunteer {
				t.Errorf("%s is still on C after being removed", a.Name)
			}
		}
		if len(c.Removed) != 1 || c.Removed[0].Volunteer != removed.Volunteer || c.Removed[0].Reason.Code != DistReasonRemoved {
			t.Errorf("C's removed list: %+v", c.Removed)
		}
		kept := false
		for _, a := range run2.Result.Shift(f.a).Assignments {
			if a.Volunteer == pinned.Volunteer && a.Role == pinned.Role && a.Pinned {
				kept = true
			}
		}
		if !kept {
			t.Errorf("the pin of %s on A was not kept: %+v", pinned.Name, run2.Result.Shift(f.a).Assignments)
		}
		// A third run keeps the earlier pin and removal.
		run3, err := e.svc.RerunDistribution(e.ctx, e.coord, run2.ID, Adjustments{})
		if err != nil {
			t.Fatal(err)
		}
		if len(run3.Pins) != 1 || len(run3.Exclusions) != 1 {
			t.Errorf("third run: pins %+v, exclusions %+v", run3.Pins, run3.Exclusions)
		}
		if err := e.svc.DiscardDistribution(e.ctx, e.coord, run3.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ApplyDistribution(e.ctx, e.coord, run3.ID); !errors.Is(err, ErrDistributionDiscarded) {
			t.Errorf("applying a discarded run: %v", err)
		}

		// Meanwhile someone takes a plain place on A: one placement no longer fits.
		var plainOnA []DistributionAssignment
		for _, a := range run2.Result.Shift(f.a).Assignments {
			if a.Role == f.aRoles[1] {
				plainOnA = append(plainOnA, a)
			}
		}
		e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, 'confirmed', $5, $5)`,
			db.NewID(), f.a, f.aRoles[1], f.outsider.ID, e.now)

		rep, err := e.svc.ApplyDistribution(e.ctx, e.coord, run2.ID)
		if err != nil {
			t.Fatal(err)
		}
		placed := run2.Result.Placed()
		if rep.Placed != placed-1 || len(rep.Skipped) != 1 || rep.Skipped[0].Reason != DistSkipRoleFull || rep.Skipped[0].Shift != f.a ||
			!slices.ContainsFunc(plainOnA, func(a DistributionAssignment) bool { return a.Volunteer == rep.Skipped[0].Volunteer }) {
			t.Fatalf("apply report %+v (preview had %d)", rep, placed)
		}
		// Sign-ups are confirmed with their teams, by the coordinator.
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id IN ($1, $2, $3) AND status = 'confirmed' AND decided_by = $4`,
			f.a, f.b, f.c, e.coord.ID); n != rep.Placed {
			t.Errorf("%d confirmed sign-ups, want %d", n, rep.Placed)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'confirmed' AND team BETWEEN 1 AND 2`, f.c); n != 3 {
			t.Errorf("%d sign-ups on C with a team, want 3", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND team_leader`, f.c); n < 1 {
			t.Error("no team leader recorded on C")
		}
		if n := e.count(`SELECT COUNT(*) FROM reminders r JOIN signups g ON g.id = r.signup_id WHERE g.decided_by = $1`, e.coord.ID); n != 2*rep.Placed {
			t.Errorf("%d reminders, want two per placement", n)
		}
		// One email per placed volunteer, listing each of their shifts with its link.
		people := map[string]int{}
		for _, s := range run2.Result.Shifts {
			for _, a := range s.Assignments {
				if !(s.ID == f.a && a.Volunteer == rep.Skipped[0].Volunteer) {
					people[a.Volunteer]++
				}
			}
		}
		if rep.Notified != len(people) {
			t.Errorf("%d notified, %d people placed", rep.Notified, len(people))
		}
		for id, n := range people {
			var email string
			if err := d.R.QueryRowContext(e.ctx, `SELECT email FROM users WHERE id = $1`, id).Scan(&email); err != nil {
				t.Fatal(err)
			}
			mails := e.mail.to(email)
			if len(mails) != 1 || strings.Count(mails[0].text, "https://sharaka.test/signups/") != n ||
				!strings.Contains(mails[0].subject, "توزيع السلال الرمضانية") || !strings.Contains(mails[0].text, "انسحب من المناوبة") {
				t.Errorf("mail to %s: %+v", f.name(id), mails)
			}
		}
		// The roster shows the teams.
		ro, err := e.svc.Roster(e.ctx, e.coord, f.c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ro.Roles[0].Confirmed {
			if p.Team < 1 {
				t.Errorf("roster entry without its team: %+v", p)
			}
		}

		// Applying twice is refused, and nothing more is written.
		if _, err := e.svc.ApplyDistribution(e.ctx, e.coord, run2.ID); !errors.Is(err, ErrDistributionApplied) {
			t.Errorf("second apply: %v", err)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE decided_by = $1`, e.coord.ID); n != rep.Placed {
			t.Errorf("sign-ups after the second apply: %d", n)
		}
		for action, want := range map[string]int{"distribution.start": 3, "distribution.apply": 1, "distribution.discard": 1} {
			entries, err := audit.List(e.ctx, d.R, audit.Filter{OrgID: e.orgID, Action: action, Limit: 10})
			if err != nil || len(entries) != want {
				t.Errorf("audit %s: %d entries (%v), want %d", action, len(entries), err, want)
			}
		}
		stored, err := distLoadRun(e.ctx, d.R, run2.ID)
		if err != nil || stored.Status != DistApplied || stored.AppliedBy != e.coord.ID || stored.Result.Applied == nil || stored.Result.Applied.Placed != rep.Placed {
			t.Errorf("applied run: %+v %v", stored, err)
		}
	})
}

// TestDistributionIsForCoordinators: nobody else starts, reads, re-runs,
// applies or discards a run.
func TestDistributionIsForCoordinators(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := distSetup(t, d)
		e := f.e
		run := f.start(t, f.all())
		member := f.vols["أمل"]
		otherOwner := e.user("جهة أخرى", "ar", false)
		e.org(otherOwner, "جمعية أخرى")
		for _, tc := range []struct {
			name string
			v    *httpx.Viewer
			want error
		}{
			{"anonymous", nil, httpx.ErrUnauthorized},
			{"a member volunteer", member, httpx.ErrForbidden},
			{"another organisation's owner", otherOwner, httpx.ErrForbidden},
			{"a platform admin", e.admin, httpx.ErrForbidden},
		} {
			if _, err := e.svc.StartDistribution(e.ctx, tc.v, f.opp, f.all()); !errors.Is(err, tc.want) {
				t.Errorf("%s starting: %v", tc.name, err)
			}
			if _, _, err := e.svc.Distribution(e.ctx, tc.v, run.ID); !errors.Is(err, tc.want) {
				t.Errorf("%s reading: %v", tc.name, err)
			}
			if _, err := e.svc.RerunDistribution(e.ctx, tc.v, run.ID, Adjustments{}); !errors.Is(err, tc.want) {
				t.Errorf("%s re-running: %v", tc.name, err)
			}
			if _, err := e.svc.ApplyDistribution(e.ctx, tc.v, run.ID); !errors.Is(err, tc.want) {
				t.Errorf("%s applying: %v", tc.name, err)
			}
			if err := e.svc.DiscardDistribution(e.ctx, tc.v, run.ID); !errors.Is(err, tc.want) {
				t.Errorf("%s discarding: %v", tc.name, err)
			}
			if _, _, _, err := e.svc.Distributions(e.ctx, tc.v, f.opp, "", ""); !errors.Is(err, tc.want) {
				t.Errorf("%s listing: %v", tc.name, err)
			}
		}
		// A run not yet worked cannot be applied; bad input changes nothing.
		if _, err := e.svc.ApplyDistribution(e.ctx, e.coord, run.ID); !errors.Is(err, ErrDistributionNotReady) {
			t.Errorf("applying a queued run: %v", err)
		}
		for _, in := range []DistributionInput{
			{},
			{Shifts: []string{"no-such-shift"}},
			{Shifts: []string{f.a}, Urgency: map[string]int{f.a: 9}},
			{Shifts: []string{f.a}, Pins: []DistributionPin{{Volunteer: member.ID, Shift: f.c}}},
		} {
			var he *httpx.Error
			if _, err := e.svc.StartDistribution(e.ctx, e.coord, f.opp, in); !errors.As(err, &he) || he.Status != 422 {
				t.Errorf("start with %+v: %v", in, err)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM distribution_runs`); n != 1 {
			t.Errorf("%d runs after refused starts", n)
		}
	})
}

// TestDistributionEdges: a run with nobody to place, a failing run, a
// discarded run whose job comes late, the rate limit.
func TestDistributionEdges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := distSetup(t, d)
		e := f.e

		// Nobody fits a women-only shift: the run is done with nothing placed.
		e.exec(`UPDATE opportunities SET gender_rule = 'women' WHERE id = $1`, f.opp)
		run := f.work(t, f.start(t, f.all()).ID)
		if n := run.Result.Placed(); n != 0 || len(run.Result.Shortages) != 5 {
			t.Errorf("women-only with no women: %d placed, %d shortages", n, len(run.Result.Shortages))
		}
		e.exec(`UPDATE opportunities SET gender_rule = 'any' WHERE id = $1`, f.opp)

		// A run discarded before its job runs stays discarded.
		late := f.start(t, f.all())
		if err := e.svc.DiscardDistribution(e.ctx, e.coord, late.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RunDistribution(e.ctx, late.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := distLoadRun(e.ctx, d.R, late.ID); r.Status != DistDiscarded || r.Result != nil {
			t.Errorf("late job on a discarded run: %s", r.Status)
		}

		// The opportunity loses its place after the run was queued: the run
		// fails with a message the coordinator can act on.
		lost := f.start(t, f.all())
		e.exec(`UPDATE opportunities SET lat = NULL, lon = NULL WHERE id = $1`, f.opp)
		if err := e.svc.RunDistribution(e.ctx, lost.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := distLoadRun(e.ctx, d.R, lost.ID); r.Status != DistFailed || r.Error != ErrDistributionNoPlace.MsgID {
			t.Errorf("run without a place: %s %q", r.Status, r.Error)
		}
		if _, err := e.svc.StartDistribution(e.ctx, e.coord, f.opp, f.all()); !errors.Is(err, ErrDistributionNoPlace) {
			t.Errorf("start without a place: %v", err)
		}
		e.exec(`UPDATE opportunities SET lat = 24.47, lon = 39.61 WHERE id = $1`, f.opp)

		// Runs are limited per coordinator and hour.
		e.exec(`DELETE FROM rate_limits`)
		for i := 0; i < distLimit.Max; i++ {
			if _, err := e.svc.StartDistribution(e.ctx, e.coord, f.opp, f.all()); err != nil {
				t.Fatalf("run %d: %v", i+1, err)
			}
		}
		var he *httpx.Error
		if _, err := e.svc.StartDistribution(e.ctx, e.coord, f.opp, f.all()); !errors.As(err, &he) || he.Status != 429 {
			t.Errorf("run over the limit: %v", err)
		}

		// The recent runs come a page at a time, newest first.
		total := e.count(`SELECT COUNT(*) FROM distribution_runs WHERE opportunity_id = $1`, f.opp)
		seen := map[string]bool{}
		var last string
		for after, pages := "", 0; pages == 0 || after != ""; pages++ {
			runs, next, prev, err := e.svc.Distributions(e.ctx, e.coord, f.opp, after, "")
			if err != nil || len(runs) == 0 || len(runs) > DistributionsPageSize || (pages > 0) != (prev != "") || pages > 10 {
				t.Fatalf("page %d: %d runs, prev %q, %v", pages, len(runs), prev, err)
			}
			for _, r := range runs {
				if seen[r.ID] || (last != "" && r.ID >= last) {
					t.Fatalf("run %s out of order or repeated", r.ID)
				}
				seen[r.ID], last = true, r.ID
			}
			after = next
		}
		if len(seen) != total {
			t.Errorf("paged through %d of %d runs", len(seen), total)
		}
	})
}

// TestDistAvailability: weekly windows in Riyadh become instants, the
// evening and the next morning join, days away and commitments are cut out.
func TestDistAvailability(t *testing.T) {
	zone, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		t.Skip("no zone data")
	}
	mon := time.Date(2031, 3, 3, 0, 0, 0, 0, zone)
	weekly := []Window{
		{Weekday: time.Monday, StartMinute: 18 * 60, EndMinute: 1440},
		{Weekday: time.Tuesday, StartMinute: 0, EndMinute: 2 * 60},
		{Weekday: time.Tuesday, StartMinute: 16 * 60, EndMinute: 20 * 60},
		{Weekday: time.Wednesday, StartMinute: 8 * 60, EndMinute: 12 * 60},
	}
	busy := []distCommit{{start: mon.Add(40 * time.Hour), end: mon.Add(41 * time.Hour)}} // Tuesday 16:00–17:00
	away := []Away{{StartsOn: "2031-03-05", EndsOn: "2031-03-05"}}                       // Wednesday
	got := distAvailability(weekly, away, busy, mon.Add(10*time.Hour), mon.Add(3*24*time.Hour), zone)
	want := []assign.Window{
		{Start: mon.Add(18 * time.Hour).UTC(), End: mon.Add(26 * time.Hour).UTC()},
		{Start: mon.Add(41 * time.Hour).UTC(), End: mon.Add(44 * time.Hour).UTC()},
	}
	if !slices.EqualFunc(got, want, func(a, b assign.Window) bool { return a.Start.Equal(b.Start) && a.End.Equal(b.End) }) {
		t.Errorf("windows %v, want %v", got, want)
	}
}

// TestDistLimits: weekly limits become the run's, less what is taken.
func TestDistLimits(t *testing.T) {
	zone := time.FixedZone("AST", 3*3600)
	sat := time.Date(2031, 3, 1, 0, 0, 0, 0, zone)
	one := map[time.Time]bool{sat: true}
	two := map[time.Time]bool{sat: true, sat.AddDate(0, 0, 7): true}
	busy := []distCommit{{start: sat.Add(10 * time.Hour), end: sat.Add(13 * time.Hour)}}
	for _, tc := range []struct {
		name          string
		shifts, hours int
		weeks         map[time.Time]bool
		wantS         int
		wantH         float64
		commits       []distCommit
	}{
		{"no limits, one week", 0, 0, one, 7, 60, nil},
		{"no limits, one shift taken", 0, 0, one, 6, 57, busy},
		{"no limits, two weeks", 0, 0, two, 13, 117, busy},
		{"limits, one taken", 2, 10, one, 1, 7, busy},
		{"limits over two weeks take the tighter week", 2, 10, two, 1, 7, busy},
	} {
		s, h := distLimits(tc.shifts, tc.hours, tc.commits, tc.weeks, zone)
		if s != tc.wantS || h != tc.wantH {
			t.Errorf("%s: %d shifts, %.1f h; want %d, %.1f", tc.name, s, h, tc.wantS, tc.wantH)
		}
	}
}

// TestAdjustmentsMerge: pins and removals accumulate; a removal undoes a
// pin, a pin or a restore undoes a removal.
func TestAdjustmentsMerge(t *testing.T) {
	p := func(v, s, r string) DistributionPin { return DistributionPin{Volunteer: v, Shift: s, Role: r} }
	pins, excl := Adjustments{
		Pin:     []DistributionPin{p("b", "s1", "r1"), p("c", "s2", "r2")},
		Remove:  []DistributionPin{p("a", "s1", ""), p("d", "s2", "")},
		Restore: []DistributionPin{p("e", "s1", "")},
	}.merge([]DistributionPin{p("a", "s1", "r1"), p("x", "s3", "r3")}, []DistributionPin{p("c", "s2", ""), p("e", "s1", ""), p("f", "s1", "")})
	wantPins := []DistributionPin{p("x", "s3", "r3"), p("b", "s1", "r1"), p("c", "s2", "r2")}
	wantExcl := []DistributionPin{p("f", "s1", ""), p("a", "s1", ""), p("d", "s2", "")}
	if !slices.Equal(pins, wantPins) || !slices.Equal(excl, wantExcl) {
		t.Errorf("pins %v excl %v; want %v and %v", pins, excl, wantPins, wantExcl)
	}
}
