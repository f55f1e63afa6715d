package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"sharaka/internal/arabic"
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
	// From and To (YYYY-MM-DD, either may be "") keep the records whose
	// days meet that range; records without dates are left out.
	From, To string
	Limit    int // 20 when 0, at most 100
	// After continues from a page's Next: the hits after that page, in the
	// same order, however many records were added meanwhile.
	After string
	// Facets asks for the counts of matching records by kind and category,
	// whatever Kinds and Category choose (within PlaceIDs), so a page can
	// offer them.
	Facets bool
	// Literal searches the words as typed only, never respelt: for callers
	// that cannot say "showing results for …".
	Literal bool
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
	// Corrected, when not empty, is the query as it was run, respelt,
	// because the words as typed found nothing: the words as typed but
	// for the respelt ones (normalised, or an index word: a stem).
	Corrected string
	// Facets, when asked for, count the matches by kind and category.
	Facets []Facet
	// Next, when not empty, is the Query.After of the next page.
	Next string
	// Total is how many matching records were ranked, on every page.
	Total int
	// FacetsCapped says the counts are of the newest MaxCandidates matches
	// only, so each is a lower bound.
	FacetsCapped bool
	// Capped says that more records matched than are ranked
	// (MaxCandidates): the newest of them were ranked, and the counts are of
	// those. More words narrow the search.
	Capped bool
}

// RefIDs are the hits' record ids, best first.
func (r *Result) RefIDs() []string {
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.RefID
	}
	return ids
}

// MaxCandidates bounds the matching records one search ranks: the newest
// ones, so the cost of a query on a common word stays that of a rare one.
// The ranked window stays the same for every page of a search.
const MaxCandidates = 200

// Search finds the records whose title and body hold every word of the
// query (in any spelling Terms folds together), best first (see score).
// When nothing is found it tries the query respelt, and says so in
// Corrected: first the words no record holds, each as an indexed word near
// it; then, for a short query whose words are all indexed but held by no
// record together, one word as another indexed word one edit away
// («كسوة العبد» for «كسوة العيد»).
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	terms, from := queryTerms(q.Text)
	if len(terms) == 0 {
		return &Result{}, nil
	}
	var cur *cursor
	if q.After != "" {
		c, err := decodeCursor(q.After)
		if err != nil {
			return nil, err
		}
		cur = &c
		if len(c.Terms) > 0 { // a later page of a respelt search
			if !respeltFrom(c.Terms, terms) {
				return nil, ErrBadCursor
			}
			res, err := x.run(ctx, q, c.Terms, cur)
			if err != nil {
				return nil, err
			}
			return respeltResult(res, c.Terms, terms, from, nil), nil
		}
	}
	res, err := x.run(ctx, q, terms, cur)
	if err != nil || len(res.Hits) > 0 || q.Literal {
		return res, err
	}
	v, err := x.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	var unknown []int
	for i, t := range terms {
		if _, ok := v.docs[t]; !ok {
			unknown = append(unknown, i)
		}
	}
	if len(unknown) > maxRespeltWords { // before the work of respelling them
		return res, nil
	}
	r := &respelling{terms: terms, from: from, alts: make([][]string, len(terms)), spelt: map[string][]string{}}
	for _, i := range unknown {
		// A number or phone number one digit off is another number, not
		// a typo of it: only words are respelt.
		if strings.ContainsAny(terms[i], "0123456789") {
			continue
		}
		r.alts[i] = v.respellings(from[i].word, terms, r.spelt)
		// The nearest indexed word reaches two edits in long words.
		if near := v.nearest(terms[i]); near != "" && !slices.Contains(r.alts[i], near) && !slices.Contains(terms, near) {
			r.alts[i] = append(r.alts[i][:min(len(r.alts[i]), maxAlternatives-1)], near)
		}
	}
	if len(unknown) > 0 {
		return x.respelt(ctx, q, r, unknown, cur, res)
	}
	// A single word, or a search narrowed by a kind, place, category or
	// days, finds nothing for reasons other than a typo.
	narrowed := len(q.Kinds) > 0 || q.Category != "" || len(q.PlaceIDs) > 0 || q.From != "" || q.To != ""
	if len(terms) < 2 || len(terms) > maxRespeltWords || narrowed {
		return res, nil
	}
	for i := range terms {
		r.alts[i] = v.respellings(from[i].word, terms, r.spelt)
		if fres, err := x.respelt(ctx, q, r, []int{i}, cur, nil); err != nil || fres != nil {
			return fres, err
		}
	}
	return res, nil
}

