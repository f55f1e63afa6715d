package eval

import (
	"context"
	"database/sql"
	"fmt"

	"sharaka/internal/platform/db"
	"sharaka/internal/search"
)

// Sharaka is our index on a migrated database.
type Sharaka struct {
	DB *db.DB
	x  *search.Index
}

func (e *Sharaka) Name() string { return "sharaka-" + string(e.DB.Dialect) }

func (e *Sharaka) Index(ctx context.Context, docs []Doc) error {
	e.x = search.New(e.DB)
	x := e.x
	return e.DB.WithTx(ctx, func(tx db.Tx) error {
		for _, d := range docs {
			if err := x.Put(ctx, tx, search.Doc{Kind: d.Kind, RefID: d.ID, Public: true, Title: d.Title + "\n" + d.TitleEn, Body: d.Body}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (e *Sharaka) Search(ctx context.Context, q string, k int) ([]string, error) {
	res, err := e.x.Search(ctx, search.Query{Text: q, Limit: k})
	if err != nil {
		return nil, err
	}
	return res.RefIDs(), nil
}

// PostgresArabic is PostgreSQL's own arabic text-search configuration (its
// Snowball stemmer) over the raw text, title weighted above body, queried
// with plainto_tsquery (every word required) and ranked by ts_rank_cd — the
// way an application using PostgreSQL alone would search. Table is a fresh
// table name in the connected schema.
type PostgresArabic struct {
	DB    *sql.DB
	Table string
}

func (e *PostgresArabic) Name() string { return "postgres-arabic" }

func (e *PostgresArabic) Index(ctx context.Context, docs []Doc) error {
	if _, err := e.DB.ExecContext(ctx, `CREATE TABLE `+e.Table+` (id TEXT PRIMARY KEY, tsv tsvector)`); err != nil {
		return err
	}
	for _, d := range docs {
		if _, err := e.DB.ExecContext(ctx, `INSERT INTO `+e.Table+` VALUES ($1,
			setweight(to_tsvector('arabic', $2), 'A') || setweight(to_tsvector('arabic', $3), 'B'))`, d.ID, d.Title+" "+d.TitleEn, d.Body); err != nil {
			return fmt.Errorf("insert %s: %w", d.ID, err)
		}
	}
	return nil
}

func (e *PostgresArabic) Search(ctx context.Context, q string, k int) ([]string, error) {
	return db.Column[string](ctx, e.DB, `SELECT id FROM `+e.Table+`, plainto_tsquery('arabic', $1) q
		WHERE tsv @@ q ORDER BY ts_rank_cd('{0.1, 0.2, 0.333, 1.0}', tsv, q) DESC, id LIMIT $2`, q, k)
}
