package volunteer_test

import (
	"slices"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// seriesShifts lists a series' shifts, soonest first.
func (e *oppEnv) seriesShifts(seriesID string) []time.Time {
	e.t.Helper()
	rows, err := e.d.R.QueryContext(e.ctx, `SELECT starts_at FROM shifts WHERE series_id = $1 ORDER BY starts_at`, seriesID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, t.UTC())
	}
	return out
}

// fridaysBetween counts the Fridays on the days after today up to the day of until, in Riyadh.
func (e *oppEnv) fridaysBetween(first, last time.Time) int {
	n := 0
	d0, _ := time.Parse(time.DateOnly, first.In(e.riyadh).Format(time.DateOnly))
	d1, _ := time.Parse(time.DateOnly, last.In(e.riyadh).Format(time.DateOnly))
	for d := d0; !d.After(d1); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Friday {
			n++
		}
	}
	return n
}

// oppSeriesGeneration: a weekly series makes its shifts on the right
// weekdays at the right local time, skips its exceptions, and generating
// again never makes a shift twice.
func oppSeriesGeneration(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	v := owner.Viewer()
	opp := e.opportunity(v, o, oppInput(volunteer.OppPublished))

	// The first Saturday at least three days ahead; four weeks of Sundays and Tuesdays, one Tuesday off.
	n := 3
	for time.Now().In(e.riyadh).AddDate(0, 0, n).Weekday() != time.Saturday {
		n++
	}
	from, until, skip := e.day(n), e.day(n+27), e.day(n+3)
	plan := e.shiftInput(1).ShiftPlan
	in := volunteer.SeriesInput{Weekdays: []int{2, 0, 2}, Start: "16:30", DurationMinutes: 90, From: from, Until: until,
		SkipDates: []string{skip}, ShiftPlan: plan}
	ser, err := e.a.Volunteer.CreateSeries(e.ctx, v, opp.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	starts := e.seriesShifts(ser.ID)
	if ser.ShiftsCreated != 7 || len(starts) != 7 {
		t.Fatalf("created %d, stored %d, want 7 (8 days less the one skipped)", ser.ShiftsCreated, len(starts))
	}
	for _, s := range starts {
		local := s.In(e.riyadh)
		if wd := local.Weekday(); wd != time.Sunday && wd != time.Tuesday {
			t.Errorf("shift on a %s", wd)
		}
		if local.Format("15:04") != "16:30" || s.Format("15:04") != "13:30" {
			t.Errorf("shift at %s local, %s UTC; want 16:30 and 13:30 (Riyadh has no summer time)", local.Format("15:04"), s.Format("15:04"))
		}
		if day := local.Format(time.DateOnly); day == skip || day < from || day > until {
			t.Errorf("shift on %s, outside %s..%s or on the skipped day", day, from, until)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM shift_roles r JOIN shifts s ON s.id = r.shift_id WHERE s.series_id = $1`, ser.ID); n != 14 {
		t.Errorf("%d roles, want 2 on each of 7 shifts", n)
	}
	var minutes int
	if err := e.d.R.QueryRowContext(e.ctx, `SELECT MIN(signup_opens_days) + MAX(cancel_cutoff_hours) FROM shifts WHERE series_id = $1`, ser.ID).Scan(&minutes); err != nil || minutes != 14+12 {
		t.Errorf("window not copied: %d %v", minutes, err)
	}
	for run := 0; run < 2; run++ {
		added, err := e.a.Volunteer.GenerateShifts(e.ctx, time.Now().Add(20*7*24*time.Hour))
		if err != nil || added != 0 {
			t.Fatalf("run %d added %d (%v) to a finished series", run, added, err)
		}
	}
	if got := e.seriesShifts(ser.ID); !slices.Equal(got, starts) {
		t.Fatalf("shifts changed by generating again: %v", got)
	}

	// An open-ended series: eight weeks now, more as the job runs, never twice.
	now := time.Now()
	open, err := e.a.Volunteer.CreateSeries(e.ctx, v, opp.ID, volunteer.SeriesInput{Weekdays: []int{5}, Start: "08:00", DurationMinutes: 240,
		From: e.day(1), ShiftPlan: plan})
	if err != nil {
		t.Fatal(err)
	}
	want := e.fridaysBetween(now.AddDate(0, 0, 1), now.Add(volunteer.SeriesHorizon))
	if got := len(e.seriesShifts(open.ID)); open.ShiftsCreated != want || got != want {
		t.Fatalf("open series made %d (stored %d), want %d Fridays", open.ShiftsCreated, got, want)
	}
	later := now.Add(12 * 7 * 24 * time.Hour)
	more := e.fridaysBetween(now.AddDate(0, 0, 1), later) - want
	for run := 0; run < 2; run++ {
		added, err := e.a.Volunteer.GenerateShifts(e.ctx, later)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 && added != more || run == 1 && added != 0 {
			t.Fatalf("run %d added %d, want %d", run, added, map[bool]int{true: more, false: 0}[run == 0])
		}
	}
	all := e.seriesShifts(open.ID)
	if len(all) != want+more {
		t.Fatalf("%d shifts, want %d", len(all), want+more)
	}
	for _, s := range all {
		if s.In(e.riyadh).Weekday() != time.Friday || s.In(e.riyadh).Hour() != 8 {
			t.Errorf("open series shift at %s", s.In(e.riyadh))
		}
	}
	// One generation job is booked, six hours ahead, however many series exist.
	if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_generate_shifts'`); n != 1 {
		t.Errorf("%d generation jobs booked, want 1", n)
	}
}

// oppSeriesValidation: every rule of the weekly form refuses bad input.
func oppSeriesValidation(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	opp := e.opportunity(owner.Viewer(), o, oppInput(volunteer.OppPublished))
	good := func() volunteer.SeriesInput {
		return volunteer.SeriesInput{Weekdays: []int{0}, Start: "09:00", DurationMinutes: 120, From: e.day(1), ShiftPlan: e.shiftInput(1).ShiftPlan}
	}
	// The first Saturday ahead, for a bounded series with no matching day.
	n := 1
	for time.Now().In(e.riyadh).AddDate(0, 0, n).Weekday() != time.Saturday {
		n++
	}
	for _, tc := range []struct {
		name, field, msg string
		change           func(in *volunteer.SeriesInput)
	}{
		{"no weekday", "weekdays", "volunteer.series.error.weekdays", func(in *volunteer.SeriesInput) { in.Weekdays = nil }},
		{"weekday out of range", "weekdays", "error.choice", func(in *volunteer.SeriesInput) { in.Weekdays = []int{7} }},
		{"start required", "start", "error.required", func(in *volunteer.SeriesInput) { in.Start = "" }},
		{"start malformed", "start", "volunteer.shift.error.time", func(in *volunteer.SeriesInput) { in.Start = "9h" }},
		{"too short", "duration_minutes", "volunteer.series.error.duration", func(in *volunteer.SeriesInput) { in.DurationMinutes = 10 }},
		{"too long", "duration_minutes", "volunteer.series.error.duration", func(in *volunteer.SeriesInput) { in.DurationMinutes = 1441 }},
		{"first day required", "from", "error.required", func(in *volunteer.SeriesInput) { in.From = "" }},
		{"first day malformed", "from", "volunteer.shift.error.date", func(in *volunteer.SeriesInput) { in.From = "15/03/2026" }},
		{"first day past", "from", "volunteer.series.error.from_past", func(in *volunteer.SeriesInput) { in.From = e.day(-1) }},
		{"last before first", "until", "volunteer.series.error.until_before_from", func(in *volunteer.SeriesInput) { in.Until = e.day(0) }},
		{"last too far", "until", "volunteer.series.error.until_far", func(in *volunteer.SeriesInput) { in.Until = e.day(1 + 366*2) }},
		{"skip date malformed", "skip_dates", "volunteer.series.error.skip_dates", func(in *volunteer.SeriesInput) { in.SkipDates = []string{"Eid"} }},
		{"no occurrence", "weekdays", "volunteer.series.error.no_occurrence", func(in *volunteer.SeriesInput) {
			in.Weekdays, in.From, in.Until = []int{0}, e.day(n), e.day(n) // a Saturday only, on Sundays
		}},
		{"roles checked", "roles.0.slots", "volunteer.shift.error.slots", func(in *volunteer.SeriesInput) { in.Roles[0].Slots = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.change(&in)
			_, err := e.a.Volunteer.CreateSeries(e.ctx, owner.Viewer(), opp.ID, in)
			if got := oppFields(t, err)[tc.field]; got != tc.msg {
				t.Errorf("field %s: %q, want %q (all: %v)", tc.field, got, tc.msg, oppFields(t, err))
			}
		})
	}
	if n := e.count(`SELECT COUNT(*) FROM shift_series WHERE opportunity_id = $1`, opp.ID) + e.count(`SELECT COUNT(*) FROM shifts WHERE opportunity_id = $1`, opp.ID); n != 0 {
		t.Fatalf("%d rows written by refused input", n)
	}
	if got := volunteer.ParseSkipDates("2026-03-01، ٢٠٢٦-٠٣-٠٥\n2026-03-09"); !slices.Equal(got, []string{"2026-03-01", "2026-03-05", "2026-03-09"}) {
		t.Errorf("ParseSkipDates: %q", got)
	}
}

// TestSeries: weekly series, their validation and their generation.
func TestSeries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := oppSetup(t, d)
		t.Run("validation", func(t *testing.T) { oppSeriesValidation(t, e) })
		t.Run("generation", func(t *testing.T) { oppSeriesGeneration(t, e) })
	})
}