// respelling is a query being respelt.
type respelling struct {
	terms []string
	from  []source   // the word each term came from
	alts  [][]string // for some terms, the index words that may replace them
	spelt map[string][]string
}

// respeltFrom reports whether a cursor's terms can be a respelling of the
// query's: as many, each an index word, no more than maxRespeltWords of
// them changed. A cursor is the searcher's to write; this keeps it from
// running other searches than a respelling would.
func respeltFrom(cursorTerms, terms []string) bool {
	if len(cursorTerms) != len(terms) {
		return false
	}
	changed := 0
	for i, t := range cursorTerms {
		if t == "" || len(t) > maxTermBytes || strings.ContainsAny(t, anyOf+" \"'*:^()") {
			return false
		}
		if t != terms[i] {
			changed++
		}
	}
	return changed <= maxRespeltWords
}

// respeltResult marks res as found with terms, respelt from query, and
// carries them to its later pages. Corrected shows the query as typed
// (from) but for the respelt words, each spelt as nearest to what was
// typed among the words of the hits' titles and snippets, and then spelt's
// spellings, that stem to it; else as the index word.
func respeltResult(res *Result, terms, query []string, from []source, spelt map[string][]string) *Result {
	var hitWords []string
	for _, h := range res.Hits {
		for _, t := range arabic.Tokens(h.Title) {
			hitWords = append(hitWords, t.Text)
		}
		for _, p := range h.Snippet {
			for _, t := range arabic.Tokens(p.Text) {
				hitWords = append(hitWords, t.Text)
			}
		}
	}
	shown := make([]string, len(terms))
	for i, t := range terms {
		if t == query[i] {
			shown[i] = from[i].typed
			continue
		}
		typed := []rune(from[i].word)
		best, bestD := "", 0
		for _, ws := range [2][]string{hitWords, spelt[t]} {
			for _, w := range ws {
				if arabic.Stem(w) != t {
					continue
				}
				if d := editDistance(typed, []rune(w), 1<<30); best == "" || d < bestD {
					best, bestD = w, d
				}
			}
		}
		shown[i] = cmp.Or(best, t)
	}
	res.Corrected = strings.Join(shown, " ")
	if res.Next != "" {
		if c, err := decodeCursor(res.Next); err == nil {
			c.Terms = terms
			res.Next = c.encode()
		}
	}
	return res
}

// maxRespeltWords bounds the words respelt: each costs a search, and a
// lookup per spelling one edit away.
const maxRespeltWords = 4

// maxAlternatives bounds the respellings tried for one word.
const maxAlternatives = 12

// respelt searches with the terms at positions at replaced by one of their
// alternatives each: first once with every alternative allowed, to see
// which of them the records holding the other words hold most, then with
// those. It returns fallback when that finds nothing.
func (x *Index) respelt(ctx context.Context, q Query, r *respelling, at []int, cur *cursor, fallback *Result) (*Result, error) {
	open := slices.Clone(r.terms)
	for _, i := range at {
		if len(r.alts[i]) == 0 {
			return fallback, nil
		}
		open[i] = strings.Join(r.alts[i][:min(len(r.alts[i]), maxAlternatives)], anyOf)
	}
	cands, err := x.candidates(ctx, q, open, nil, true)
	if err != nil || len(cands) == 0 {
		return fallback, err
	}
	held, seen := map[string]int{}, map[string]bool{} // how many candidates hold each word
	for _, c := range cands {
		for _, w := range distinct(seen, strings.Fields(c.title), strings.Fields(c.body)) {
			held[w]++
		}
	}
	fixed := slices.Clone(r.terms)
	for _, i := range at {
		best := ""
		for _, a := range strings.Split(open[i], anyOf) {
			if best == "" || held[a] > held[best] {
				best = a
			}
		}
		fixed[i] = best
	}
	res, err := x.run(ctx, q, fixed, cur)
	if err != nil || len(res.Hits) == 0 {
		return fallback, err
	}
	return respeltResult(res, fixed, r.terms, r.from, r.spelt), nil
}

