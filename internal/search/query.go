package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"sharaka/internal/platform/db"
)

// Query is a search.
type Query struct {
	Text string
	// Kinds limits the search to these kinds; empty means every kind.
	Kinds []string
	// OrgIDs are the organisations whose private records the searcher may
	// see; public records are seen by everyone.
	OrgIDs []string
	// Category limits the search to records of that category (an
	// opportunity's field, an organisation's type).
	Category string
	// PlaceIDs limits the search to records in one of these places (a place
	// and the places below it, which the caller lists).
	PlaceIDs []string
	Limit    int // 20 when 0, at most 100
	// Facets asks for the counts of matching records by kind and category,
	// whatever Kinds and Category choose (within PlaceIDs), so a page can
	// offer them.
	Facets bool
}

// Facet is how many matching records have a kind and a category.
type Facet struct {
	Kind     string `json:"kind"`
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// Hit is one found record.
type Hit struct {
	Kind, RefID string
	Title       string
	// Snippet is a piece of the record's own text around the first match,
	// with the matching words marked.
	Snippet []Part
	// Score orders the hits: higher is better.
	Score float64
}

// Part is a run of snippet text, matching the query or not.
type Part struct {
	Text  string
	Match bool
}

// Result is what a search found.
type Result struct {
	Hits []Hit
	// Corrected, when not empty, is the query as it was run after a word
	// that no record holds was replaced by the nearest indexed word.
	Corrected string
	// Facets, when asked for, count the matches by kind and category.
	Facets []Facet
}

// Search finds the records whose title and body hold every word of the
// query (in any spelling Terms folds together), best first: a match in the
// title counts three times one in the body. When nothing is found and a word
// of the query is in no record, it searches again with that word spelt as
// the nearest indexed word and says so in Corrected.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	terms := QueryTerms(q.Text)
	if len(terms) == 0 {
		return &Result{}, nil
	}
	hits, err := x.search(ctx, q, terms)
	if err != nil {
		return nil, err
	}
	if len(hits) > 0 {
		return x.withFacets(ctx, q, terms, &Result{Hits: hits})
	}
	v, err := x.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	fixed, changed := make([]string, len(terms)), false
	for i, t := range terms {
		fixed[i] = t
		if _, ok := v.docs[t]; !ok {
			if near := v.nearest(t); near != "" {
				fixed[i], changed = near, true
			}
		}
	}
	if !changed {
		return &Result{}, nil
	}
	hits, err = x.search(ctx, q, fixed)
	if err != nil || len(hits) == 0 {
		return &Result{}, err
	}
	return x.withFacets(ctx, q, fixed, &Result{Hits: hits, Corrected: strings.Join(fixed, " ")})
}

// withFacets adds the counts by kind and category when the query asks.
func (x *Index) withFacets(ctx context.Context, q Query, terms []string, res *Result) (*Result, error) {
	if !q.Facets {
		return res, nil
	}
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	from, where := x.matching(q, terms, arg)
	rows, err := x.d.R.QueryContext(ctx, "SELECT d.kind, d.category, COUNT(*) FROM "+from+" WHERE "+strings.Join(where, " AND ")+
		" GROUP BY d.kind, d.category ORDER BY d.kind, d.category", args...)
	if err != nil {
		return nil, fmt.Errorf("search: facets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f Facet
		if err := rows.Scan(&f.Kind, &f.Category, &f.Count); err != nil {
			return nil, fmt.Errorf("search: facets: %w", err)
		}
		res.Facets = append(res.Facets, f)
	}
	return res, rows.Err()
}

// matching is the FROM and the WHERE conditions every query shares: the
// terms, who may see the record and the place, without the kind and
// category filters (which the facets count across).
func (x *Index) matching(q Query, terms []string, arg func(any) string) (from string, where []string) {
	var match string
	if x.d.Dialect == db.Postgres {
		from = "search_docs d, plainto_tsquery('simple', " + arg(strings.Join(terms, " ")) + ") q"
		match = "d.tsv @@ q"
	} else {
		from = "search_fts JOIN search_docs d ON d.seq = search_fts.rowid"
		match = "search_fts MATCH " + arg(ftsQuery(terms))
	}
	visible := "d.public"
	if len(q.OrgIDs) > 0 {
		visible = "(d.public OR d.org_id IN (" + list(arg, q.OrgIDs) + "))"
	}
	where = []string{match, visible}
	if len(q.PlaceIDs) > 0 {
		where = append(where, "d.place_id IN ("+list(arg, q.PlaceIDs)+")")
	}
	return from, where
}

// search runs one query of index terms.
func (x *Index) search(ctx context.Context, q Query, terms []string) ([]Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	sel := "-bm25(search_fts, 3.0, 1.0)" // bm25 is lower for better matches; negated so higher is better
	if x.d.Dialect == db.Postgres {
		sel = "ts_rank_cd('{0.1, 0.2, 0.333, 1.0}', d.tsv, q)"
	}
	order := "score DESC, d.seq"
	from, where := x.matching(q, terms, arg)
	if len(q.Kinds) > 0 {
		where = append(where, "d.kind IN ("+list(arg, q.Kinds)+")")
	}
	if q.Category != "" {
		where = append(where, "d.category = "+arg(q.Category))
	}

	sql := "SELECT d.kind, d.ref_id, d.title, d.body, " + sel + " AS score FROM " + from +
		" WHERE " + strings.Join(where, " AND ") + " ORDER BY " + order + " LIMIT " + arg(limit)
	rows, err := x.d.R.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	var hits []Hit
	for rows.Next() {
		var h Hit
		var body string
		if err := rows.Scan(&h.Kind, &h.RefID, &h.Title, &body, &h.Score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		h.Snippet = Snippet(body, want, 30)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return hits, nil
}

// ftsQuery quotes every term for FTS5, all required.
func ftsQuery(terms []string) string {
	q := make([]string, len(terms))
	for i, t := range terms {
		q[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(q, " ")
}

// list adds vs as arguments and returns their placeholders.
func list(arg func(any) string, vs []string) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = arg(v)
	}
	return strings.Join(ps, ", ")
}
