package volunteer

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"sharaka/internal/platform/db"
)

func seriesInsert(ctx context.Context, q db.Querier, ser *Series) error {
	roles, err := seriesRolesJSON(ser.Roles)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO shift_series (id, opportunity_id, weekdays, start_minute, duration_minutes, starts_on, ends_on,
			skip_dates, roles, team_size, signup_opens_days, signup_closes_hours, cancel_cutoff_hours, generated_until, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', $14)`,
		ser.ID, ser.OpportunityID, weekdayList(ser.Weekdays), ser.startMinute, ser.DurationMinutes, ser.From, ser.Until,
		joinList(ser.SkipDates), roles, ser.TeamSize, ser.SignupOpensDays, ser.SignupClosesHours, ser.CancelCutoffHours, ser.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert series: %w", db.Map(err))
	}
	return nil
}

func seriesByID(ctx context.Context, q db.Querier, id string) (*Series, error) {
	ser := &Series{}
	var days, skips, roles string
	err := q.QueryRowContext(ctx, `SELECT id, opportunity_id, weekdays, start_minute, duration_minutes, starts_on, ends_on, skip_dates, roles,
			team_size, signup_opens_days, signup_closes_hours, cancel_cutoff_hours, generated_until, created_at
		FROM shift_series WHERE id = $1`, id).Scan(&ser.ID, &ser.OpportunityID, &days, &ser.startMinute, &ser.DurationMinutes,
		&ser.From, &ser.Until, &skips, &roles, &ser.TeamSize, &ser.SignupOpensDays, &ser.SignupClosesHours, &ser.CancelCutoffHours,
		&ser.GeneratedUntil, &ser.CreatedAt)
	if err != nil {
		return nil, db.Map(err)
	}
	for _, d := range splitList(days) {
		n, err := strconv.Atoi(d)
		if err != nil {
			return nil, fmt.Errorf("series %s weekdays %q: %w", id, days, err)
		}
		ser.Weekdays = append(ser.Weekdays, n)
	}
	ser.Start = shiftClock(ser.startMinute)
	ser.SkipDates = splitList(skips)
	if err := json.Unmarshal([]byte(roles), &ser.Roles); err != nil {
		return nil, fmt.Errorf("series %s roles: %w", id, err)
	}
	return ser, nil
}

// seriesDue lists the series of live opportunities that still have days to
// generate up to the day until (YYYY-MM-DD), given today's date.
func seriesDue(ctx context.Context, q db.Querier, today, until string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id FROM shift_series r JOIN opportunities o ON o.id = r.opportunity_id
		WHERE o.status <> 'archived' AND r.generated_until < $2
			AND (r.ends_on = '' OR (r.ends_on >= $1 AND r.generated_until < r.ends_on))
		ORDER BY r.id`, today, until)
	if err != nil {
		return nil, fmt.Errorf("series due: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func seriesSetGenerated(ctx context.Context, q db.Querier, id, until string) error {
	_, err := q.ExecContext(ctx, `UPDATE shift_series SET generated_until = $2 WHERE id = $1 AND generated_until < $2`, id, until)
	if err != nil {
		return fmt.Errorf("series generated until: %w", err)
	}
	return nil
}

// OpportunitySeries lists an opportunity's weekly series, oldest first.
func opportunitySeries(ctx context.Context, q db.Querier, oppID string) ([]*Series, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM shift_series WHERE opportunity_id = $1 ORDER BY id`, oppID)
	if err != nil {
		return nil, fmt.Errorf("list series: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Series, 0, len(ids))
	for _, id := range ids {
		ser, err := seriesByID(ctx, q, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ser)
	}
	return out, nil
}
