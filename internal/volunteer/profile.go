package volunteer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Limits of the volunteer profile.
const (
	MaxTravelRadiusKm = 500
	MaxWeeklyHours    = 168
	MaxWeeklyShifts   = 50
	MaxWindowsPerDay  = 2
	MaxAways          = 50
	MaxAwayDays       = 366
	maxContactName    = 100
	maxAwayNote       = 200
	MinVolunteerAge   = 10
	MaxVolunteerAge   = 110
	defaultRadiusKm   = 10
)

// ProfileInput is what a person submits to create or edit their volunteer
// profile. Field names in errors are the form and JSON names.
type ProfileInput struct {
	// CharterAccepted must be true when the profile is created, and again
	// when the charter's version has changed since it was accepted.
	CharterAccepted bool          `json:"charter_accepted"`
	Skills          []string      `json:"skills"`
	Languages       []string      `json:"languages"`
	Interests       []string      `json:"interests"`
	Availability    []WindowInput `json:"availability"`
	// Exceptions replace the saved periods away when not nil (the JSON key
	// present and not null); nil keeps them, which is what the profile page does.
	Exceptions      []AwayInput `json:"exceptions"`
	HomePlaceID     string      `json:"home_place_id"`
	Lat             *float64    `json:"lat"`
	Lon             *float64    `json:"lon"`
	TravelRadiusKm  int         `json:"travel_radius_km"`
	MaxHoursWeek    int         `json:"max_hours_week"`
	MaxShiftsWeek   int         `json:"max_shifts_week"`
	Gender          Gender      `json:"gender"`
	BirthDate       string      `json:"birth_date"`
	EmergencyName   string      `json:"emergency_name"`
	EmergencyPhone  string      `json:"emergency_phone"`
	RemindersOptOut bool        `json:"reminders_opt_out"`
	// Phone is the volunteer's own number, optional; the organisations
	// whose shifts they sign up for see it on their rosters.
	Phone string `json:"phone"`
}

// WindowInput is a weekly availability window as people write it: weekday 0
// (Sunday) to 6 (Saturday) and times HH:MM in Latin or Arabic-Indic digits;
// the end may be 24:00.
type WindowInput struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// AwayInput is a period away, dates YYYY-MM-DD inclusive.
type AwayInput struct {
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Note     string `json:"note"`
}

// AvailabilityField is the error key of a weekday's windows ("availability.3").
func AvailabilityField(day time.Weekday) string { return "availability." + strconv.Itoa(int(day)) }

// profParseClock reads H, HH, H:MM or HH:MM (any digits) as minutes after
// midnight; end allows 24:00.
func profParseClock(s string, end bool) (int, bool) {
	s = strings.TrimSpace(i18n.NormalizeDigits(s))
	h, m, hasMin := strings.Cut(s, ":")
	if h == "" || len(h) > 2 || !profAllDigits(h) || (hasMin && (len(m) != 2 || !profAllDigits(m))) {
		return 0, false
	}
	hh, _ := strconv.Atoi(h)
	mm := 0
	if hasMin {
		mm, _ = strconv.Atoi(m)
	}
	if mm > 59 || hh > 24 || (hh == 24 && (mm != 0 || !end)) {
		return 0, false
	}
	return hh*60 + mm, true
}

func profAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatClock writes minutes after midnight as HH:MM.
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// profWindowSep splits a day's windows; profRangeSep splits a window's start and end.
var (
	profWindowSep = regexp.MustCompile(`[,،;؛\n]+`)
	profRangeSep  = regexp.MustCompile(`\s*[-–—−‐]\s*|\s+(?:to|إلى|الى|حتى)\s+`)
)

// ParseDayWindows reads what a person typed for one weekday ("09:00–12:00،
// 16:00–20:00", Latin or Arabic-Indic digits) into window inputs; an empty
// text is no window. A piece without a dash becomes a window without an
// end, which validation reports.
func ParseDayWindows(day time.Weekday, text string) []WindowInput {
	var out []WindowInput
	for _, piece := range profWindowSep.Split(text, -1) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		parts := profRangeSep.Split(piece, 2)
		w := WindowInput{Weekday: int(day), Start: strings.TrimSpace(parts[0])}
		if len(parts) == 2 {
			w.End = strings.TrimSpace(parts[1])
		}
		out = append(out, w)
	}
	return out
}

