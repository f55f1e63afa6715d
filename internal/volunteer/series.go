package volunteer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// SeriesHorizon is how far ahead a weekly series has its shifts generated.
const SeriesHorizon = 8 * 7 * 24 * time.Hour

// SeriesGenerateEvery is how often the generation job runs.
const SeriesGenerateEvery = 6 * time.Hour

// Limits of a weekly series.
const (
	MinSeriesMinutes = 15
	MaxSeriesMinutes = 24 * 60
	MaxSkipDates     = 60
	MaxSeriesYears   = 2
)

// Series is a weekly rule that generates an opportunity's shifts ahead of
// time. Weekdays are 0 (Sunday) to 6 (Saturday); dates are YYYY-MM-DD and
// times HH:MM in the platform's zone; Until is "" when the series goes on.
type Series struct {
	ID              string      `json:"id"`
	OpportunityID   string      `json:"opportunity_id"`
	Weekdays        []int       `json:"weekdays"`
	Start           string      `json:"start"`
	DurationMinutes int         `json:"duration_minutes"`
	From            string      `json:"from"`
	Until           string      `json:"until"`
	SkipDates       []string    `json:"skip_dates"`
	Roles           []RoleInput `json:"roles"`
	TeamSize        int         `json:"team_size"`
	SignupOpensDays int         `json:"signup_opens_days"`
	// SignupClosesHours and CancelCutoffHours are copied onto every shift.
	SignupClosesHours int       `json:"signup_closes_hours"`
	CancelCutoffHours int       `json:"cancel_cutoff_hours"`
	GeneratedUntil    string    `json:"generated_until"`
	CreatedAt         time.Time `json:"created_at"`
	// ShiftsCreated is how many shifts the last generation added (set on creation).
	ShiftsCreated int `json:"shifts_created"`
	startMinute   int
}

// SeriesInput is a weekly rule as a coordinator describes it.
type SeriesInput struct {
	Weekdays        []int  `json:"weekdays"`
	Start           string `json:"start"`
	DurationMinutes int    `json:"duration_minutes"`
	From            string `json:"from"`
	Until           string `json:"until"`
	// SkipDates are days (YYYY-MM-DD) with no shift: holidays, Eid, a closure.
	SkipDates []string `json:"skip_dates"`
	ShiftPlan
}

// ParseSkipDates splits what a person types for the skipped days (one per
// line, or separated by commas or spaces, in any digits).
func ParseSkipDates(text string) []string {
	text = i18n.NormalizeDigits(text)
	return strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == '،' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	})
}

