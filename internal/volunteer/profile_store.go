package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
)

func profNullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func insertProfile(ctx context.Context, q db.Querier, userID string, in *ProfileInput, key string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO volunteer_profiles (user_id, gender, birth_date, home_place_id, lat, lon, travel_radius_km,
			max_hours_week, max_shifts_week, languages, interests, emergency_name, emergency_phone, reminders_opt_out, calendar_key,
			charter_version, charter_accepted_at, created_at, updated_at, phone)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17, $18)`,
		userID, string(in.Gender), in.BirthDate, nullString(in.HomePlaceID), profNullFloat(in.Lat), profNullFloat(in.Lon), in.TravelRadiusKm,
		in.MaxHoursWeek, in.MaxShiftsWeek, joinList(in.Languages), joinList(in.Interests), in.EmergencyName, in.EmergencyPhone,
		in.RemindersOptOut, key, CharterVersion, now, in.Phone)
	if err != nil {
		return fmt.Errorf("insert volunteer profile: %w", db.Map(err))
	}
	return nil
}

// loadProfilePhone reads the volunteer's own phone number ("" when none or
// no profile): Profile has no field for it.
func loadProfilePhone(ctx context.Context, q db.Querier, userID string) (string, error) {
	var phone string
	err := q.QueryRowContext(ctx, `SELECT phone FROM volunteer_profiles WHERE user_id = $1`, userID).Scan(&phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read phone: %w", err)
	}
	return phone, nil
}

// ProfilePhone is the volunteer's own phone number, "" when none.
func (s *Service) ProfilePhone(ctx context.Context, userID string) (string, error) {
	return loadProfilePhone(ctx, s.db.R, userID)
}

// updateProfile saves the fields; a charter accepted again moves to the current version.
func updateProfile(ctx context.Context, q db.Querier, userID string, in *ProfileInput, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE volunteer_profiles SET gender = $2, birth_date = $3, home_place_id = $4, lat = $5, lon = $6,
			travel_radius_km = $7, max_hours_week = $8, max_shifts_week = $9, languages = $10, interests = $11, emergency_name = $12,
			emergency_phone = $13, reminders_opt_out = $14, updated_at = $15, phone = $16
		WHERE user_id = $1`,
		userID, string(in.Gender), in.BirthDate, nullString(in.HomePlaceID), profNullFloat(in.Lat), profNullFloat(in.Lon), in.TravelRadiusKm,
		in.MaxHoursWeek, in.MaxShiftsWeek, joinList(in.Languages), joinList(in.Interests), in.EmergencyName, in.EmergencyPhone,
		in.RemindersOptOut, now, in.Phone)
	if err != nil {
		return fmt.Errorf("update volunteer profile: %w", err)
	}
	if in.CharterAccepted {
		if _, err := q.ExecContext(ctx, `UPDATE volunteer_profiles SET charter_version = $2, charter_accepted_at = $3
			WHERE user_id = $1 AND charter_version <> $2`, userID, CharterVersion, now); err != nil {
			return fmt.Errorf("accept charter: %w", err)
		}
	}
	return nil
}

// replaceSkills keeps the rows (and their verification) of skills still
// listed, deletes the others and adds the new ones unverified.
func replaceSkills(ctx context.Context, q db.Querier, userID string, skills []string) error {
	rows, err := q.QueryContext(ctx, `SELECT skill_id FROM volunteer_skills WHERE user_id = $1`, userID)
	if err != nil {
		return fmt.Errorf("read skills: %w", err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		have[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, id := range skills {
		want[id] = true
		if !have[id] {
			if _, err := q.ExecContext(ctx, `INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, $2)`, userID, id); err != nil {
				return fmt.Errorf("add skill %s: %w", id, err)
			}
		}
	}
	for id := range have {
		if !want[id] {
			if _, err := q.ExecContext(ctx, `DELETE FROM volunteer_skills WHERE user_id = $1 AND skill_id = $2`, userID, id); err != nil {
				return fmt.Errorf("remove skill %s: %w", id, err)
			}
		}
	}
	return nil
}

func replaceAvailability(ctx context.Context, q db.Querier, userID string, ws []Window) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM availability WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("clear availability: %w", err)
	}
	for _, w := range ws {
		if _, err := q.ExecContext(ctx, `INSERT INTO availability (id, user_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4, $5)`,
			db.NewID(), userID, int(w.Weekday), w.StartMinute, w.EndMinute); err != nil {
			return fmt.Errorf("add availability: %w", err)
		}
	}
	return nil
}

func replaceAways(ctx context.Context, q db.Querier, userID string, as []AwayInput) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM availability_exceptions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("clear periods away: %w", err)
	}
	for _, a := range as {
		if err := insertAway(ctx, q, userID, &Away{ID: db.NewID(), StartsOn: a.StartsOn, EndsOn: a.EndsOn, Note: a.Note}); err != nil {
			return err
		}
	}
	return nil
}

func insertAway(ctx context.Context, q db.Querier, userID string, a *Away) error {
	_, err := q.ExecContext(ctx, `INSERT INTO availability_exceptions (id, user_id, starts_on, ends_on, note) VALUES ($1, $2, $3, $4, $5)`,
		a.ID, userID, a.StartsOn, a.EndsOn, a.Note)
	if err != nil {
		return fmt.Errorf("add period away: %w", err)
	}
	return nil
}

// countAways counts a volunteer's periods away; db.ErrNotFound when they
// have no profile.
func countAways(ctx context.Context, q db.Querier, userID string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM availability_exceptions a WHERE a.user_id = v.user_id)
		FROM volunteer_profiles v WHERE v.user_id = $1`, userID).Scan(&n)
	return n, db.Map(err)
}

// accountHomePlace is the home place the person gave in their account
// settings, to start a new volunteer profile from.
func accountHomePlace(ctx context.Context, q db.Querier, userID string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT COALESCE(home_place_id, '') FROM users WHERE id = $1`, userID).Scan(&id)
	return id, db.Map(err)
}
