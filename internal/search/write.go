package search

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"sharaka/internal/platform/db"
)

// Put writes d, replacing what the index held for the same record, in the
// caller's transaction.
func (x *Index) Put(ctx context.Context, tx db.Querier, d Doc) error {
	return x.PutBatch(ctx, tx, []Doc{d})
}

// PutBatch writes many documents as Put writes one, in the caller's
// transaction, cutting their words on every core. When the same record comes
// twice, the later one wins.
func (x *Index) PutBatch(ctx context.Context, tx db.Querier, docs []Doc) error {
	if err := validate(docs); err != nil {
		return err
	}
	return x.write(ctx, tx, prepareRows(dedupe(docs)), db.Now())
}

// Load indexes every batch of documents batches yields, each in its own
// transaction, for reindexing and bulk loads: while the database writes one
// batch, the next is read and its words cut on the other cores. It returns
// how many documents it wrote.
func (x *Index) Load(ctx context.Context, batches iter.Seq2[[]Doc, error]) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan []row, 1)
	var readErr error
	go func() {
		defer close(ready)
		for docs, err := range batches {
			if ctx.Err() != nil {
				return // the writer stopped
			}
			if err == nil {
				err = validate(docs)
			}
			if err != nil {
				readErr = err
				return
			}
			select {
			case ready <- prepareRows(dedupe(docs)):
			case <-ctx.Done():
				return
			}
		}
	}()
	n := 0
	for rows := range ready {
		err := x.d.WithTx(ctx, func(tx db.Tx) error { return x.write(ctx, tx, rows, db.Now()) })
		if err != nil {
			cancel()
			for range ready { // let the reader stop
			}
			return n, err
		}
		n += len(rows)
	}
	if readErr != nil {
		return n, fmt.Errorf("search: load: %w", readErr)
	}
	return n, ctx.Err()
}

func validate(docs []Doc) error {
	for _, d := range docs {
		if d.Kind == "" || d.RefID == "" {
			return fmt.Errorf("search: put: a document needs a kind and an id")
		}
	}
	return nil
}

// write puts prepared rows in the index.
func (x *Index) write(ctx context.Context, tx db.Querier, rows []row, now any) error {
	if x.d.Dialect == db.Postgres {
		return putPostgres(ctx, tx, rows, now)
	}
	// The full-text rows are written last, in one statement: FTS5 writes a
	// segment per statement, so one per batch keeps it from merging small
	// segments all the time.
	first, err := lastSeq(ctx, tx)
	if err != nil {
		return err
	}
	kept, err := putSQLite(ctx, tx, rows, now)
	if err != nil {
		return err
	}
	return fillFullText(ctx, tx, first, kept)
}

// row is a document with its index words.
type row struct {
	Doc
	title, body string // the index words, space-separated
}

// terms are the row's distinct index words.
func (r *row) terms() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range strings.Fields(r.title + " " + r.body) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// dedupe keeps the last of several documents for one record.
func dedupe(docs []Doc) []Doc {
	if len(docs) < 2 {
		return docs
	}
	last := make(map[[2]string]int, len(docs))
	for i, d := range docs {
		last[[2]string{d.Kind, d.RefID}] = i
	}
	if len(last) == len(docs) {
		return docs
	}
	out := make([]Doc, 0, len(last))
	for i, d := range docs {
		if last[[2]string{d.Kind, d.RefID}] == i {
			out = append(out, d)
		}
	}
	return out
}

// prepareRows cuts every document's words, spread over the cores when there
// are many: cutting words is most of the work of indexing.
func prepareRows(docs []Doc) []row {
	rows := make([]row, len(docs))
	cut := func(lo, hi int) {
		var cache stems
		if hi-lo > 1 {
			cache = stems{}
		}
		for i := lo; i < hi; i++ {
			d := docs[i]
			rows[i] = row{Doc: d, title: strings.Join(terms(d.Title, true, cache), " "),
				body: strings.Join(terms(d.Body+"\n"+strings.Join(d.Tags, "\n"), true, cache), " ")}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if len(docs) < 64 || workers == 1 {
		cut(0, len(docs))
		return rows
	}
	var wg sync.WaitGroup
	per := (len(docs) + workers - 1) / workers
	for lo := 0; lo < len(docs); lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			cut(lo, hi)
		}(lo, min(len(docs), lo+per))
	}
	wg.Wait()
	return rows
}

