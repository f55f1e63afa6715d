// Package search is the one index over every area that has something to
// find. An area puts a Doc in the same transaction as the record it
// describes and deletes it with the record; the words are cut, normalised
// and lightly stemmed by internal/arabic, then indexed by SQLite FTS5 or a
// PostgreSQL tsvector ('simple' configuration, so the database adds no
// stemming of its own).
package search

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"sharaka/internal/arabic"
	"sharaka/internal/platform/db"
)

// Doc is one searchable record.
type Doc struct {
	Kind  string // "opportunity", "organisation", …
	RefID string // the record's id in its area
	// OrgID owns the record; a record that is not Public is found only by
	// those who may see the organisation's private records.
	OrgID  string
	Public bool
	Title  string
	Body   string
	// Tags are extra words (skills, category names) matched like the body.
	Tags     []string
	PlaceID  string
	Category string
	StartsOn string // YYYY-MM-DD, for date filters; "" when none
}

// Index reads and writes the search index. Keep one per database for
// searching: it holds a copy of the indexed words for typo tolerance.
type Index struct {
	d     *db.DB
	mu    sync.Mutex
	vocab *vocab
}

// New returns the index on d.
func New(d *db.DB) *Index { return &Index{d: d} }

// Terms are the index words of a text: every token, normalised; words
// lightly stemmed; hashtags split into their words; phone numbers and numbers
// as digits. Index and query go through the same function.
func Terms(text string) []string {
	var out []string
	for _, t := range arabic.Tokens(text) {
		switch t.Kind {
		case arabic.KindHashtag:
			for _, w := range strings.FieldsFunc(strings.TrimPrefix(t.Text, "#"), func(r rune) bool { return r == '_' }) {
				out = append(out, arabic.Stem(w))
			}
		case arabic.KindPhone:
			out = append(out, strings.TrimPrefix(t.Text, "+"))
		case arabic.KindNumber:
			out = append(out, t.Text)
		default:
			out = append(out, arabic.Stem(t.Text))
		}
	}
	return out
}

// Put writes d, replacing what the index held for the same record, in the
// caller's transaction.
func (x *Index) Put(ctx context.Context, tx db.Querier, d Doc) error {
	if d.Kind == "" || d.RefID == "" {
		return fmt.Errorf("search: put: a document needs a kind and an id")
	}
	title := strings.Join(Terms(d.Title), " ")
	body := strings.Join(Terms(d.Body+"\n"+strings.Join(d.Tags, "\n")), " ")
	now := db.Now()
	if x.d.Dialect == db.Postgres {
		_, err := tx.ExecContext(ctx, `INSERT INTO search_docs (kind, ref_id, org_id, public, title, body, place_id, category, starts_on, title_tokens, body_tokens, updated_at)
			VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, NULLIF($7, ''), $8, $9, $10, $11, $12)
			ON CONFLICT (kind, ref_id) DO UPDATE SET org_id = EXCLUDED.org_id, public = EXCLUDED.public, title = EXCLUDED.title,
				body = EXCLUDED.body, place_id = EXCLUDED.place_id, category = EXCLUDED.category, starts_on = EXCLUDED.starts_on,
				title_tokens = EXCLUDED.title_tokens, body_tokens = EXCLUDED.body_tokens, updated_at = EXCLUDED.updated_at`,
			d.Kind, d.RefID, d.OrgID, d.Public, d.Title, d.Body, d.PlaceID, d.Category, d.StartsOn, title, body, now)
		if err != nil {
			return fmt.Errorf("search: put %s %s: %w", d.Kind, d.RefID, err)
		}
		return nil
	}
	// SQLite: the FTS5 table is contentless, keyed by the document's seq.
	if err := x.Delete(ctx, tx, d.Kind, d.RefID); err != nil {
		return err
	}
	var seq int64
	err := tx.QueryRowContext(ctx, `INSERT INTO search_docs (kind, ref_id, org_id, public, title, body, place_id, category, starts_on, title_tokens, body_tokens, updated_at)
		VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, NULLIF($7, ''), $8, $9, $10, $11, $12) RETURNING seq`,
		d.Kind, d.RefID, d.OrgID, d.Public, d.Title, d.Body, d.PlaceID, d.Category, d.StartsOn, title, body, now).Scan(&seq)
	if err != nil {
		return fmt.Errorf("search: put %s %s: %w", d.Kind, d.RefID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, title_tokens, body_tokens) VALUES ($1, $2, $3)`, seq, title, body); err != nil {
		return fmt.Errorf("search: put %s %s: %w", d.Kind, d.RefID, err)
	}
	return nil
}

// Delete removes a record from the index, in the caller's transaction; a
// record that is not there is no error.
func (x *Index) Delete(ctx context.Context, tx db.Querier, kind, refID string) error {
	if x.d.Dialect == db.SQLite {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid IN (SELECT seq FROM search_docs WHERE kind = $1 AND ref_id = $2)`, kind, refID); err != nil {
			return fmt.Errorf("search: delete %s %s: %w", kind, refID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2`, kind, refID); err != nil {
		return fmt.Errorf("search: delete %s %s: %w", kind, refID, err)
	}
	return nil
}
