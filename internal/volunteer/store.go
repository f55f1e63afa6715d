package volunteer

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"sharaka/internal/platform/db"
)

// Loaders shared by every part of the package. They take a Querier so that
// a use case can read inside its own transaction.

// joinList and splitList store small sets (languages, interests, weekdays) as comma-separated text.
func joinList(xs []string) string { return strings.Join(xs, ",") }

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func floatPtr(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return &n.Float64
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// loadProfile reads a volunteer's profile with skills, availability and
// exceptions; db.ErrNotFound when the person has no volunteer profile yet.
func loadProfile(ctx context.Context, q db.Querier, userID string) (*Profile, error) {
	p := &Profile{}
	var gender, langs, interests string
	var lat, lon sql.NullFloat64
	err := q.QueryRowContext(ctx, `SELECT v.user_id, u.name, u.email, v.gender, v.birth_date, COALESCE(v.home_place_id, ''), v.lat, v.lon,
			v.travel_radius_km, v.max_hours_week, v.max_shifts_week, v.languages, v.interests, v.emergency_name, v.emergency_phone,
			v.reminders_opt_out, v.calendar_key, v.charter_version, v.charter_accepted_at, v.created_at, v.updated_at
		FROM volunteer_profiles v JOIN users u ON u.id = v.user_id WHERE v.user_id = $1`, userID).Scan(
		&p.UserID, &p.Name, &p.Email, &gender, &p.BirthDate, &p.HomePlaceID, &lat, &lon,
		&p.TravelRadiusKm, &p.MaxHoursWeek, &p.MaxShiftsWeek, &langs, &interests, &p.EmergencyName, &p.EmergencyPhone,
		&p.RemindersOptOut, &p.CalendarKey, &p.CharterVersion, &p.CharterAcceptedAt, &p.CreatedAt, &p.Updated)
	if err != nil {
		return nil, db.Map(err)
	}
	p.Gender, p.Lat, p.Lon = Gender(gender), floatPtr(lat), floatPtr(lon)
	p.Languages, p.Interests = splitList(langs), splitList(interests)

	rows, err := q.QueryContext(ctx, `SELECT skill_id, COALESCE(verified_by, '') FROM volunteer_skills WHERE user_id = $1 ORDER BY skill_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("load skills: %w", err)
	}
	for rows.Next() {
		var s ProfileSkill
		if err := rows.Scan(&s.SkillID, &s.VerifiedBy); err != nil {
			rows.Close()
			return nil, err
		}
		p.Skills = append(p.Skills, s)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT weekday, start_minute, end_minute FROM availability WHERE user_id = $1 ORDER BY weekday, start_minute`, userID)
	if err != nil {
		return nil, fmt.Errorf("load availability: %w", err)
	}
	for rows.Next() {
		var w Window
		var wd int
		if err := rows.Scan(&wd, &w.StartMinute, &w.EndMinute); err != nil {
			rows.Close()
			return nil, err
		}
		w.Weekday = time.Weekday(wd)
		p.Availability = append(p.Availability, w)
	}
	rows.Close()

	rows, err = q.QueryContext(ctx, `SELECT id, starts_on, ends_on, note FROM availability_exceptions WHERE user_id = $1 ORDER BY starts_on`, userID)
	if err != nil {
		return nil, fmt.Errorf("load exceptions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Away
		if err := rows.Scan(&a.ID, &a.StartsOn, &a.EndsOn, &a.Note); err != nil {
			return nil, err
		}
		p.Exceptions = append(p.Exceptions, a)
	}
	return p, rows.Err()
}

const opportunityCols = `o.id, o.org_id, g.name_ar, g.name_en, o.title_ar, o.title_en, o.description_ar, o.description_en, o.category,
	COALESCE(o.place_id, ''), o.lat, o.lon, o.gender_rule, o.min_age, o.vetted_only, o.languages, o.approval, o.status, o.created_at`

// opportunityFrom is the FROM clause that opportunityCols needs.
const opportunityFrom = ` FROM opportunities o JOIN organisations g ON g.id = o.org_id `

func scanOpportunity(row interface{ Scan(...any) error }) (*Opportunity, error) {
	o := &Opportunity{}
	var lat, lon sql.NullFloat64
	var gender, langs, approval string
	if err := row.Scan(&o.ID, &o.OrgID, &o.OrgNameAr, &o.OrgNameEn, &o.TitleAr, &o.TitleEn, &o.DescriptionAr, &o.DescriptionEn, &o.Category,
		&o.PlaceID, &lat, &lon, &gender, &o.MinAge, &o.VettedOnly, &langs, &approval, &o.Status, &o.CreatedAt); err != nil {
		return nil, db.Map(err)
	}
	o.Lat, o.Lon = floatPtr(lat), floatPtr(lon)
	o.GenderRule, o.Approval, o.Languages = GenderRule(gender), Approval(approval), splitList(langs)
	return o, nil
}

// loadOpportunity reads an opportunity with its required skills.
func loadOpportunity(ctx context.Context, q db.Querier, id string) (*Opportunity, error) {
	o, err := scanOpportunity(q.QueryRowContext(ctx, `SELECT `+opportunityCols+opportunityFrom+`WHERE o.id = $1`, id))
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT skill_id FROM opportunity_skills WHERE opportunity_id = $1 ORDER BY skill_id`, id)
	if err != nil {
		return nil, fmt.Errorf("load opportunity skills: %w", err)
	}
	defer rows.Close()
	o.Skills = []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		o.Skills = append(o.Skills, s)
	}
	return o, rows.Err()
}

const shiftCols = `s.id, s.opportunity_id, COALESCE(s.series_id, ''), s.starts_at, s.ends_at, s.team_size, s.signup_opens_days,
	s.signup_closes_hours, s.cancel_cutoff_hours, s.checkin_code, s.status`

func scanShift(row interface{ Scan(...any) error }) (*Shift, error) {
	s := &Shift{}
	if err := row.Scan(&s.ID, &s.OpportunityID, &s.SeriesID, &s.StartsAt, &s.EndsAt, &s.TeamSize, &s.SignupOpensDays,
		&s.SignupClosesHours, &s.CancelCutoffHours, &s.CheckinCode, &s.Status); err != nil {
		return nil, db.Map(err)
	}
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	return s, nil
}

// loadShift reads a shift with its roles and how many places each has taken.
func loadShift(ctx context.Context, q db.Querier, id string) (*Shift, error) {
	s, err := scanShift(q.QueryRowContext(ctx, `SELECT `+shiftCols+` FROM shifts s WHERE s.id = $1`, id))
	if err != nil {
		return nil, err
	}
	if s.Roles, err = loadRoles(ctx, q, id); err != nil {
		return nil, err
	}
	return s, nil
}

// loadRoles reads a shift's roles; Taken sums the party sizes of confirmed sign-ups.
func loadRoles(ctx context.Context, q db.Querier, shiftID string) ([]Role, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.name_ar, r.name_en, COALESCE(r.skill_id, ''), r.slots,
			COALESCE((SELECT SUM(g.party_size) FROM signups g WHERE g.role_id = r.id AND g.status = 'confirmed'), 0)
		FROM shift_roles r WHERE r.shift_id = $1 ORDER BY r.id`, shiftID)
	if err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	var out []Role
	for rows.Next() {
		var r Role
		if err := rows.Scan(&r.ID, &r.NameAr, &r.NameEn, &r.SkillID, &r.Slots, &r.Taken); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// orgSettings are an organisation's volunteering rules (defaults when never saved).
type orgSettings struct {
	HoursApproval       Approval
	NoShowLimit         int
	NoShowWindowDays    int
	CheckinGraceMinutes int
}

func loadOrgSettings(ctx context.Context, q db.Querier, orgID string) (orgSettings, error) {
	st := orgSettings{HoursApproval: ReviewApproval, NoShowLimit: 3, NoShowWindowDays: 90, CheckinGraceMinutes: 30}
	var approval string
	err := q.QueryRowContext(ctx, `SELECT hours_approval, no_show_limit, no_show_window_days, checkin_grace_minutes
		FROM org_volunteer_settings WHERE org_id = $1`, orgID).Scan(&approval, &st.NoShowLimit, &st.NoShowWindowDays, &st.CheckinGraceMinutes)
	if err == sql.ErrNoRows {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("load volunteer settings: %w", err)
	}
	st.HoursApproval = Approval(approval)
	return st, nil
}
