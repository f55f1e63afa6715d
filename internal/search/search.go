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
// as digits; «ابن» as «بن»; and compound names joined as NameKey joins them
// («عبد الله» and «عبدالله» both give «عبدالله»), with their parts too, so
// a query for either spelling, or for a part, finds the record.
func Terms(text string) []string { return terms(text, true) }

// QueryTerms are the words a query needs: as Terms, but a compound name
// gives only its joined form, which every spelling of it was indexed under.
func QueryTerms(text string) []string { return terms(text, false) }

func terms(text string, withParts bool) []string {
	var words []string
	for _, t := range arabic.Tokens(text) {
		switch t.Kind {
		case arabic.KindHashtag:
			words = append(words, strings.FieldsFunc(strings.TrimPrefix(t.Text, "#"), func(r rune) bool { return r == '_' })...)
		case arabic.KindPhone:
			words = append(words, strings.TrimPrefix(t.Text, "+"))
		default:
			words = append(words, t.Text)
		}
	}
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "ابن" {
			w = "بن"
		}
		if j, ok := compound(words, i); ok {
			if withParts {
				out = append(out, arabic.Stem(words[i]), arabic.Stem(words[i+1]))
			}
			out = append(out, j)
			i++
			continue
		}
		if j, parts := splitCompound(w); j != "" {
			if withParts {
				out = append(out, parts...)
			}
			out = append(out, j)
			continue
		}
		out = append(out, arabic.Stem(w))
	}
	return out
}

// compound joins words[i] with the next word when they make one name:
// «عبد» or «أبو» (أبا، أبي) before a word, or a word before «الله» or «الدين».
func compound(words []string, i int) (string, bool) {
	if i+1 >= len(words) {
		return "", false
	}
	w, next := words[i], words[i+1]
	switch {
	case w == "عبد":
		return w + next, true
	case w == "ابو" || w == "ابا" || w == "ابي":
		return "ابو" + next, true
	case next == "الله" || next == "الدين":
		return w + next, true
	}
	return "", false
}

// splitCompound reads a name written as one word (عبدالرحمن، ابوبكر،
// نورالدين) and returns it, its «أبو» written one way, with its parts.
func splitCompound(w string) (string, []string) {
	for _, p := range []string{"عبد", "ابو", "ابا", "ابي"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len([]rune(rest)) >= 3 {
			if p != "عبد" {
				p = "ابو"
			}
			return p + rest, []string{arabic.Stem(p), arabic.Stem(rest)}
		}
	}
	for _, s := range []string{"الله", "الدين"} {
		if rest, ok := strings.CutSuffix(w, s); ok && len([]rune(rest)) >= 2 {
			return w, []string{arabic.Stem(rest), s}
		}
	}
	return "", nil
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