// run searches for index terms: the newest MaxCandidates matches the
// searcher may see are read with their words, scored here, and the page
// after the cursor kept.
func (x *Index) run(ctx context.Context, q Query, terms []string, cur *cursor) (*Result, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	filtered := len(q.Kinds) > 0 || q.Category != ""
	cands, err := x.candidates(ctx, q, terms, cur, true)
	if err != nil {
		return nil, err
	}
	res := &Result{Capped: len(cands) > MaxCandidates}
	cands = cands[:min(len(cands), MaxCandidates)]
	res.Total = len(cands)
	win := window{}
	switch {
	case cur != nil:
		win = cur.window
	case len(cands) > 0:
		win.Hi, win.Top = cands[0].seq, cands[0].seq
		if res.Capped {
			win.Lo = cands[len(cands)-1].seq
		}
	}
	if q.Facets {
		all := cands
		res.FacetsCapped = res.Capped
		if filtered {
			// The counts are across kinds and categories: read the matches
			// again without those filters, up to the newest record the first
			// page saw, so every page counts the same.
			var upTo *cursor
			if cur != nil {
				upTo = &cursor{window: window{Hi: max(cur.Top, cur.Hi)}}
			}
			if all, err = x.candidates(ctx, q, terms, upTo, false); err != nil {
				return nil, err
			}
			res.FacetsCapped = len(all) > MaxCandidates
			all = all[:min(len(all), MaxCandidates)]
			if cur == nil && len(all) > 0 {
				win.Top = max(win.Top, all[0].seq)
			}
		}
		res.Facets = countFacets(all)
	}
	for i := range cands {
		cands[i].score = score(cands[i].title, cands[i].body, terms)
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(b.seq, a.seq)
	})
	if cur != nil {
		i := 0
		for i < len(cands) && !cur.before(cands[i]) {
			i++
		}
		cands = cands[i:]
	}
	if len(cands) > limit {
		last := cands[limit-1]
		res.Next = cursor{Score: last.score, Seq: last.seq, window: win}.encode()
		cands = cands[:limit]
	}
	if res.Hits, err = x.hits(ctx, cands, terms); err != nil {
		return nil, err
	}
	return res, nil
}

// countFacets counts candidates by kind and category.
func countFacets(cands []candidate) []Facet {
	n := map[[2]string]int{}
	for _, c := range cands {
		n[[2]string{c.kind, c.category}]++
	}
	out := make([]Facet, 0, len(n))
	for k, c := range n {
		out = append(out, Facet{Kind: k[0], Category: k[1], Count: c})
	}
	slices.SortFunc(out, func(a, b Facet) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Category, b.Category))
	})
	return out
}

// hits reads the page's records' own text and cuts their snippets.
func (x *Index) hits(ctx context.Context, page []candidate, terms []string) ([]Hit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	args := make([]any, len(page))
	at := make(map[int64]int, len(page))
	for i, c := range page {
		args[i] = c.seq
		at[c.seq] = i
	}
	rows, err := x.d.R.QueryContext(ctx, `SELECT seq, title, body FROM search_docs WHERE seq IN (`+dollars(len(page))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: read hits: %w", err)
	}
	defer rows.Close()
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	hits := make([]Hit, len(page))
	for i, c := range page {
		hits[i] = Hit{Kind: c.kind, RefID: c.ref, Score: c.score}
	}
	for rows.Next() {
		var seq int64
		var title, body string
		if err := rows.Scan(&seq, &title, &body); err != nil {
			return nil, fmt.Errorf("search: read hits: %w", err)
		}
		h := &hits[at[seq]]
		h.Title, h.Snippet = title, Snippet(body, want, 30)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: read hits: %w", err)
	}
	return hits, nil
}
