package volunteer

// Building the engine's instance from the database: the chosen shifts with
// their open places, and the organisation's volunteers with what the engine
// needs of each (home, skills, availability over the shifts' days, limits).
// Every table is read once for the whole pool, not person by person.

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"sharaka/internal/assign"
	"sharaka/internal/platform/db"
)

// Generous limits for a volunteer who set none (0 on the profile): nobody
// works more than a shift a day or sixty hours a week for an organisation.
const (
	distNoLimitShifts = 7
	distNoLimitHours  = 60
)

// Why a volunteer of the pool is not given to the engine at all.
const (
	DistSkipNoHome    = "no_home"
	DistSkipNotVetted = "not_vetted"
	DistSkipSkill     = "missing_skill"
	DistSkipLanguage  = "missing_language"
	DistSkipNoShows   = "no_shows"
)

// distSkipOrder is the order the page lists them in.
var distSkipOrder = []string{DistSkipNoHome, DistSkipNotVetted, DistSkipSkill, DistSkipLanguage, DistSkipNoShows}

// distShiftInfo is what the preview shows of an instance's shift beside
// what the engine sees: its roles' ids and names, index for index.
type distShiftInfo struct {
	shift *Shift
	roles []DistributionRole
}

// distBuild is an instance and what is known around it.
type distBuild struct {
	in     *assign.Instance
	shifts []distShiftInfo
	names  map[string]string
	// live marks volunteer|shift pairs with a live sign-up: they are on the
	// shift already and are not told they were left out.
	live map[[2]string]bool
	// removed marks the coordinator's exclusions that reached the engine.
	removed map[[2]string]bool
	skipped map[string][]string
	dropped []DistributionPin
}

// distProfile is one pool row as read.
type distProfile struct {
	id, name, gender, birth, langs string
	lat, lon                       sql.NullFloat64
	placeID                        string
	radius, maxHours, maxShifts    int
}

// distCommit is a live sign-up that takes a volunteer's time.
type distCommit struct {
	start, end time.Time
}

// distInstance builds the instance of a run.
func (s *Service) distInstance(ctx context.Context, run *DistributionRun, opp *Opportunity) (*distBuild, error) {
	q := s.db.R
	now := s.now()
	place, err := s.distPlace(ctx, q, opp)
	if err != nil {
		return nil, err
	}
	b := &distBuild{in: &assign.Instance{Weights: assign.DefaultWeights()}, names: map[string]string{}, live: map[[2]string]bool{},
		removed: map[[2]string]bool{}, skipped: map[string][]string{}}
	if err := b.loadShifts(ctx, q, run, opp, place, now); err != nil {
		return nil, err
	}
	if len(b.shifts) == 0 {
		return b, nil
	}
	if err := s.distVolunteers(ctx, q, b, opp); err != nil {
		return nil, err
	}
	b.exclusions(run.Exclusions)
	b.pins(run.Pins)
	return b, nil
}

