package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"runtime"
	"slices"
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
	return x.write(ctx, tx, prepareRows(dedupe(docs), runtime.GOMAXPROCS(0)), db.Now())
}

// Load indexes every batch of documents batches yields, for reindexing and
// bulk loads: batches are gathered into transactions of loadTxDocs, and
// while the database writes one, the next is read and its words cut on the
// other cores. It returns how many of the documents it was given it wrote;
// when a batch cannot be read, what was gathered since the last transaction
// is not written.
func (x *Index) Load(ctx context.Context, batches iter.Seq2[[]Doc, error]) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type gathered struct {
		rows  []row
		given int // documents, before the same record twice is made one
	}
	ready := make(chan gathered, 1)
	// The database writes on one core, and it is the slower half: the
	// words are cut on the others, so the writer is never made to wait for
	// a core (with every core cutting, it lost a third of its time).
	cutters := max(1, runtime.GOMAXPROCS(0)-1)
	var readErr error
	go func() {
		defer close(ready)
		var pending []Doc
		send := func() bool {
			select {
			case ready <- gathered{prepareRows(dedupe(pending), cutters), len(pending)}:
				pending = nil
				return true
			case <-ctx.Done():
				return false
			}
		}
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
			if pending = append(pending, docs...); len(pending) >= loadTxDocs && !send() {
				return
			}
		}
		if len(pending) > 0 {
			send()
		}
	}()
	n := 0
	for g := range ready {
		err := x.d.WithTx(ctx, func(tx db.Tx) error { return x.write(ctx, tx, g.rows, db.Now()) })
		if err != nil {
			cancel()
			for range ready { // let the reader stop
			}
			return n, err
		}
		n += g.given
	}
	if readErr != nil {
		return n, fmt.Errorf("search: load: %w", readErr)
	}
	return n, ctx.Err()
}

// loadTxDocs is how many documents Load gathers from its batches for one
// transaction: FTS5 writes a segment per transaction (up to its hash size,
// 16 MB since migration 00011) and merges segments four at a time, so
// fewer, larger segments mean less merging.
const loadTxDocs = 10_000

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
	seqs, first, err := putSQLite(ctx, tx, rows, now)
	if err != nil {
		return err
	}
	return fillFullText(ctx, tx, rows, seqs, first)
}

// row is a document with its index words.
type row struct {
	Doc
	title, body string   // the index words, space-separated
	distinct    []string // the words of both, each once, as the full-text index holds them
}

// newRow cuts d's words.
func newRow(d Doc, seen map[string]bool) row {
	body := d.Body
	if len(d.Tags) > 0 {
		body += "\n" + strings.Join(d.Tags, "\n")
	}
	title, bodyTerms := terms(d.Title, true), terms(body, true)
	return row{Doc: d, title: strings.Join(title, " "), body: strings.Join(bodyTerms, " "), distinct: distinct(seen, title, bodyTerms)}
}