// FormatDayWindows writes a day's windows the way ParseDayWindows reads them.
func FormatDayWindows(ws []Window, day time.Weekday) string {
	var parts []string
	for _, w := range ws {
		if w.Weekday == day {
			parts = append(parts, FormatClock(w.StartMinute)+"–"+FormatClock(w.EndMinute))
		}
	}
	return strings.Join(parts, "، ")
}

// profCheckWindows validates and converts windows; errors are keyed per weekday.
func profCheckWindows(in []WindowInput, errs map[string]string) []Window {
	var out []Window
	perDay := map[int][]Window{}
	for _, wi := range in {
		if wi.Weekday < 0 || wi.Weekday > 6 {
			errs["availability"] = "volunteer.profile.error.weekday"
			continue
		}
		key := AvailabilityField(time.Weekday(wi.Weekday))
		if _, bad := errs[key]; bad {
			continue
		}
		start, ok1 := profParseClock(wi.Start, false)
		end, ok2 := profParseClock(wi.End, true)
		switch {
		case !ok1 || !ok2:
			errs[key] = "volunteer.profile.error.window_format"
			continue
		case start >= end:
			errs[key] = "volunteer.profile.error.window_order"
			continue
		}
		w := Window{Weekday: time.Weekday(wi.Weekday), StartMinute: start, EndMinute: end}
		day := perDay[wi.Weekday]
		for _, o := range day {
			if w.StartMinute < o.EndMinute && o.StartMinute < w.EndMinute {
				errs[key] = "volunteer.profile.error.window_overlap"
			}
		}
		if len(day) >= MaxWindowsPerDay {
			errs[key] = "volunteer.profile.error.window_count"
		}
		if _, bad := errs[key]; bad {
			continue
		}
		perDay[wi.Weekday] = append(day, w)
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b Window) int {
		if a.Weekday != b.Weekday {
			return int(a.Weekday) - int(b.Weekday)
		}
		return a.StartMinute - b.StartMinute
	})
	return out
}

// profParseDate reads YYYY-MM-DD (any digits) and reports whether it is a real date.
func profParseDate(s string) (string, time.Time, bool) {
	s = strings.TrimSpace(i18n.NormalizeDigits(s))
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return s, time.Time{}, false
	}
	return s, t, true
}

// ageOn is the age in whole years on day profToday of someone born on birth.
func ageOn(birth, profToday time.Time) int {
	age := profToday.Year() - birth.Year()
	if profToday.Month() < birth.Month() || (profToday.Month() == birth.Month() && profToday.Day() < birth.Day()) {
		age--
	}
	return age
}

// profPhoneRe accepts what people write for a phone number once digits are
// ASCII: digits, spaces, ( ) and -, after an optional +; 6 to 25 characters
// after the +.
var profPhoneRe = regexp.MustCompile(`^\+?[0-9(][0-9 ()\-]{5,24}$`)

// profPhoneOK reports whether s (digits ASCII) is a phone number: the
// characters profPhoneRe accepts, with at least six digits.
func profPhoneOK(s string) bool {
	return profPhoneRe.MatchString(s) && strings.Count(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'd'
		}
		return -1
	}, s), "d") >= 6
}