// loadShifts reads the chosen shifts that are still scheduled and ahead,
// with their roles' open places (slots less confirmed and pending people).
func (b *distBuild) loadShifts(ctx context.Context, q db.Querier, run *DistributionRun, opp *Opportunity, place assign.Point, now time.Time) error {
	if len(run.Settings.Shifts) == 0 {
		return nil
	}
	in, args := inList(run.Settings.Shifts, 1)
	rows, err := q.QueryContext(ctx, `SELECT `+shiftCols+` FROM shifts s WHERE s.opportunity_id = $1 AND s.id IN `+in+`
		ORDER BY s.starts_at, s.id`, append([]any{opp.ID}, args...)...)
	if err != nil {
		return fmt.Errorf("load shifts: %w", err)
	}
	var shifts []*Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if sh.Status == "scheduled" && sh.StartsAt.After(now) {
			shifts = append(shifts, sh)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(shifts) == 0 {
		return nil
	}
	ids := make([]string, len(shifts))
	for i, sh := range shifts {
		ids[i] = sh.ID
	}
	in, args = inList(ids, 0)
	rows, err = q.QueryContext(ctx, `SELECT r.shift_id, r.id, r.name_ar, r.name_en, COALESCE(r.skill_id, ''), r.slots,
			COALESCE((SELECT SUM(g.party_size) FROM signups g WHERE g.role_id = r.id AND g.status IN ('confirmed', 'pending')), 0)
		FROM shift_roles r WHERE r.shift_id IN `+in+` ORDER BY r.shift_id, r.id`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	roles := map[string][]DistributionRole{}
	for rows.Next() {
		var shiftID string
		var r DistributionRole
		var slots, taken int
		if err := rows.Scan(&shiftID, &r.ID, &r.NameAr, &r.NameEn, &r.SkillID, &slots, &taken); err != nil {
			rows.Close()
			return err
		}
		r.Slots = max(slots-taken, 0)
		roles[shiftID] = append(roles[shiftID], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, sh := range shifts {
		as := assign.Shift{ID: sh.ID, Opportunity: opp.ID, Place: place, Start: sh.StartsAt, End: sh.EndsAt,
			Gender: assign.GenderRule(opp.GenderRule), MinAge: opp.MinAge, Priority: run.Settings.Urgency[sh.ID],
			TeamSize: sh.TeamSize, TeamLeader: run.Settings.TeamLeader, Languages: opp.Languages}
		if as.Priority < 1 || as.Priority > 5 {
			as.Priority = DefaultUrgency
		}
		for _, r := range roles[sh.ID] {
			as.Roles = append(as.Roles, assign.Role{Skill: r.SkillID, Slots: r.Slots})
		}
		b.in.Shifts = append(b.in.Shifts, as)
		b.shifts = append(b.shifts, distShiftInfo{shift: sh, roles: roles[sh.ID]})
	}
	return nil
}

// distVolunteers reads the pool and gives the engine every volunteer it can
// place, noting why the others are left aside.
func (s *Service) distVolunteers(ctx context.Context, q db.Querier, b *distBuild, opp *Opportunity) error {
	in := b.in
	first, last := in.Shifts[0].Start, in.Shifts[0].End
	for _, sh := range in.Shifts {
		first, last = minTime(first, sh.Start), maxTime(last, sh.End)
	}
	// Weekly limits count every commitment of the shifts' weeks.
	weeks := map[time.Time]bool{}
	for _, sh := range in.Shifts {
		weeks[WeekStart(sh.Start, s.zone)] = true
	}
	from := WeekStart(first, s.zone)
	to := maxTime(WeekStart(last, s.zone).AddDate(0, 0, 7), last)

	profiles, err := distReadProfiles(ctx, q, opp.OrgID)
	if err != nil {
		return err
	}
	if len(profiles) == 0 {
		return nil
	}
	places, err := distLoadPlaces(ctx, q)
	if err != nil {
		return err
	}
	skills, err := distPairs(ctx, q, `SELECT user_id, skill_id FROM volunteer_skills WHERE user_id IN (`+distPoolSQL+`)`, opp.OrgID)
	if err != nil {
		return fmt.Errorf("read skills: %w", err)
	}
	windows, err := distWeekly(ctx, q, opp.OrgID)
	if err != nil {
		return err
	}
	aways, err := distAways(ctx, q, opp.OrgID, first.In(s.zone).AddDate(0, 0, -1).Format(time.DateOnly), last.In(s.zone).Format(time.DateOnly))
	if err != nil {
		return err
	}
	commits, err := distCommits(ctx, q, opp.OrgID, from, to)
	if err != nil {
		return err
	}
	vetted, err := distPairs(ctx, q, `SELECT user_id, org_id FROM vettings WHERE org_id = $1`, opp.OrgID)
	if err != nil {
		return fmt.Errorf("read vettings: %w", err)
	}
	settings, err := loadOrgSettings(ctx, q, opp.OrgID)
	if err != nil {
		return err
	}
	noShows := map[string]int{}
	if settings.NoShowLimit > 0 {
		if noShows, err = distNoShows(ctx, q, opp.OrgID, s.now().Add(-time.Duration(settings.NoShowWindowDays)*24*time.Hour)); err != nil {
			return err
		}
	}
	if err := b.liveSignups(ctx, q); err != nil {
		return err
	}
	for _, p := range profiles {
		b.names[p.id] = p.name
		langs := splitList(p.langs)
		home, ok := assign.Point{}, false
		switch {
		case p.lat.Valid && p.lon.Valid:
			home, ok = assign.Point{Lat: p.lat.Float64, Lon: p.lon.Float64}, true
		case p.placeID != "":
			home, ok = places.centroid(p.placeID)
		}
		// The sign-up rules (Decide) apply here as they would to the person
		// signing up: the opportunity's own skills and languages, vetting
		// and the organisation's no-show limit.
		var skip string
		switch {
		case !ok:
			skip = DistSkipNoHome
		case opp.VettedOnly && len(vetted[p.id]) == 0:
			skip = DistSkipNotVetted
		case !containsAll(skills[p.id], opp.Skills):
			skip = DistSkipSkill
		case !containsAll(langs, opp.Languages):
			skip = DistSkipLanguage
		case settings.NoShowLimit > 0 && noShows[p.id] >= settings.NoShowLimit:
			skip = DistSkipNoShows
		}
		if skip != "" {
			b.skipped[skip] = append(b.skipped[skip], p.id)
			continue
		}
		age := AgeOn(p.birth, first.In(s.zone))
		maxShifts, maxHours := distLimits(p.maxShifts, p.maxHours, commits[p.id], weeks, s.zone)
		in.Volunteers = append(in.Volunteers, assign.Volunteer{ID: p.id, Home: home, Skills: skills[p.id], Gender: assign.Gender(p.gender),
			Age: max(age, 0), Languages: langs, RadiusKm: float64(p.radius), MaxShifts: maxShifts, MaxHours: maxHours,
			Availability: distAvailability(windows[p.id], aways[p.id], commits[p.id], first, last, s.zone)})
	}
	return nil
}

func containsAll(have, need []string) bool {
	for _, n := range need {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// distReadProfiles reads the pool's profiles in creation order of the
// accounts (ids are UUIDv7), which is also the first-come baseline's order.
func distReadProfiles(ctx context.Context, q db.Querier, orgID string) ([]distProfile, error) {
	rows, err := q.QueryContext(ctx, `SELECT v.user_id, u.name, v.gender, v.birth_date, v.languages, v.lat, v.lon,
			COALESCE(v.home_place_id, ''), v.travel_radius_km, v.max_hours_week, v.max_shifts_week
		FROM volunteer_profiles v JOIN users u ON u.id = v.user_id
		WHERE v.user_id IN (`+distPoolSQL+`) ORDER BY v.user_id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("read volunteers: %w", err)
	}
	defer rows.Close()
	var out []distProfile
	for rows.Next() {
		var p distProfile
		if err := rows.Scan(&p.id, &p.name, &p.gender, &p.birth, &p.langs, &p.lat, &p.lon,
			&p.placeID, &p.radius, &p.maxHours, &p.maxShifts); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// distPairs reads two-column rows into a map of lists.
func distPairs(ctx context.Context, q db.Querier, query string, args ...any) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = append(out[k], v)
	}
	return out, rows.Err()
}

// distWeekly reads the pool's weekly windows.
func distWeekly(ctx context.Context, q db.Querier, orgID string) (map[string][]Window, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id, weekday, start_minute, end_minute FROM availability
		WHERE user_id IN (`+distPoolSQL+`) ORDER BY user_id, weekday, start_minute`, orgID)
	if err != nil {
		return nil, fmt.Errorf("read availability: %w", err)
	}
	defer rows.Close()
	out := map[string][]Window{}
	for rows.Next() {
		var id string
		var wd int
		var w Window
		if err := rows.Scan(&id, &wd, &w.StartMinute, &w.EndMinute); err != nil {
			return nil, err
		}
		w.Weekday = time.Weekday(wd)
		out[id] = append(out[id], w)
	}
	return out, rows.Err()
}

// distAways reads the pool's periods away that touch [from, to] (dates).
func distAways(ctx context.Context, q db.Querier, orgID, from, to string) (map[string][]Away, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id, starts_on, ends_on FROM availability_exceptions
		WHERE user_id IN (`+distPoolSQL+`) AND ends_on >= $2 AND starts_on <= $3`, orgID, from, to)
	if err != nil {
		return nil, fmt.Errorf("read periods away: %w", err)
	}
	defer rows.Close()
	out := map[string][]Away{}
	for rows.Next() {
		var id string
		var a Away
		if err := rows.Scan(&id, &a.StartsOn, &a.EndsOn); err != nil {
			return nil, err
		}
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// distCommits reads the pool's confirmed and pending sign-ups on scheduled
// shifts between from and to: they take the volunteer's time and count
// towards their weekly limits, as they do for a sign-up.
func distCommits(ctx context.Context, q db.Querier, orgID string, from, to time.Time) (map[string][]distCommit, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.user_id, s.starts_at, s.ends_at FROM signups g JOIN shifts s ON s.id = g.shift_id
		WHERE g.user_id IN (`+distPoolSQL+`) AND g.status IN ('confirmed', 'pending') AND s.status = 'scheduled'
			AND s.ends_at > $2 AND s.starts_at < $3
		ORDER BY g.user_id, s.starts_at`, orgID, from, to)
	if err != nil {
		return nil, fmt.Errorf("read commitments: %w", err)
	}
	defer rows.Close()
	out := map[string][]distCommit{}
	for rows.Next() {
		var id string
		var c distCommit
		if err := rows.Scan(&id, &c.start, &c.end); err != nil {
			return nil, err
		}
		c.start, c.end = c.start.UTC(), c.end.UTC()
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// distNoShows counts the pool's no-shows with the organisation since a time.
func distNoShows(ctx context.Context, q db.Querier, orgID string, since time.Time) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.user_id, COUNT(*) FROM signups g JOIN shifts s ON s.id = g.shift_id
			JOIN opportunities o ON o.id = s.opportunity_id
		WHERE o.org_id = $1 AND g.no_show AND s.starts_at > $2 GROUP BY g.user_id`, orgID, since)
	if err != nil {
		return nil, fmt.Errorf("count no-shows: %w", err)
	}
	return scanCounts(rows)
}

// liveSignups marks who is on each shift of the instance already
// (confirmed, pending or waiting): the engine must not place them there again.
func (b *distBuild) liveSignups(ctx context.Context, q db.Querier) error {
	ids := make([]string, len(b.in.Shifts))
	for i, sh := range b.in.Shifts {
		ids[i] = sh.ID
	}
	in, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT user_id, shift_id FROM signups WHERE shift_id IN `+in+` AND status IN `+liveStatuses, args...)
	if err != nil {
		return fmt.Errorf("read sign-ups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, sh string
		if err := rows.Scan(&u, &sh); err != nil {
			return err
		}
		b.live[[2]string{u, sh}] = true
	}
	return rows.Err()
}

// distLimits turns a volunteer's weekly limits (0: none) into the engine's
// limits over the run. The engine knows one limit for the whole run, so
// when the shifts span several weeks the volunteer's limit is the smallest
// room left in any of those weeks: never more than a week allows, at the
// price of fewer shifts for someone busy in one week. Without a limit the
// generous defaults apply per week, less what is already taken.
func distLimits(maxShifts, maxHours int, commits []distCommit, weeks map[time.Time]bool, zone *time.Location) (int, float64) {
	shiftsIn, minutesIn := map[time.Time]int{}, map[time.Time]int{}
	for _, c := range commits {
		w := WeekStart(c.start, zone)
		shiftsIn[w]++
		minutesIn[w] += int(c.end.Sub(c.start) / time.Minute)
	}
	room := func(limit int, taken map[time.Time]int, generous int) int {
		total, least := 0, -1
		for w := range weeks {
			if limit <= 0 {
				total += max(generous-taken[w], 0)
				continue
			}
			if r := max(limit-taken[w], 0); least < 0 || r < least {
				least = r
			}
		}
		if limit <= 0 {
			return total
		}
		return max(least, 0)
	}
	s := room(maxShifts, shiftsIn, distNoLimitShifts)
	m := room(maxHours*60, minutesIn, distNoLimitHours*60)
	return s, float64(m) / 60
}

// distAvailability expands weekly windows (minutes in zone) over the days
// from first to last, leaves out days away, joins windows that touch (an
// evening window and the next morning's) and cuts out the volunteer's
// commitments, giving the engine the times the volunteer is free.
func distAvailability(weekly []Window, away []Away, commits []distCommit, first, last time.Time, zone *time.Location) []assign.Window {
	var ws []assign.Window
	start := first.In(zone)
	day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, zone)
	for ; day.Before(last); day = day.AddDate(0, 0, 1) {
		date := day.Format(time.DateOnly)
		if slices.ContainsFunc(away, func(a Away) bool { return a.StartsOn <= date && date <= a.EndsOn }) {
			continue
		}
		for _, w := range weekly {
			if w.Weekday != day.Weekday() {
				continue
			}
			ws = append(ws, assign.Window{
				Start: time.Date(day.Year(), day.Month(), day.Day(), 0, w.StartMinute, 0, 0, zone).UTC(),
				End:   time.Date(day.Year(), day.Month(), day.Day(), 0, w.EndMinute, 0, 0, zone).UTC()})
		}
	}
	slices.SortFunc(ws, func(a, b assign.Window) int { return cmp.Compare(a.Start.UnixNano(), b.Start.UnixNano()) })
	var merged []assign.Window
	for _, w := range ws {
		if n := len(merged); n > 0 && !w.Start.After(merged[n-1].End) {
			merged[n-1].End = maxTime(merged[n-1].End, w.End)
			continue
		}
		merged = append(merged, w)
	}
	for _, c := range commits {
		var cut []assign.Window
		for _, w := range merged {
			if !c.start.Before(w.End) || !w.Start.Before(c.end) {
				cut = append(cut, w)
				continue
			}
			if w.Start.Before(c.start) {
				cut = append(cut, assign.Window{Start: w.Start, End: c.start})
			}
			if c.end.Before(w.End) {
				cut = append(cut, assign.Window{Start: c.end, End: w.End})
			}
		}
		merged = cut
	}
	if merged == nil {
		merged = []assign.Window{}
	}
	return merged
}

// exclusions gives the engine the pairs it must not make: people already on
// a shift, and the coordinator's removals that name someone in the instance.
func (b *distBuild) exclusions(removed []DistributionPin) {
	vols, shifts := b.index()
	for _, v := range b.in.Volunteers {
		for _, sh := range b.in.Shifts {
			if b.live[[2]string{v.ID, sh.ID}] {
				b.in.Excluded = append(b.in.Excluded, assign.Pin{Volunteer: v.ID, Shift: sh.ID})
			}
		}
	}
	for _, p := range removed {
		if _, ok := vols[p.Volunteer]; !ok {
			continue
		}
		if _, ok := shifts[p.Shift]; !ok || b.live[[2]string{p.Volunteer, p.Shift}] || b.removed[[2]string{p.Volunteer, p.Shift}] {
			continue
		}
		b.removed[[2]string{p.Volunteer, p.Shift}] = true
		b.in.Excluded = append(b.in.Excluded, assign.Pin{Volunteer: p.Volunteer, Shift: p.Shift})
	}
}

// pins gives the engine the coordinator's pins that can all hold together:
// the engine refuses an instance whose pins break a hard constraint, and a
// pin made on an earlier preview may no longer fit (the role filled up, the
// volunteer signed up elsewhere). Pins are taken in order; one that does not
// fit beside those before it is dropped and reported.
func (b *distBuild) pins(pins []DistributionPin) {
	vols, shifts := b.index()
	type taken struct {
		shifts  []int
		minutes int64
	}
	byVol := map[int]*taken{}
	filled := map[[2]int]int{}
	for _, p := range pins {
		v, okv := vols[p.Volunteer]
		s, oks := shifts[p.Shift]
		role := -1
		if oks {
			role = slices.IndexFunc(b.shifts[s].roles, func(r DistributionRole) bool { return r.ID == p.Role })
		}
		fits := okv && oks && role >= 0 && !b.live[[2]string{p.Volunteer, p.Shift}] && !b.removed[[2]string{p.Volunteer, p.Shift}]
		if fits {
			vol, sh := &b.in.Volunteers[v], &b.in.Shifts[s]
			t := byVol[v]
			if t == nil {
				t = &taken{}
				byVol[v] = t
			}
			fits = assign.Ineligible(vol, sh, role) == assign.Eligible && filled[[2]int{s, role}] < sh.Roles[role].Slots &&
				len(t.shifts) < vol.MaxShifts && t.minutes+sh.Minutes() <= vol.MaxMinutes() &&
				!slices.ContainsFunc(t.shifts, func(o int) bool { return o == s || assign.Overlap(&b.in.Shifts[o], sh) })
			if fits {
				t.shifts = append(t.shifts, s)
				t.minutes += sh.Minutes()
				filled[[2]int{s, role}]++
				b.in.Pinned = append(b.in.Pinned, assign.Pin{Volunteer: p.Volunteer, Shift: p.Shift, Role: role})
			}
		}
		if !fits {
			b.dropped = append(b.dropped, p)
		}
	}
}

// index maps volunteer and shift ids to their positions in the instance.
func (b *distBuild) index() (vols, shifts map[string]int) {
	vols = make(map[string]int, len(b.in.Volunteers))
	for i, v := range b.in.Volunteers {
		vols[v.ID] = i
	}
	shifts = make(map[string]int, len(b.in.Shifts))
	for i, s := range b.in.Shifts {
		shifts[s.ID] = i
	}
	return vols, shifts
}
