package volunteer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
)

// oppNullFloat stores an optional coordinate.
func oppNullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func oppInsert(ctx context.Context, q db.Querier, o *Opportunity, createdBy string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO opportunities (id, org_id, title_ar, title_en, description_ar, description_en, category,
			place_id, lat, lon, gender_rule, min_age, vetted_only, languages, approval, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
		o.ID, o.OrgID, o.TitleAr, o.TitleEn, o.DescriptionAr, o.DescriptionEn, o.Category, nullString(o.PlaceID),
		oppNullFloat(o.Lat), oppNullFloat(o.Lon), string(o.GenderRule), o.MinAge, o.VettedOnly, joinList(o.Languages),
		string(o.Approval), o.Status, createdBy, o.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert opportunity: %w", db.Map(err))
	}
	return nil
}

func oppUpdate(ctx context.Context, q db.Querier, o *Opportunity, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE opportunities SET title_ar = $2, title_en = $3, description_ar = $4, description_en = $5,
			category = $6, place_id = $7, lat = $8, lon = $9, gender_rule = $10, min_age = $11, vetted_only = $12, languages = $13,
			approval = $14, status = $15, updated_at = $16
		WHERE id = $1`,
		o.ID, o.TitleAr, o.TitleEn, o.DescriptionAr, o.DescriptionEn, o.Category, nullString(o.PlaceID),
		oppNullFloat(o.Lat), oppNullFloat(o.Lon), string(o.GenderRule), o.MinAge, o.VettedOnly, joinList(o.Languages),
		string(o.Approval), o.Status, now)
	if err != nil {
		return fmt.Errorf("update opportunity: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

// oppSetSkills replaces an opportunity's required skills.
func oppSetSkills(ctx context.Context, q db.Querier, oppID string, skills []string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM opportunity_skills WHERE opportunity_id = $1`, oppID); err != nil {
		return fmt.Errorf("clear opportunity skills: %w", err)
	}
	for _, k := range skills {
		if _, err := q.ExecContext(ctx, `INSERT INTO opportunity_skills (opportunity_id, skill_id) VALUES ($1, $2)`, oppID, k); err != nil {
			return fmt.Errorf("add opportunity skill %s: %w", k, err)
		}
	}
	return nil
}

// oppListByOrg lists an organisation's opportunities newest first (ids are
// UUIDv7, so id order is creation order): after the cursor, or before it
// when backward (then in reverse order, which the caller turns round).
func oppListByOrg(ctx context.Context, q db.Querier, orgID, cursor string, backward bool, now time.Time, limit int) ([]OrgOpportunity, error) {
	where, order := `($2 = '' OR o.id < $2)`, `o.id DESC`
	if backward {
		where, order = `o.id > $2`, `o.id ASC`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+opportunityCols+`,
			(SELECT COUNT(*) FROM shifts s WHERE s.opportunity_id = o.id AND s.status = 'scheduled' AND s.ends_at > $3)`+
		opportunityFrom+`WHERE o.org_id = $1 AND `+where+` ORDER BY `+order+` LIMIT $4`, orgID, cursor, now, limit)
	if err != nil {
		return nil, fmt.Errorf("list opportunities: %w", err)
	}
	defer rows.Close()
	var out []OrgOpportunity
	for rows.Next() {
		var n int
		o, err := scanOpportunity(scanWith(rows, &n))
		if err != nil {
			return nil, err
		}
		out = append(out, OrgOpportunity{Opportunity: o, UpcomingShifts: n})
	}
	return out, rows.Err()
}

// scanWith lets scanOpportunity read a row that has extra columns after the
// opportunity's, scanning them into extra.
func scanWith(row interface{ Scan(...any) error }, extra ...any) interface{ Scan(...any) error } {
	return extraScanner{row: row, extra: extra}
}

type extraScanner struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// oppSkills reads the skills taxonomy.
func oppSkills(ctx context.Context, q db.Querier) ([]Skill, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name_ar, name_en FROM skills ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list skills: %w", err)
	}
	defer rows.Close()
	var out []Skill
	for rows.Next() {
		var k Skill
		if err := rows.Scan(&k.ID, &k.NameAr, &k.NameEn); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// oppSkillSet is the set of skill ids.
func oppSkillSet(ctx context.Context, q db.Querier) (map[string]bool, error) {
	ks, err := oppSkills(ctx, q)
	if err != nil {
		return nil, err
	}
	m := make(map[string]bool, len(ks))
	for _, k := range ks {
		m[k.ID] = true
	}
	return m, nil
}

// oppKeyset trims a page fetched with one row too many and finds the cursors
// of its neighbours ("" when there is none). Rows fetched backward come in
// reverse order and are turned round.
func oppKeyset[T any](items []T, limit int, backward, hasCursor bool, id func(T) string) (page []T, next, prev string) {
	more := len(items) > limit
	if more {
		items = items[:limit]
	}
	if backward {
		slices.Reverse(items)
		if more && len(items) > 0 {
			prev = id(items[0])
		}
		if len(items) > 0 {
			next = id(items[len(items)-1])
		}
		return items, next, prev
	}
	if more {
		next = id(items[len(items)-1])
	}
	if hasCursor && len(items) > 0 {
		prev = id(items[0])
	}
	return items, next, prev
}

// oppSkillsSorted is the taxonomy sorted by name as readers of lang expect.
func oppSkillsSorted(ctx context.Context, q db.Querier, lang i18n.Lang) ([]Skill, error) {
	ks, err := oppSkills(ctx, q)
	if err != nil {
		return nil, err
	}
	tag := language.Arabic
	if lang == i18n.EN {
		tag = language.English
	}
	c := collate.New(tag, collate.IgnoreCase)
	slices.SortFunc(ks, func(a, b Skill) int { return c.CompareString(a.Name(lang), b.Name(lang)) })
	return ks, nil
}