// docCols are search_docs' written columns, in the order of docValues.
const docCols = "kind, ref_id, org_id, public, title, body, place_id, category, starts_on, ends_on, title_tokens, body_tokens, updated_at"

func docValues(r *row, now any) []any {
	return []any{r.Kind, r.RefID, r.OrgID, r.Public, r.Title, r.Body, r.PlaceID, r.Category, r.StartsOn, r.EndsOn, r.title, r.body, now}
}

// putSQLite deletes what the index held for the records, then inserts the
// rows: a record already indexed keeps its seq, as an update keeps it on
// PostgreSQL, and a new one takes the next. fillFullText then indexes their
// words; kept are the seqs reused. SQLite has one writer, so the seqs read in
// the transaction stay free.
func putSQLite(ctx context.Context, tx db.Querier, rows []row, now any) (kept []int64, err error) {
	const chunk = 500
	had := map[[2]string]int64{}
	for lo := 0; lo < len(rows); lo += chunk {
		if err := deleteSQLite(ctx, tx, rows[lo:min(len(rows), lo+chunk)], had); err != nil {
			return nil, err
		}
	}
	seq, err := lastSeq(ctx, tx)
	if err != nil {
		return nil, err
	}
	// One prepared statement, run per row: parsing a statement of
	// thousands of values costs more than running a small one many times.
	p, ok := tx.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return nil, fmt.Errorf("search: put: %T cannot prepare statements", tx)
	}
	stmt, err := p.PrepareContext(ctx, `INSERT INTO search_docs (seq, `+docCols+`) VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, NULLIF($8, ''), $9, $10, $11, $12, $13, $14)`)
	if err != nil {
		return nil, fmt.Errorf("search: put: %w", err)
	}
	defer stmt.Close()
	for i := range rows {
		s, ok := had[[2]string{rows[i].Kind, rows[i].RefID}]
		if ok {
			kept = append(kept, s)
		} else {
			seq++
			s = seq
		}
		if _, err := stmt.ExecContext(ctx, append([]any{s}, docValues(&rows[i], now)...)...); err != nil {
			return nil, fmt.Errorf("search: put %s %s: %w", rows[i].Kind, rows[i].RefID, err)
		}
	}
	return kept, nil
}