// distinct lists the words of title and body once each, in order; seen is
// scratch space.
func distinct(seen map[string]bool, title, body []string) []string {
	clear(seen)
	out := make([]string, 0, len(title)+len(body))
	for _, ts := range [2][]string{title, body} {
		for _, t := range ts {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
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

// prepareRows cuts every document's words, spread over as many goroutines
// as workers when there are many.
func prepareRows(docs []Doc, workers int) []row {
	rows := make([]row, len(docs))
	cut := func(lo, hi int) {
		seen := map[string]bool{}
		for i := lo; i < hi; i++ {
			rows[i] = newRow(docs[i], seen)
		}
	}
	if len(docs) < 64 || workers <= 1 {
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
// PostgreSQL, and a new one takes the next. It returns each row's seq, and
// the last seq given before: the new rows have the seqs after it, in order.
// SQLite has one writer, so the seqs read in the transaction stay free.
func putSQLite(ctx context.Context, tx db.Querier, rows []row, now any) (seqs []int64, first int64, err error) {
	const chunk = 500
	had := map[[2]string]int64{}
	for lo := 0; lo < len(rows); lo += chunk {
		if err := deleteSQLite(ctx, tx, rows[lo:min(len(rows), lo+chunk)], had); err != nil {
			return nil, 0, err
		}
	}
	first, err = lastSeq(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	seq := first
	// One prepared statement, run per row: parsing a statement of
	// thousands of values costs more than running a small one many times.
	p, ok := tx.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	})
	if !ok {
		return nil, 0, fmt.Errorf("search: put: %T cannot prepare statements", tx)
	}
	stmt, err := p.PrepareContext(ctx, `INSERT INTO search_docs (seq, `+docCols+`) VALUES (?, ?, ?, NULLIF(?, ''), ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, 0, fmt.Errorf("search: put: %w", err)
	}
	defer stmt.Close()
	// The driver watches a context that can end with a goroutine per
	// statement, which costs more than the insert; the transaction still
	// ends with ctx, and the next row's insert then fails.
	rowCtx := context.WithoutCancel(ctx)
	seqs = make([]int64, len(rows))
	for i := range rows {
		s, ok := had[[2]string{rows[i].Kind, rows[i].RefID}]
		if !ok {
			seq++
			s = seq
		}
		seqs[i] = s
		if _, err := stmt.ExecContext(rowCtx, append([]any{s}, docValues(&rows[i], now)...)...); err != nil {
			return nil, 0, fmt.Errorf("search: put %s %s: %w", rows[i].Kind, rows[i].RefID, err)
		}
	}
	return seqs, first, nil
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

// fillFullText indexes the rows' words under their seqs. FTS5 writes what
// it holds to disk at every statement that writes to it and whenever a
// rowid comes lower than the last, so the new rows, whose seqs follow one
// another, go in one statement in seq order, after the rows that kept
// their seqs. Each word goes once (the index keeps which documents hold a
// word, not how often), from a JSON array: reading the words back from
// search_docs would hand FTS5 every repeat.
func fillFullText(ctx context.Context, tx db.Querier, rows []row, seqs []int64, first int64) error {
	var kept, added []int
	for i, s := range seqs {
		if s > first {
			added = append(added, i)
		} else {
			kept = append(kept, i)
		}
	}
	if len(kept) > 0 {
		pairs := make([]ftsRow, len(kept))
		for k, i := range kept {
			pairs[k] = ftsRow{seqs[i], rows[i].distinct}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, terms) SELECT value ->> 0, value ->> 1 FROM json_each(?)`,
			ftsRowsJSON(pairs)); err != nil {
			return fmt.Errorf("search: put: full text: %w", err)
		}
	}
	if len(added) == 0 {
		return nil
	}
	// putSQLite numbered the new rows first+1, first+2, … in row order.
	js := []byte{'['}
	for k, i := range added {
		if k > 0 {
			js = append(js, ',')
		}
		js = appendJSONWords(js, rows[i].distinct)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, terms) SELECT ? + key, value FROM json_each(?)`,
		first+1, string(append(js, ']'))); err != nil {
		return fmt.Errorf("search: put: full text: %w", err)
	}
	return nil
}

// ftsRow is a document's seq with its words, each once.
type ftsRow struct {
	seq   int64
	words []string
}

// ftsRowsJSON writes rs as [[seq, "words"], …] in seq order, for FTS5 to
// read with json_each.
func ftsRowsJSON(rs []ftsRow) string {
	slices.SortFunc(rs, func(a, b ftsRow) int { return cmp.Compare(a.seq, b.seq) })
	js := []byte{'['}
	for k, r := range rs {
		if k > 0 {
			js = append(js, ',')
		}
		js = strconv.AppendInt(append(js, '['), r.seq, 10)
		js = append(appendJSONWords(append(js, ','), r.words), ']')
	}
	return string(append(js, ']'))
}

// appendJSONWords appends words, space-separated, as a JSON string.
func appendJSONWords(b []byte, words []string) []byte {
	b = append(b, '"')
	for j, w := range words {
		if j > 0 {
			b = append(b, ' ')
		}
		if !needsJSONEscape(w) {
			b = append(b, w...)
			continue
		}
		for i := 0; i < len(w); i++ {
			switch c := w[i]; {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xF])
			default:
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// needsJSONEscape reports whether s holds a quote, a backslash or a control
// character; index words, letters and digits, never do.
func needsJSONEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return true
		}
	}
	return false
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
		found, err := tx.QueryContext(ctx, `SELECT seq, ref_id, title_tokens, body_tokens FROM search_docs WHERE kind = ? AND ref_id IN (`+questions(len(refs))+`)`, append([]any{kind}, refs...)...)
		if err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		var seqs []int64
		var gone []ftsRow
		seen := map[string]bool{}
		for found.Next() {
			var seq int64
			var ref, title, body string
			if err := found.Scan(&seq, &ref, &title, &body); err != nil {
				found.Close()
				return fmt.Errorf("search: replace %s: %w", kind, err)
			}
			seqs = append(seqs, seq)
			gone = append(gone, ftsRow{seq, distinct(seen, strings.Fields(title), strings.Fields(body))})
			had[[2]string{kind, ref}] = seq
		}
		found.Close()
		if err := found.Err(); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		if len(seqs) == 0 {
			continue
		}
		// Each word once, as fillFullText inserted them: FTS5 lowers its
		// count of all words by what a delete is given, and a count below
		// zero is, to it, a malformed database.
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (search_fts, rowid, terms)
				SELECT 'delete', value ->> 0, value ->> 1 FROM json_each(?)`, ftsRowsJSON(gone)); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
		in := questions(len(seqs))
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
			for c, v := range []string{r.Kind, r.RefID, r.OrgID, r.Title, r.Body, r.PlaceID, r.Category, r.StartsOn, r.EndsOn, r.title, r.body, tsvectorLiteral(r.distinct)} {
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
