package org

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"sharaka/internal/platform/db"
)

// placeCols are the columns scanPlace reads, from a places table aliased p.
const placeCols = `p.id, COALESCE(p.parent_id, ''), p.level, p.code, p.name_ar, p.name_en, p.lat, p.lon, p.created_at`

func scanPlace(row interface{ Scan(...any) error }) (*Place, error) {
	var p Place
	var level string
	var lat, lon sql.NullFloat64
	if err := row.Scan(&p.ID, &p.ParentID, &level, &p.Code, &p.NameAr, &p.NameEn, &lat, &lon, &p.CreatedAt); err != nil {
		return nil, db.Map(err)
	}
	p.Level = Level(level)
	if lat.Valid && lon.Valid {
		p.Lat, p.Lon = &lat.Float64, &lon.Float64
	}
	return &p, nil
}

func queryPlaces(ctx context.Context, q db.Querier, query string, args ...any) ([]Place, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query places: %w", err)
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return nil, fmt.Errorf("scan place: %w", err)
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

func placeByID(ctx context.Context, q db.Querier, id string) (*Place, error) {
	if !storable(id) {
		return nil, db.ErrNotFound
	}
	return scanPlace(q.QueryRowContext(ctx, `SELECT `+placeCols+` FROM places p WHERE p.id = $1`, id))
}

// placeChildren lists the places directly under parentID; "" lists the countries.
func placeChildren(ctx context.Context, q db.Querier, parentID string) ([]Place, error) {
	if parentID == "" {
		return queryPlaces(ctx, q, `SELECT `+placeCols+` FROM places p WHERE p.parent_id IS NULL`)
	}
	if !storable(parentID) {
		return nil, nil
	}
	return queryPlaces(ctx, q, `SELECT `+placeCols+` FROM places p WHERE p.parent_id = $1`, parentID)
}

// placeAncestors walks up from id and returns its ancestors, country first,
// without the place itself.
func placeAncestors(ctx context.Context, q db.Querier, id string) ([]Place, error) {
	if !storable(id) {
		return nil, nil
	}
	return queryPlaces(ctx, q, `WITH RECURSIVE up(id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM places WHERE id = $1
			UNION ALL
			SELECT p.id, p.parent_id, up.depth + 1 FROM places p JOIN up ON p.id = up.parent_id
		)
		SELECT `+placeCols+` FROM up JOIN places p ON p.id = up.id WHERE up.depth > 0 ORDER BY up.depth DESC`, id)
}

// placeWithin reports whether ancestorID is placeID or one of its ancestors.
func placeWithin(ctx context.Context, q db.Querier, placeID, ancestorID string) (bool, error) {
	if !storable(placeID) || !storable(ancestorID) {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `WITH RECURSIVE up(id, parent_id) AS (
			SELECT id, parent_id FROM places WHERE id = $1
			UNION ALL
			SELECT p.id, p.parent_id FROM places p JOIN up ON p.id = up.parent_id
		)
		SELECT COUNT(*) FROM up WHERE id = $2`, placeID, ancestorID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("place within: %w", err)
	}
	return n > 0, nil
}

func allPlaces(ctx context.Context, q db.Querier) ([]Place, error) {
	return queryPlaces(ctx, q, `SELECT `+placeCols+` FROM places p`)
}

// missingPlaces returns those of ids that name no place, with one query.
func missingPlaces(ctx context.Context, q db.Querier, ids []string) ([]string, error) {
	var args []any
	var marks []string
	for _, id := range ids {
		if storable(id) {
			args = append(args, id)
			marks = append(marks, "$"+strconv.Itoa(len(args)))
		}
	}
	found := map[string]bool{}
	if len(args) > 0 {
		rows, err := q.QueryContext(ctx, `SELECT id FROM places WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("check places: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("scan place id: %w", err)
			}
			found[id] = true
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check places: %w", err)
		}
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

func insertPlace(ctx context.Context, q db.Querier, p *Place) error {
	_, err := q.ExecContext(ctx, `INSERT INTO places (id, parent_id, level, code, name_ar, name_en, lat, lon, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, nullIfEmpty(p.ParentID), string(p.Level), p.Code, p.NameAr, p.NameEn, nullFloat(p.Lat), nullFloat(p.Lon), p.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert place %s: %w", p.Code, db.Map(err))
	}
	return nil
}

func updatePlace(ctx context.Context, q db.Querier, p *Place) error {
	_, err := q.ExecContext(ctx, `UPDATE places SET parent_id = $1, name_ar = $2, name_en = $3, lat = $4, lon = $5 WHERE id = $6`,
		nullIfEmpty(p.ParentID), p.NameAr, p.NameEn, nullFloat(p.Lat), nullFloat(p.Lon), p.ID)
	if err != nil {
		return fmt.Errorf("update place %s: %w", p.Code, db.Map(err))
	}
	return nil
}

// isPlatformAdmin reads the platform role of a user by id.
func isPlatformAdmin(ctx context.Context, q db.Querier, userID string) (bool, error) {
	var admin bool
	err := q.QueryRowContext(ctx, `SELECT is_admin FROM users WHERE id = $1`, userID).Scan(&admin)
	if err != nil {
		return false, fmt.Errorf("read user %s: %w", userID, db.Map(err))
	}
	return admin, nil
}

// nullIfEmpty stores "" as NULL for optional references.
func nullIfEmpty(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}