// lastSeq is the highest seq search_docs has given, deleted or not.
func lastSeq(ctx context.Context, tx db.Querier) (int64, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(n) FROM (SELECT COALESCE(MAX(seq), 0) AS n FROM search_docs
			UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'search_docs')`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("search: put: last seq: %w", err)
	}
	return seq, nil
}

// fillFullText indexes the words of the documents written after seq first
// and of those that kept their seqs.
func fillFullText(ctx context.Context, tx db.Querier, first int64, kept []int64) error {
	const fill = `INSERT INTO search_fts (rowid, terms) SELECT seq, title_tokens || ' ' || body_tokens FROM search_docs WHERE `
	if _, err := tx.ExecContext(ctx, fill+`seq > ? ORDER BY seq`, first); err != nil {
		return fmt.Errorf("search: put: full text: %w", err)
	}
	for lo := 0; lo < len(kept); lo += 500 {
		part := kept[lo:min(len(kept), lo+500)]
		if _, err := tx.ExecContext(ctx, fill+`seq IN (`+questions(len(part))+`)`, anys(part)...); err != nil {
			return fmt.Errorf("search: put: full text: %w", err)
		}
	}
	return nil
}

// deleteSQLite removes the index rows of the records rows describe, noting
// in had the seq each held. New records, the most common case in bulk, cost
// one lookup each.
func deleteSQLite(ctx context.Context, tx db.Querier, rows []row, had map[[2]string]int64) error {
	byKind := map[string][]any{}
	for i := range rows {
		byKind[rows[i].Kind] = append(byKind[rows[i].Kind], rows[i].RefID)
	}
	for kind, refs := range byKind {
		found, err := tx.QueryContext(ctx, `SELECT seq, ref_id FROM search_docs WHERE kind = ? AND ref_id IN (`+questions(len(refs))+`)`, append([]any{kind}, refs...)...)
		if err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		var seqs []int64
		for found.Next() {
			var seq int64
			var ref string
			if err := found.Scan(&seq, &ref); err != nil {
				found.Close()
				return fmt.Errorf("search: replace %s: %w", kind, err)
			}
			seqs = append(seqs, seq)
			had[[2]string{kind, ref}] = seq
		}
		found.Close()
		if err := found.Err(); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		if len(seqs) == 0 {
			continue
		}
		in := questions(len(seqs))
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (search_fts, rowid, terms)
				SELECT 'delete', seq, title_tokens || ' ' || body_tokens FROM search_docs WHERE seq IN (`+in+`)`, anys(seqs)...); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE seq IN (`+in+`)`, anys(seqs)...); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
	}
	return nil
}

// questions lists n plain ? placeholders: with thousands of values SQLite
// looks $N names up one by one, which costs more than the statement.
func questions(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// putPostgres upserts the rows from arrays, one statement per thousand,
// with the tsvector built from the words the application cut.
func putPostgres(ctx context.Context, tx db.Querier, rows []row, now any) error {
	const chunk = 1000
	for lo := 0; lo < len(rows); lo += chunk {
		part := rows[lo:min(len(rows), lo+chunk)]
		cols := make([][]string, 12)
		public := make([]bool, len(part))
		for i := range part {
			r := &part[i]
			for c, v := range []string{r.Kind, r.RefID, r.OrgID, r.Title, r.Body, r.PlaceID, r.Category, r.StartsOn, r.EndsOn, r.title, r.body, tsvectorLiteral(r.terms())} {
				cols[c] = append(cols[c], v)
			}
			public[i] = r.Public
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO search_docs (`+docCols+`, tsv)
			SELECT k, r, NULLIF(o, ''), p, t, b, NULLIF(pl, ''), c, s, e, tt, bt, $14, v::tsvector
			FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
				AS u(k, r, o, p, t, b, pl, c, s, e, tt, bt, v)
			ON CONFLICT (kind, ref_id) DO UPDATE SET org_id = EXCLUDED.org_id, public = EXCLUDED.public, title = EXCLUDED.title,
				body = EXCLUDED.body, place_id = EXCLUDED.place_id, category = EXCLUDED.category, starts_on = EXCLUDED.starts_on,
				ends_on = EXCLUDED.ends_on, title_tokens = EXCLUDED.title_tokens, body_tokens = EXCLUDED.body_tokens,
				updated_at = EXCLUDED.updated_at, tsv = EXCLUDED.tsv`,
			cols[0], cols[1], cols[2], public, cols[3], cols[4], cols[5], cols[6], cols[7], cols[8], cols[9], cols[10], cols[11], now)
		if err != nil {
			return fmt.Errorf("search: put %d documents: %w", len(part), err)
		}
	}
	return nil
}

// tsvectorLiteral writes words as a tsvector's text form, each quoted.
func tsvectorLiteral(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		for _, r := range w {
			if r == '\'' || r == '\\' {
				b.WriteRune(r)
			}
			b.WriteRune(r)
		}
		b.WriteByte('\'')
	}
	return b.String()
}

// SetDates changes the days a record spans, in the caller's transaction,
// for records whose dates change without their words (an opportunity's
// shifts); a record not in the index is no error.
func (x *Index) SetDates(ctx context.Context, tx db.Querier, kind, refID, startsOn, endsOn string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE search_docs SET starts_on = $1, ends_on = $2 WHERE kind = $3 AND ref_id = $4`,
		startsOn, endsOn, kind, refID); err != nil {
		return fmt.Errorf("search: dates of %s %s: %w", kind, refID, err)
	}
	return nil
}

// Delete removes a record from the index, in the caller's transaction; a
// record that is not there is no error.
func (x *Index) Delete(ctx context.Context, tx db.Querier, kind, refID string) error {
	if x.d.Dialect == db.SQLite {
		return deleteSQLite(ctx, tx, []row{{Doc: Doc{Kind: kind, RefID: refID}}}, map[[2]string]int64{})
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2`, kind, refID); err != nil {
		return fmt.Errorf("search: delete %s %s: %w", kind, refID, err)
	}
	return nil
}

// dollars lists $1 … $n.
func dollars(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ps, ", ")
}
