package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
)

// shiftCodeTries bounds the retries when a fresh check-in code is already taken.
const shiftCodeTries = 8

// shiftInsert writes a shift and its roles under a fresh check-in code. A
// series occurrence that already exists (same series, same start) is left
// alone and reported as false, which makes generating a series idempotent.
// It must run inside tx: a taken code is retried from a savepoint, since on
// PostgreSQL a failed statement would otherwise abort the whole transaction.
func shiftInsert(ctx context.Context, tx db.Tx, sh *Shift, roles []RoleInput, now time.Time) (bool, error) {
	for try := 1; ; try++ {
		sh.CheckinCode = newCheckinCode()
		if _, err := tx.ExecContext(ctx, `SAVEPOINT shift_insert`); err != nil {
			return false, fmt.Errorf("savepoint: %w", err)
		}
		var id string
		err := tx.QueryRowContext(ctx, `INSERT INTO shifts (id, opportunity_id, series_id, starts_at, ends_at, team_size, signup_opens_days,
				signup_closes_hours, cancel_cutoff_hours, checkin_code, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'scheduled', $11)
			ON CONFLICT (series_id, starts_at) WHERE series_id IS NOT NULL DO NOTHING
			RETURNING id`,
			sh.ID, sh.OpportunityID, nullString(sh.SeriesID), sh.StartsAt.UTC(), sh.EndsAt.UTC(), sh.TeamSize, sh.SignupOpensDays,
			sh.SignupClosesHours, sh.CancelCutoffHours, sh.CheckinCode, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, `RELEASE SAVEPOINT shift_insert`)
			return false, err
		}
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT shift_insert`); rerr != nil {
				return false, fmt.Errorf("rollback to savepoint: %w (after %v)", rerr, err)
			}
			if errors.Is(db.Map(err), db.ErrConflict) && try < shiftCodeTries {
				continue // the check-in code is taken: draw another
			}
			return false, fmt.Errorf("insert shift: %w", db.Map(err))
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT shift_insert`); err != nil {
			return false, fmt.Errorf("release savepoint: %w", err)
		}
		break
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO shift_roles (id, shift_id, name_ar, name_en, skill_id, slots) VALUES ($1, $2, $3, $4, $5, $6)`,
			db.NewID(), sh.ID, r.NameAr, r.NameEn, nullString(r.SkillID), r.Slots); err != nil {
			return false, fmt.Errorf("insert shift role: %w", err)
		}
	}
	return true, nil
}

// shiftsUpcoming lists an opportunity's shifts that end after now, soonest
// first (then by id): after the cursor shift, or before it when backward
// (then latest first, which the caller turns round).
func shiftsUpcoming(ctx context.Context, q db.Querier, oppID, cursor string, backward bool, now time.Time, limit int) ([]*Shift, error) {
	beyond, order := `s.starts_at > c.starts_at OR (s.starts_at = c.starts_at AND s.id > c.id)`, `s.starts_at, s.id`
	if backward {
		beyond, order = `s.starts_at < c.starts_at OR (s.starts_at = c.starts_at AND s.id < c.id)`, `s.starts_at DESC, s.id DESC`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+shiftCols+` FROM shifts s
		WHERE s.opportunity_id = $1 AND s.ends_at > $2
			AND ($3 = '' OR EXISTS (SELECT 1 FROM shifts c WHERE c.id = $3 AND (`+beyond+`)))
		ORDER BY `+order+` LIMIT $4`, oppID, now, cursor, limit)
	if err != nil {
		return nil, fmt.Errorf("list shifts: %w", err)
	}
	defer rows.Close()
	var out []*Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// shiftSetCancelled marks a scheduled shift cancelled; false when it was not scheduled.
func shiftSetCancelled(ctx context.Context, q db.Querier, id string) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE shifts SET status = 'cancelled' WHERE id = $1 AND status = 'scheduled'`, id)
	if err != nil {
		return false, fmt.Errorf("cancel shift: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// shiftLivePeople lists the people with a live sign-up on a shift.
func shiftLivePeople(ctx context.Context, q db.Querier, shiftID string) ([]shiftPerson, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.name, u.email, u.locale, u.digits, u.time_zone
		FROM signups g JOIN users u ON u.id = g.user_id
		WHERE g.shift_id = $1 AND g.status IN ('confirmed', 'pending', 'waitlisted') ORDER BY g.created_at`, shiftID)
	if err != nil {
		return nil, fmt.Errorf("people on shift: %w", err)
	}
	defer rows.Close()
	var out []shiftPerson
	for rows.Next() {
		var p shiftPerson
		if err := rows.Scan(&p.Name, &p.Email, &p.Locale, &p.Digits, &p.Zone); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// shiftCancelReminders cancels the reminders of a shift not yet sent.
func shiftCancelReminders(ctx context.Context, q db.Querier, shiftID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE reminders SET cancelled_at = $2
		WHERE sent_at IS NULL AND cancelled_at IS NULL AND signup_id IN (SELECT id FROM signups WHERE shift_id = $1)`, shiftID, now)
	if err != nil {
		return fmt.Errorf("cancel reminders: %w", err)
	}
	return nil
}