// Validate normalizes the input and returns field → message id for every
// problem that needs no database, as of now in zone.
func (in *SeriesInput) Validate(now time.Time, zone *time.Location) map[string]string {
	errs := map[string]string{}
	today := now.In(zone).Format(time.DateOnly)
	var days []int
	for _, d := range in.Weekdays {
		if d < 0 || d > 6 {
			errs["weekdays"] = "error.choice"
		} else if !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	in.Weekdays = days
	if len(days) == 0 {
		if _, bad := errs["weekdays"]; !bad {
			errs["weekdays"] = "volunteer.series.error.weekdays"
		}
	}
	start, okStart := shiftParseClock(in.Start)
	switch {
	case strings.TrimSpace(in.Start) == "":
		errs["start"] = "error.required"
	case !okStart:
		errs["start"] = "volunteer.shift.error.time"
	default:
		in.Start = shiftClock(start)
	}
	if in.DurationMinutes < MinSeriesMinutes || in.DurationMinutes > MaxSeriesMinutes {
		errs["duration_minutes"] = "volunteer.series.error.duration"
	}
	from, okFrom := shiftParseDate(in.From)
	switch {
	case strings.TrimSpace(in.From) == "":
		errs["from"] = "error.required"
	case !okFrom:
		errs["from"] = "volunteer.shift.error.date"
	case from.Format(time.DateOnly) < today:
		errs["from"] = "volunteer.series.error.from_past"
	default:
		in.From = from.Format(time.DateOnly)
	}
	if strings.TrimSpace(in.Until) != "" {
		until, ok := shiftParseDate(in.Until)
		switch {
		case !ok:
			errs["until"] = "volunteer.shift.error.date"
		case okFrom && until.Before(from):
			errs["until"] = "volunteer.series.error.until_before_from"
		case okFrom && until.After(from.AddDate(MaxSeriesYears, 0, 0)):
			errs["until"] = "volunteer.series.error.until_far"
		default:
			in.Until = until.Format(time.DateOnly)
		}
	} else {
		in.Until = ""
	}
	skips := []string{}
	for _, d := range in.SkipDates {
		if strings.TrimSpace(d) == "" {
			continue
		}
		t, ok := shiftParseDate(d)
		if !ok {
			errs["skip_dates"] = "volunteer.series.error.skip_dates"
			continue
		}
		if s := t.Format(time.DateOnly); !slices.Contains(skips, s) {
			skips = append(skips, s)
		}
	}
	slices.Sort(skips)
	in.SkipDates = skips
	if len(skips) > MaxSkipDates {
		errs["skip_dates"] = "volunteer.series.error.too_many_skips"
	}
	in.ShiftPlan.validate(errs)
	if len(errs) == 0 && in.Until != "" {
		// A bounded series must have at least one shift to make.
		ser := &Series{Weekdays: in.Weekdays, From: in.From, Until: in.Until, SkipDates: in.SkipDates, startMinute: start, DurationMinutes: in.DurationMinutes}
		if len(ser.occurrences(in.From, in.Until, now, zone)) == 0 {
			errs["weekdays"] = "volunteer.series.error.no_occurrence"
		}
	}
	return errs
}

// occurrences lists the starts of the series' shifts on the days from..to
// (inclusive), skipping the exceptions and anything that starts before now.
func (ser *Series) occurrences(from, to string, now time.Time, zone *time.Location) []time.Time {
	first, ok1 := shiftParseDate(from)
	last, ok2 := shiftParseDate(to)
	if !ok1 || !ok2 {
		return nil
	}
	var out []time.Time
	// Calendar days are walked in UTC, where every day has 24 hours; the
	// start is then placed on that day in the zone.
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if !slices.Contains(ser.Weekdays, int(d.Weekday())) || slices.Contains(ser.SkipDates, d.Format(time.DateOnly)) {
			continue
		}
		if start := at(d, ser.startMinute, zone); start.After(now) {
			out = append(out, start.UTC())
		}
	}
	return out
}

// CreateSeries adds a weekly rule to an opportunity and generates its shifts
// for the coming SeriesHorizon in the same transaction; a job keeps
// generating them as time passes. Only the organisation's coordinators may.
func (s *Service) CreateSeries(ctx context.Context, viewer *httpx.Viewer, oppID string, in SeriesInput) (*Series, error) {
	o, err := s.manageOpportunity(ctx, viewer, oppID)
	if err != nil {
		return nil, err
	}
	if o.Status == OppArchived {
		return nil, ErrOppArchived
	}
	now := s.now()
	submitted := in.Roles
	errs := in.Validate(now, s.zone)
	if err := s.checkRoleSkills(ctx, in.Roles, rowIndex(submitted), errs); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	start, _ := shiftParseClock(in.Start)
	ser := &Series{ID: db.NewID(), OpportunityID: o.ID, Weekdays: in.Weekdays, Start: in.Start, DurationMinutes: in.DurationMinutes,
		From: in.From, Until: in.Until, SkipDates: in.SkipDates, Roles: in.Roles, TeamSize: in.TeamSize, SignupOpensDays: in.SignupOpensDays,
		SignupClosesHours: in.SignupClosesHours, CancelCutoffHours: in.CancelCutoffHours, CreatedAt: now, startMinute: start}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := seriesInsert(ctx, tx, ser); err != nil {
			return err
		}
		n, err := s.generateSeries(ctx, tx, ser, now.Add(SeriesHorizon), now)
		if err != nil {
			return err
		}
		ser.ShiftsCreated = n
		if err := s.scheduleGeneration(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.series.create", TargetType: "shift_series", TargetID: ser.ID,
			OrgID: o.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": o.ID, "weekdays": weekdayList(ser.Weekdays),
				"start": ser.Start, "from": ser.From, "until": ser.Until, "shifts": strconv.Itoa(n)}})
	})
	if err != nil {
		return nil, fmt.Errorf("create series: %w", err)
	}
	return ser, nil
}

func weekdayList(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return joinList(parts)
}

