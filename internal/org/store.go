package org

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/db"
)

// orgCols are the columns scanOrg reads, from an organisations table aliased o.
const orgCols = `o.id, o.name_ar, o.name_en, o.type, o.status, o.description, o.email, o.phone,
	COALESCE(o.home_place_id, ''), o.created_by, o.created_at, o.verified_at`

func scanOrg(row interface{ Scan(...any) error }, after ...any) (*Org, error) {
	var o Org
	var typ, status string
	var verified sql.NullTime
	dest := append([]any{&o.ID, &o.NameAr, &o.NameEn, &typ, &status, &o.Description, &o.Email, &o.Phone,
		&o.HomePlaceID, &o.CreatedBy, &o.CreatedAt, &verified}, after...)
	if err := row.Scan(dest...); err != nil {
		return nil, db.Map(err)
	}
	o.Type, o.Status = Type(typ), Status(status)
	if verified.Valid {
		t := verified.Time.UTC()
		o.VerifiedAt = &t
	}
	o.CreatedAt = o.CreatedAt.UTC()
	o.ServiceAreas = []string{}
	return &o, nil
}

func insertOrg(ctx context.Context, q db.Querier, o *Org) error {
	_, err := q.ExecContext(ctx, `INSERT INTO organisations (id, name_ar, name_en, type, status, description, email, phone, home_place_id, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		o.ID, o.NameAr, o.NameEn, string(o.Type), string(o.Status), o.Description, o.Email, o.Phone, nullIfEmpty(o.HomePlaceID), o.CreatedBy, o.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert organisation: %w", db.Map(err))
	}
	return setServiceAreas(ctx, q, o.ID, o.ServiceAreas)
}

func updateOrg(ctx context.Context, q db.Querier, o *Org) error {
	_, err := q.ExecContext(ctx, `UPDATE organisations SET name_ar = $1, name_en = $2, type = $3, description = $4, email = $5, phone = $6, home_place_id = $7
		WHERE id = $8`,
		o.NameAr, o.NameEn, string(o.Type), o.Description, o.Email, o.Phone, nullIfEmpty(o.HomePlaceID), o.ID)
	if err != nil {
		return fmt.Errorf("update organisation: %w", db.Map(err))
	}
	return setServiceAreas(ctx, q, o.ID, o.ServiceAreas)
}

func setServiceAreas(ctx context.Context, q db.Querier, orgID string, placeIDs []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM org_service_areas WHERE org_id = $1`, orgID); err != nil {
		return fmt.Errorf("clear service areas: %w", err)
	}
	for _, p := range placeIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO org_service_areas (org_id, place_id) VALUES ($1, $2)`, orgID, p); err != nil {
			return fmt.Errorf("insert service area: %w", db.Map(err))
		}
	}
	return nil
}

// loadAreas fills the service areas of orgs with one query.
func loadAreas(ctx context.Context, q db.Querier, orgs []*Org) error {
	if len(orgs) == 0 {
		return nil
	}
	byID := make(map[string]*Org, len(orgs))
	args := make([]any, len(orgs))
	marks := make([]string, len(orgs))
	for i, o := range orgs {
		byID[o.ID] = o
		args[i], marks[i] = o.ID, "$"+strconv.Itoa(i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT org_id, place_id FROM org_service_areas WHERE org_id IN (`+strings.Join(marks, ", ")+`) ORDER BY place_id`, args...)
	if err != nil {
		return fmt.Errorf("service areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var orgID, placeID string
		if err := rows.Scan(&orgID, &placeID); err != nil {
			return fmt.Errorf("scan service area: %w", err)
		}
		byID[orgID].ServiceAreas = append(byID[orgID].ServiceAreas, placeID)
	}
	return rows.Err()
}