// profToday is the current date in the service's zone.
func (s *Service) profToday() time.Time {
	n := s.now().In(s.zone)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// profCheckAway validates one period away; errors go to prefix+field.
func (s *Service) profCheckAway(a *AwayInput, prefix string, errs map[string]string) {
	var from, to time.Time
	var ok bool
	if a.StartsOn, from, ok = profParseDate(a.StartsOn); !ok {
		errs[prefix+"starts_on"] = profDateProblem(a.StartsOn)
	}
	var ok2 bool
	if a.EndsOn, to, ok2 = profParseDate(a.EndsOn); !ok2 {
		errs[prefix+"ends_on"] = profDateProblem(a.EndsOn)
	}
	a.Note = strings.TrimSpace(a.Note)
	if utf8.RuneCountInString(a.Note) > maxAwayNote {
		errs[prefix+"note"] = "volunteer.profile.error.note_long"
	}
	if !ok || !ok2 {
		return
	}
	switch {
	case to.Before(from):
		errs[prefix+"ends_on"] = "volunteer.profile.error.away_order"
	case to.Before(s.profToday()):
		errs[prefix+"ends_on"] = "volunteer.profile.error.away_past"
	case to.Sub(from) > MaxAwayDays*24*time.Hour:
		errs[prefix+"ends_on"] = "volunteer.profile.error.away_long"
	}
}

func profDateProblem(s string) string {
	if s == "" {
		return "error.required"
	}
	return "volunteer.profile.error.date"
}

// checkProfile normalises in and returns field → message id for every
// problem. existing is the saved profile, nil on creation.
func (s *Service) checkProfile(ctx context.Context, in *ProfileInput, existing *Profile) (map[string]string, []Window, error) {
	errs := map[string]string{}
	if !in.CharterAccepted && (existing == nil || existing.CharterVersion != CharterVersion) {
		errs["charter_accepted"] = "volunteer.charter.error.required"
	}
	if len(in.Skills) > 0 {
		known, err := s.Skills(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range in.Skills {
			if !slices.ContainsFunc(known, func(k Skill) bool { return k.ID == id }) {
				errs["skills"] = "error.choice"
			}
		}
	}
	in.Skills = profUniq(in.Skills)
	for _, l := range in.Languages {
		if !slices.Contains(Languages, l) {
			errs["languages"] = "error.choice"
		}
	}
	if in.Languages = profUniq(in.Languages); len(in.Languages) == 0 {
		if _, bad := errs["languages"]; !bad {
			errs["languages"] = "volunteer.profile.error.languages_required"
		}
	}
	for _, c := range in.Interests {
		if !ValidCategory(c) {
			errs["interests"] = "error.choice"
		}
	}
	in.Interests = profUniq(in.Interests)
	windows := profCheckWindows(in.Availability, errs)
	if len(in.Exceptions) > MaxAways {
		errs["exceptions"] = "volunteer.profile.error.away_many"
	} else {
		for i := range in.Exceptions {
			s.profCheckAway(&in.Exceptions[i], fmt.Sprintf("exceptions[%d].", i), errs)
		}
	}
	if in.HomePlaceID = strings.TrimSpace(in.HomePlaceID); in.HomePlaceID != "" {
		ok, err := s.orgs.PlaceExists(ctx, in.HomePlaceID)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			errs["home_place_id"] = "error.choice"
		}
	}
	switch {
	case (in.Lat == nil) != (in.Lon == nil):
		if in.Lat == nil {
			errs["lat"] = "volunteer.profile.error.latlon_pair"
		} else {
			errs["lon"] = "volunteer.profile.error.latlon_pair"
		}
	case in.Lat != nil && !(*in.Lat >= -90 && *in.Lat <= 90): // also refuses NaN
		errs["lat"] = "volunteer.profile.error.lat"
	case in.Lon != nil && !(*in.Lon >= -180 && *in.Lon <= 180):
		errs["lon"] = "volunteer.profile.error.lon"
	}
	if in.TravelRadiusKm < 1 || in.TravelRadiusKm > MaxTravelRadiusKm {
		errs["travel_radius_km"] = "volunteer.profile.error.radius"
	}
	if in.MaxHoursWeek < 0 || in.MaxHoursWeek > MaxWeeklyHours {
		errs["max_hours_week"] = "volunteer.profile.error.max_hours"
	}
	if in.MaxShiftsWeek < 0 || in.MaxShiftsWeek > MaxWeeklyShifts {
		errs["max_shifts_week"] = "volunteer.profile.error.max_shifts"
	}
	if in.Gender != GenderUnset && in.Gender != Female && in.Gender != Male {
		errs["gender"] = "error.choice"
	}
	if strings.TrimSpace(in.BirthDate) != "" {
		var born time.Time
		var ok bool
		in.BirthDate, born, ok = profParseDate(in.BirthDate)
		profToday := s.profToday()
		switch {
		case !ok:
			errs["birth_date"] = "volunteer.profile.error.date"
		case born.After(profToday):
			errs["birth_date"] = "volunteer.profile.error.birth_future"
		case ageOn(born, profToday) < MinVolunteerAge:
			errs["birth_date"] = "volunteer.profile.error.too_young"
		case ageOn(born, profToday) > MaxVolunteerAge:
			errs["birth_date"] = "volunteer.profile.error.too_old"
		}
	} else {
		in.BirthDate = ""
	}
	in.EmergencyName = strings.TrimSpace(in.EmergencyName)
	in.EmergencyPhone = strings.TrimSpace(i18n.NormalizeDigits(in.EmergencyPhone))
	switch {
	case utf8.RuneCountInString(in.EmergencyName) > maxContactName:
		errs["emergency_name"] = "volunteer.profile.error.name_long"
	case in.EmergencyName == "" && in.EmergencyPhone != "":
		errs["emergency_name"] = "volunteer.profile.error.contact_pair"
	}
	if in.Phone = strings.TrimSpace(i18n.NormalizeDigits(in.Phone)); in.Phone != "" && !profPhoneOK(in.Phone) {
		errs["phone"] = "volunteer.profile.error.phone"
	}
	switch {
	case in.EmergencyPhone != "" && !profPhoneOK(in.EmergencyPhone):
		errs["emergency_phone"] = "volunteer.profile.error.phone"
	case in.EmergencyPhone == "" && in.EmergencyName != "":
		errs["emergency_phone"] = "volunteer.profile.error.contact_pair"
	}
	return errs, windows, nil
}

func profUniq(xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// newCalendarKey is a random URL-safe secret of 256 bits.
func newCalendarKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// Profile returns a person's volunteer profile; db.ErrNotFound when they
// have not created one yet.
func (s *Service) Profile(ctx context.Context, userID string) (*Profile, error) {
	p, err := loadProfile(ctx, s.db.R, userID)
	if err != nil {
		return nil, fmt.Errorf("volunteer profile %s: %w", userID, err)
	}
	return p, nil
}

// profileCentroid is the location of a place, or of the nearest place above it
// that has one; nil when none has.
func (s *Service) profileCentroid(ctx context.Context, placeID string) (lat, lon *float64, err error) {
	p, err := s.orgs.Place(ctx, placeID)
	if err != nil {
		return nil, nil, err
	}
	if p.Lat != nil && p.Lon != nil {
		return p.Lat, p.Lon, nil
	}
	anc, err := s.orgs.Ancestors(ctx, placeID)
	if err != nil {
		return nil, nil, err
	}
	for i := len(anc) - 1; i >= 0; i-- {
		if anc[i].Lat != nil && anc[i].Lon != nil {
			return anc[i].Lat, anc[i].Lon, nil
		}
	}
	return nil, nil, nil
}

// SaveProfile creates the viewer's volunteer profile (the charter must be
// accepted) or saves their changes. Skills kept keep their verification;
// a skill removed loses it.
func (s *Service) SaveProfile(ctx context.Context, viewer *httpx.Viewer, in ProfileInput) (*Profile, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	existing, err := loadProfile(ctx, s.db.R, viewer.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	errs, windows, err := s.checkProfile(ctx, &in, existing)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	if in.Lat == nil && in.HomePlaceID != "" {
		if in.Lat, in.Lon, err = s.profileCentroid(ctx, in.HomePlaceID); err != nil {
			return nil, err
		}
	}
	now := s.now()
	var out *Profile
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		action := "volunteer.profile.update"
		if existing == nil {
			action = "volunteer.profile.create"
			if err := insertProfile(ctx, tx, viewer.ID, &in, newCalendarKey(), now); err != nil {
				return err
			}
		} else if err := updateProfile(ctx, tx, viewer.ID, &in, now); err != nil {
			return err
		}
		if err := replaceSkills(ctx, tx, viewer.ID, in.Skills); err != nil {
			return err
		}
		if err := replaceAvailability(ctx, tx, viewer.ID, windows); err != nil {
			return err
		}
		if in.Exceptions != nil {
			if err := replaceAways(ctx, tx, viewer.ID, in.Exceptions); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: action, TargetType: "user", TargetID: viewer.ID,
			IP: httpx.ClientIP(ctx), Details: map[string]string{"charter": CharterVersion}}); err != nil {
			return err
		}
		var err error
		out, err = loadProfile(ctx, tx, viewer.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save volunteer profile: %w", err)
	}
	return out, nil
}

// ErrProfileMissing refuses what needs a volunteer profile first.
var ErrProfileMissing = &httpx.Error{Status: 409, Type: "volunteer-profile-missing", MsgID: "volunteer.profile.error.missing"}

// AddAway records a period when the viewer is not available.
func (s *Service) AddAway(ctx context.Context, viewer *httpx.Viewer, in AwayInput) (*Away, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	errs := map[string]string{}
	s.profCheckAway(&in, "", errs)
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	a := &Away{ID: db.NewID(), StartsOn: in.StartsOn, EndsOn: in.EndsOn, Note: in.Note}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		n, err := countAways(ctx, tx, viewer.ID)
		if errors.Is(err, db.ErrNotFound) {
			return ErrProfileMissing
		}
		if err != nil {
			return err
		}
		if n >= MaxAways {
			return httpx.Invalid(map[string]string{"starts_on": "volunteer.profile.error.away_many"})
		}
		return insertAway(ctx, tx, viewer.ID, a)
	})
	if err != nil {
		return nil, fmt.Errorf("add period away: %w", err)
	}
	return a, nil
}