// GenerateShifts makes the shifts of every live series up to until (by its
// day in the platform's zone) and returns how many it added. Running it
// again adds nothing: an occurrence that exists is never made twice.
func (s *Service) GenerateShifts(ctx context.Context, until time.Time) (int, error) {
	now := s.now()
	today := now.In(s.zone).Format(time.DateOnly)
	ids, err := seriesDue(ctx, s.db.R, today, until.In(s.zone).Format(time.DateOnly))
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		err := s.db.WithTx(ctx, func(tx db.Tx) error {
			ser, err := seriesByID(ctx, tx, id)
			if err != nil {
				return err
			}
			n, err := s.generateSeries(ctx, tx, ser, until, now)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("generate shifts of series %s: %w", id, err)
		}
	}
	return total, nil
}

// generateSeries makes the series' shifts from the day after it was last
// generated (or its first day, or today) up to until, and records how far it got.
func (s *Service) generateSeries(ctx context.Context, tx db.Tx, ser *Series, until, now time.Time) (int, error) {
	to := until.In(s.zone).Format(time.DateOnly)
	if ser.Until != "" && ser.Until < to {
		to = ser.Until
	}
	from := max(ser.From, now.In(s.zone).Format(time.DateOnly))
	if ser.GeneratedUntil != "" {
		if last, ok := shiftParseDate(ser.GeneratedUntil); ok {
			from = max(from, last.AddDate(0, 0, 1).Format(time.DateOnly))
		}
	}
	if from > to {
		return 0, nil
	}
	n := 0
	for _, start := range ser.occurrences(from, to, now, s.zone) {
		sh := &Shift{ID: db.NewID(), OpportunityID: ser.OpportunityID, SeriesID: ser.ID, StartsAt: start,
			EndsAt: start.Add(time.Duration(ser.DurationMinutes) * time.Minute), TeamSize: ser.TeamSize,
			SignupOpensDays: ser.SignupOpensDays, SignupClosesHours: ser.SignupClosesHours, CancelCutoffHours: ser.CancelCutoffHours}
		made, err := shiftInsert(ctx, tx, sh, ser.Roles, now)
		if err != nil {
			return n, err
		}
		if made {
			n++
		}
	}
	ser.GeneratedUntil = to
	if n > 0 {
		if err := s.reindexOpportunityDays(ctx, tx, ser.OpportunityID); err != nil {
			return n, err
		}
	}
	return n, seriesSetGenerated(ctx, tx, ser.ID, to)
}

// GenerateShiftsArgs is the job that keeps weekly series generated ahead.
type GenerateShiftsArgs struct{}

// Kind names the job in River's table; changing it strands queued jobs.
func (GenerateShiftsArgs) Kind() string { return "volunteer_generate_shifts" }

// generateShiftsWorker generates the series' shifts, then is due again
// SeriesGenerateEvery later: it enqueues its own next run, unique per
// period, so however many series are created there is one run per period.
type generateShiftsWorker struct {
	river.WorkerDefaults[GenerateShiftsArgs]
	svc *Service
}

func (w *generateShiftsWorker) Timeout(*river.Job[GenerateShiftsArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *generateShiftsWorker) Work(ctx context.Context, job *river.Job[GenerateShiftsArgs]) error {
	// The next run is booked first, so a failure below (retried by River)
	// never breaks the chain.
	if err := w.svc.db.WithTx(ctx, func(tx db.Tx) error { return w.svc.scheduleGeneration(ctx, tx) }); err != nil {
		return err
	}
	_, err := w.svc.GenerateShifts(ctx, w.svc.now().Add(SeriesHorizon))
	return err
}

// scheduleGeneration books the next generation run inside tx, unless one is
// already booked for the same period.
func (s *Service) scheduleGeneration(ctx context.Context, tx db.Tx) error {
	if s.jobs == nil {
		return nil
	}
	return s.jobs.Enqueue(ctx, tx, GenerateShiftsArgs{}, &river.InsertOpts{
		ScheduledAt: s.now().Add(SeriesGenerateEvery),
		UniqueOpts:  river.UniqueOpts{ByPeriod: SeriesGenerateEvery},
	})
}

// addShiftWorkers registers the shift generation job.
func addShiftWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &generateShiftsWorker{svc: s})
}

// seriesRolesJSON is how a series keeps its role templates.
func seriesRolesJSON(roles []RoleInput) (string, error) {
	b, err := json.Marshal(roles)
	return string(b), err
}
