package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"sharaka/internal/platform/db"
)

// candidates reads the newest matches of every term the searcher may see,
// at most MaxCandidates+1 (the one more says there were more), newest first,
// within the cursor's window when there is one. withFilters applies the
// kind and category filters and reads the index words for scoring; without
// them it reads what the facets count.
func (x *Index) candidates(ctx context.Context, q Query, terms []string, cur *cursor, withFilters bool) ([]candidate, error) {
	if x.d.Dialect == db.SQLite {
		return x.candidatesIn(ctx, x.d.R, q, terms, cur, withFilters)
	}
	// PostgreSQL's GIN index cannot hand matches back newest first. For a
	// word in many documents, walking back through the documents newest
	// first and testing each finds the quota soonest (a word in one document
	// of four: two thousand tests for five hundred hits, where the GIN scan
	// would read a quarter of a million entries and fetch as many rows). For
	// rarer words, the GIN scan and fetching every match to keep the newest
	// costs less (a word in one document of a hundred: ten thousand rows,
	// where walking back would test fifty thousand). Each costs about the
	// same per row, so the line is where MaxCandidates/share equals
	// share·documents. The planner misjudges it, so the search draws it from
	// the indexed words' document counts, and uses the GIN index until they
	// are read.
	tx, err := x.d.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read only: nothing to keep
	share, total, known := x.share(terms)
	sets := []string{"SET LOCAL enable_indexscan = off", "SET LOCAL enable_seqscan = off"}
	if known && share*share*float64(total) >= MaxCandidates {
		sets = []string{"SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_seqscan = off"}
	}
	for _, set := range sets {
		if _, err := tx.ExecContext(ctx, set); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return x.candidatesIn(ctx, tx, q, terms, cur, withFilters)
}

func (x *Index) candidatesIn(ctx context.Context, rq db.Querier, q Query, terms []string, cur *cursor, withFilters bool) ([]candidate, error) {
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var from, match, seq string
	if x.d.Dialect == db.Postgres {
		from, seq = "search_docs d", "d.seq"
		match = "d.tsv @@ " + arg(tsqueryLiteral(terms)) + "::tsquery"
	} else {
		// The full-text table hands rows back newest first and stops at the
		// limit, so a common word costs no more than a rare one.
		from, seq = "search_fts JOIN search_docs d ON d.seq = search_fts.rowid", "search_fts.rowid"
		match = "search_fts MATCH " + arg(ftsQuery(terms))
	}
	where := []string{match}
	if cur != nil {
		where = append(where, seq+" <= "+arg(cur.Hi))
		if cur.Lo > 0 {
			where = append(where, seq+" >= "+arg(cur.Lo))
		}
	}
	visible := "d.public"
	if len(q.OrgIDs) > 0 {
		visible = "(d.public OR d.org_id IN (" + list(arg, q.OrgIDs) + "))"
	}
	where = append(where, visible)
	if len(q.PlaceIDs) > 0 {
		where = append(where, "d.place_id IN ("+list(arg, q.PlaceIDs)+")")
	}
	if q.From != "" {
		where = append(where, "d.ends_on >= "+arg(q.From))
	}
	if q.To != "" {
		where = append(where, "d.starts_on <> '' AND d.starts_on <= "+arg(q.To))
	}
	words := "'', ''"
	if withFilters {
		words = "d.title_tokens, d.body_tokens"
		if len(q.Kinds) > 0 {
			where = append(where, "d.kind IN ("+list(arg, q.Kinds)+")")
		}
		if q.Category != "" {
			where = append(where, "d.category = "+arg(q.Category))
		}
	}
	rows, err := rq.QueryContext(ctx, "SELECT d.seq, d.kind, d.ref_id, d.category, "+words+" FROM "+from+
		" WHERE "+strings.Join(where, " AND ")+" ORDER BY "+seq+" DESC LIMIT "+arg(MaxCandidates+1), args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.seq, &c.kind, &c.ref, &c.category, &c.title, &c.body); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// A term may be a group of alternatives joined by anyOf («عيد|عند|بعد»),
// any one of which a record must hold: typo tolerance reads which of them
// the records that hold the other words hold. Index words never contain it.
const anyOf = "|"

// ftsQuery quotes every term for FTS5, all required.
func ftsQuery(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		alts := strings.Split(t, anyOf)
		for j, a := range alts {
			alts[j] = `"` + strings.ReplaceAll(a, `"`, `""`) + `"`
		}
		q[i] = strings.Join(alts, " OR ")
		if len(alts) > 1 {
			q[i] = "(" + q[i] + ")"
		}
	}
	return strings.Join(q, " AND ")
}

// tsqueryLiteral writes terms as a tsquery needing all of them.
func tsqueryLiteral(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = "(" + strings.ReplaceAll(tsvectorLiteral(strings.Split(t, anyOf)), "' '", "' | '") + ")"
	}
	return strings.Join(q, " & ")
}

// list adds vs as arguments and returns their placeholders.
func list(arg func(any) string, vs []string) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = arg(v)
	}
	return strings.Join(ps, ", ")
}