func orgByID(ctx context.Context, q db.Querier, id string) (*Org, error) {
	if !storable(id) {
		return nil, db.ErrNotFound
	}
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM organisations o WHERE o.id = $1`, id))
	if err != nil {
		return nil, err
	}
	return o, loadAreas(ctx, q, []*Org{o})
}

func queryOrgs(ctx context.Context, q db.Querier, query string, args ...any) ([]*Org, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query organisations: %w", err)
	}
	defer rows.Close()
	var out []*Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("scan organisation: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadAreas(ctx, q, out)
}

// listVerified returns up to limit+1 verified organisations after (or,
// with backward, before) the cursor id, in id order either way, so that
// the caller learns whether another page follows.
func listVerified(ctx context.Context, q db.Querier, typ Type, placeID, cursor string, backward bool, limit int) ([]*Org, error) {
	op, dir := ">", "ASC"
	if backward {
		op, dir = "<", "DESC"
	}
	// The place filter matches an organisation based or serving in the place
	// or anywhere below it.
	return queryOrgs(ctx, q, `WITH RECURSIVE sub(id) AS (
			SELECT id FROM places WHERE id = $2
			UNION ALL
			SELECT c.id FROM places c JOIN sub ON c.parent_id = sub.id
		)
		SELECT `+orgCols+` FROM organisations o
		WHERE o.status = 'verified' AND ($1 = '' OR o.type = $1)
			AND ($2 = '' OR o.home_place_id IN (SELECT id FROM sub)
				OR EXISTS (SELECT 1 FROM org_service_areas a WHERE a.org_id = o.id AND a.place_id IN (SELECT id FROM sub)))
			AND ($3 = '' OR o.id `+op+` $3)
		ORDER BY o.id `+dir+` LIMIT $4`, string(typ), placeID, cursor, limit+1)
}

func pendingOrgs(ctx context.Context, q db.Querier) ([]*Org, error) {
	return queryOrgs(ctx, q, `SELECT `+orgCols+` FROM organisations o WHERE o.status = 'pending' ORDER BY o.created_at, o.id`)
}

func userOrgs(ctx context.Context, q db.Querier, userID string) ([]UserOrg, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgCols+`, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.user_id = $1 ORDER BY o.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("user organisations: %w", err)
	}
	defer rows.Close()
	var out []UserOrg
	for rows.Next() {
		var role string
		o, err := scanOrg(rows, &role)
		if err != nil {
			return nil, fmt.Errorf("scan user organisation: %w", err)
		}
		out = append(out, UserOrg{Org: *o, Role: Role(role)})
	}
	return out, rows.Err()
}

// setStatus moves an organisation from one status to another and reports
// whether it was in the expected status. Who verified it and when are kept
// on the row; a rejection lives in the audit log.
func setStatus(ctx context.Context, q db.Querier, id string, from, to Status, by string, at time.Time) (bool, error) {
	verifiedBy, verifiedAt := sql.NullString{}, sql.NullTime{}
	if to == Verified {
		verifiedBy, verifiedAt = nullIfEmpty(by), sql.NullTime{Time: at, Valid: true}
	}
	res, err := q.ExecContext(ctx, `UPDATE organisations SET status = $1, verified_by = $2, verified_at = $3 WHERE id = $4 AND status = $5`,
		string(to), verifiedBy, verifiedAt, id, string(from))
	if err != nil {
		return false, fmt.Errorf("set status: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// lockOrg serialises membership changes of one organisation. The no-op
// update takes the row lock on PostgreSQL (SQLite has one writer anyway), so
// two owners demoting each other at once cannot leave the organisation with
// none.
func lockOrg(ctx context.Context, tx db.Tx, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE organisations SET status = status WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("lock organisation: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("lock organisation %s: %w", id, db.ErrNotFound)
	}
	return nil
}

// accessOf reads the organisation's status and userID's role ("" when not a member).
func accessOf(ctx context.Context, q db.Querier, orgID, userID string) (access, error) {
	if !storable(orgID) {
		return access{}, fmt.Errorf("access to %q: %w", orgID, db.ErrNotFound)
	}
	if !storable(userID) {
		userID = "" // no such user, so no membership
	}
	var status, role string
	err := q.QueryRowContext(ctx, `SELECT o.status, COALESCE(m.role, '') FROM organisations o
		LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1`, orgID, userID).Scan(&status, &role)
	if err != nil {
		return access{}, fmt.Errorf("access to %s: %w", orgID, db.Map(err))
	}
	return access{status: Status(status), role: Role(role)}, nil
}

// insertMembership adds userID to the organisation; it reports false,
// changing nothing, when they already belong to it.
func insertMembership(ctx context.Context, q db.Querier, orgID, userID string, role Role, at time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, user_id) DO NOTHING`, orgID, userID, string(role), at)
	if err != nil {
		return false, fmt.Errorf("insert membership: %w", db.Map(err))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func setRole(ctx context.Context, q db.Querier, orgID, userID string, role Role) error {
	_, err := q.ExecContext(ctx, `UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3`, string(role), orgID, userID)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	return nil
}

func deleteMembership(ctx context.Context, q db.Querier, orgID, userID string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID)
	if err != nil {
		return fmt.Errorf("delete membership: %w", err)
	}
	return nil
}

func countOwners(ctx context.Context, q db.Querier, orgID string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'owner'`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count owners: %w", err)
	}
	return n, nil
}

func members(ctx context.Context, q db.Querier, orgID string) ([]Member, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = $1`, orgID)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var role string
		if err := rows.Scan(&m.UserID, &m.Name, &m.Email, &role, &m.JoinedAt); err != nil {
			return nil, fmt.Errorf("scan member: %w", err)
		}
		m.Role, m.JoinedAt = Role(role), m.JoinedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// memberByEmail reports whether someone with this address already belongs to the organisation.
func memberByEmail(ctx context.Context, q db.Querier, orgID, email string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = $1 AND LOWER(u.email) = $2`, orgID, email).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("member by email: %w", err)
	}
	return n > 0, nil
}
