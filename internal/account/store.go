package account

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
)

// userCols are the columns scanUser reads, from a users table aliased u.
const userCols = `u.id, u.email, u.name, u.is_admin, u.locale, u.digits, u.time_zone, COALESCE(u.home_place_id, ''), u.created_at, u.email_verified_at IS NOT NULL`

// scanUser reads userCols, after any extra columns the query selects first.
func scanUser(row interface{ Scan(...any) error }, before ...any) (*User, error) {
	var u User
	var locale, digits string
	dest := append(before, &u.ID, &u.Email, &u.Name, &u.IsAdmin, &locale, &digits, &u.TimeZone, &u.HomePlaceID, &u.CreatedAt, &u.EmailVerified)
	if err := row.Scan(dest...); err != nil {
		return nil, db.Map(err)
	}
	u.Locale, u.Digits = i18n.Lang(locale), i18n.Digits(digits)
	return &u, nil
}

func insertUser(ctx context.Context, q db.Querier, u *User, hash string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
		u.ID, u.Email, u.Name, hash, u.IsAdmin, string(u.Locale), string(u.Digits), u.TimeZone, u.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert user: %w", db.Map(err))
	}
	return nil
}

func userByID(ctx context.Context, q db.Querier, id string) (*User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = $1`, id))
}

func userByEmail(ctx context.Context, q db.Querier, email string) (*User, string, error) {
	var hash string
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT u.password_hash, `+userCols+` FROM users u WHERE u.email = $1`, email), &hash)
	return u, hash, err
}

func setPassword(ctx context.Context, q db.Querier, userID, hash string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, now, userID)
	return err
}

func insertSession(ctx context.Context, q db.Querier, hash, userID string, now time.Time, ip, ua string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
		hash, userID, now, now.Add(SessionTTL), ip, ua)
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

func sessionUser(ctx context.Context, q db.Querier, hash string, now time.Time) (*User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2`, hash, now))
}

func deleteSession(ctx context.Context, q db.Querier, hash string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
	return err
}

func deleteUserSessions(ctx context.Context, q db.Querier, userID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// nullIfEmpty stores "" as NULL for optional references.
func nullIfEmpty(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func setServiceAreas(ctx context.Context, q db.Querier, userID string, placeIDs []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM user_service_areas WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("clear service areas: %w", err)
	}
	seen := map[string]bool{}
	for _, id := range placeIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := q.ExecContext(ctx, `INSERT INTO user_service_areas (user_id, place_id) VALUES ($1, $2)`, userID, id); err != nil {
			return fmt.Errorf("add service area: %w", err)
		}
	}
	return nil
}