// RemoveAway deletes one of the viewer's periods away.
func (s *Service) RemoveAway(ctx context.Context, viewer *httpx.Viewer, id string) error {
	if viewer == nil {
		return httpx.ErrUnauthorized
	}
	res, err := s.db.W.ExecContext(ctx, `DELETE FROM availability_exceptions WHERE id = $1 AND user_id = $2`, id, viewer.ID)
	if err != nil {
		return fmt.Errorf("remove period away: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return httpx.ErrNotFound
	}
	return nil
}

// RegenerateCalendarKey replaces the viewer's secret calendar address, so
// that the old one stops working; it returns the new key.
func (s *Service) RegenerateCalendarKey(ctx context.Context, viewer *httpx.Viewer) (string, error) {
	if viewer == nil {
		return "", httpx.ErrUnauthorized
	}
	key := newCalendarKey()
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE volunteer_profiles SET calendar_key = $1, updated_at = $2 WHERE user_id = $3`, key, s.now(), viewer.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrProfileMissing
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.calendar_key", TargetType: "user", TargetID: viewer.ID,
			IP: httpx.ClientIP(ctx)})
	})
	if err != nil {
		return "", fmt.Errorf("new calendar key: %w", err)
	}
	return key, nil
}

// CalendarURL is the address of a calendar feed for a key.
func (s *Service) CalendarURL(key string) string { return s.baseURL + "/calendar/" + key + ".ics" }

// Skills lists the shared skills taxonomy.
func (s *Service) Skills(ctx context.Context) ([]Skill, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name_ar, name_en FROM skills ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list skills: %w", err)
	}
	defer rows.Close()
	out := []Skill{}
	for rows.Next() {
		var k Skill
		if err := rows.Scan(&k.ID, &k.NameAr, &k.NameEn); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ErrSkillNotClaimed refuses to verify a skill the volunteer has not listed.
var ErrSkillNotClaimed = &httpx.Error{Status: 409, Type: "skill-not-claimed", MsgID: "volunteer.profile.error.skill_not_claimed"}

// VerifySkill records that the organisation vouches for a skill the
// volunteer has listed; only its coordinators may, and it is audited.
func (s *Service) VerifySkill(ctx context.Context, viewer *httpx.Viewer, orgID, userID, skillID string) error {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return err
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE volunteer_skills SET verified_by = $1, verified_at = $2 WHERE user_id = $3 AND skill_id = $4`,
			orgID, s.now(), userID, skillID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrSkillNotClaimed
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.skill.verify", TargetType: "user", TargetID: userID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"skill": skillID}})
	})
	if err != nil {
		return fmt.Errorf("verify skill %s of %s: %w", skillID, userID, err)
	}
	return nil
}

// profHours writes minutes as hours with one decimal (90 → 1.5) in the
// locale's digits, with grouping.
func profHours(loc *i18n.Locale, minutes int) string {
	tenths := int64(math.Round(float64(minutes) / 6))
	whole := loc.Number(tenths / 10)
	frac := loc.Digitize(strconv.FormatInt(tenths%10, 10))
	sep := "."
	if loc.Digitize("1") != "1" {
		sep = "٫"
	}
	return whole + sep + frac
}
