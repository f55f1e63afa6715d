package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/arabic"
	"sharaka/internal/platform/db"
)

// Typo tolerance (Index.Search): a query that finds nothing is tried
// respelt — a word no record holds as an indexed word near it, or one word
// of a short query as another indexed word one edit away — and the page
// says "showing results for …". This file holds the indexed words and the
// spellings near a word.

// vocabTTL is how long a process trusts its copy of the indexed words.
const vocabTTL = 5 * time.Minute

type vocab struct {
	loaded time.Time
	docs   map[string]int   // term → documents holding it
	byLen  map[int][]string // terms by length in letters
	total  int              // documents in the index
}

// share estimates the share of the documents holding every term, taking
// the terms as independent, and how many documents there are; ok is false
// while no copy of the words is read yet.
func (x *Index) share(terms []string) (share float64, total int, ok bool) {
	v, _ := x.currentVocabulary()
	if v == nil || v.total == 0 {
		return 0, 0, false
	}
	share = 1
	for _, t := range terms {
		n := 0
		for _, alt := range strings.Split(t, anyOf) { // any of them
			n += v.docs[alt]
		}
		share *= min(1, float64(n)/float64(v.total))
	}
	return share, v.total, true
}

// vocabulary returns the indexed words with their document counts. A copy
// older than vocabTTL is used while a fresh one is read in the background,
// so only a search needing it before the first copy is read waits (Warm
// reads it at start): reading every indexed word takes seconds at a million
// documents.
func (x *Index) vocabulary(ctx context.Context) (*vocab, error) {
	v, wait := x.currentVocabulary()
	if v != nil {
		return v, nil
	}
	select {
	case <-wait:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.vocab == nil {
		return nil, x.vocabErr
	}
	return x.vocab, nil
}

// currentVocabulary returns the copy of the indexed words there is (nil
// before the first is read) and starts reading a fresh one when there is
// none or it is older than vocabTTL; wait is closed when that read ends.
func (x *Index) currentVocabulary() (v *vocab, wait chan struct{}) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if (x.vocab == nil || time.Since(x.vocab.loaded) >= vocabTTL) && x.loading == nil {
		x.loading = make(chan struct{})
		go x.loadVocabulary(x.loading)
	}
	return x.vocab, x.loading
}

// Warm starts reading the indexed words, so the first search with a typo
// need not wait for them.
func (x *Index) Warm() { x.currentVocabulary() }

// WarmWait reads the indexed words, unless a copy is read already, and
// waits for them: the benchmark times queries as a server that has been up
// a while answers them.
func (x *Index) WarmWait(ctx context.Context) error {
	_, err := x.vocabulary(ctx)
	return err
}

// loadVocabulary reads the indexed words, detached from any request.
func (x *Index) loadVocabulary(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	v, err := x.readVocabulary(ctx)
	if err != nil {
		slog.Error("search: read the indexed words", "err", err)
	}
	x.mu.Lock()
	if err == nil {
		x.vocab = v
	}
	x.vocabErr = err
	x.loading = nil
	x.mu.Unlock()
	close(done)
}

func (x *Index) readVocabulary(ctx context.Context) (*vocab, error) {
	q := `SELECT term, doc FROM search_vocab`
	if x.d.Dialect == db.Postgres {
		q = `SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_docs')`
	}
	rows, err := x.d.R.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search: vocabulary: %w", err)
	}
	defer rows.Close()
	v := &vocab{loaded: time.Now(), docs: map[string]int{}, byLen: map[int][]string{}}
	for rows.Next() {
		var term string
		var n int
		if err := rows.Scan(&term, &n); err != nil {
			return nil, fmt.Errorf("search: vocabulary: %w", err)
		}
		if _, seen := v.docs[term]; !seen {
			l := utf8.RuneCountInString(term)
			v.byLen[l] = append(v.byLen[l], term)
		}
		v.docs[term] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: vocabulary: %w", err)
	}
	if err := x.d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&v.total); err != nil {
		return nil, fmt.Errorf("search: vocabulary: %w", err)
	}
	return v, nil
}

// The letters a respelling may add or put in: Arabic as Normalize leaves it
// (no أ إ آ ى ة ؤ ئ), and Latin in lower case.
var (
	arabicAlphabet = []rune("ءابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	latinAlphabet  = []rune("abcdefghijklmnopqrstuvwxyz")
)

// respellings are the index terms of the spellings one edit from word (a
// normalised word as typed: a letter missing, added or changed, or two
// neighbours swapped) that some document holds, other than the query's
// terms, most documents first. spelt records, for each, the spellings it
// came from. Editing what was typed rather than its stem reaches the
// typos that hide an ending («التدخبن» for «التدخين», indexed as «تدخ»),
// and it costs a few hundred lookups, not a pass over every indexed word.
func (v *vocab) respellings(word string, query []string, spelt map[string][]string) []string {
	rs := []rune(word)
	letters := alphabet(rs)
	if len(rs) < 2 || len(rs) > 30 || letters == nil {
		return nil
	}
	found := map[string]int{}
	try := func(variant []rune) {
		w := string(variant)
		t := arabic.Stem(w)
		if n := v.docs[t]; n > 0 && !slices.Contains(query, t) {
			found[t] = n
			if !slices.Contains(spelt[t], w) {
				spelt[t] = append(spelt[t], w)
			}
		}
	}
	buf := make([]rune, 0, len(rs)+1)
	for i := range rs {
		// A letter missing; two swapped.
		try(append(append(buf[:0], rs[:i]...), rs[i+1:]...))
		if i+1 < len(rs) && rs[i] != rs[i+1] {
			b := append(buf[:0], rs...)
			b[i], b[i+1] = b[i+1], b[i]
			try(b)
		}
	}
	for _, l := range letters {
		for i := 0; i <= len(rs); i++ {
			// A letter added; one changed.
			try(append(append(append(buf[:0], rs[:i]...), l), rs[i:]...))
			if i < len(rs) && rs[i] != l {
				b := append(buf[:0], rs...)
				b[i] = l
				try(b)
			}
		}
	}
	out := slices.Collect(maps.Keys(found))
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(found[b], found[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}

// alphabet is the letters a respelling of rs may add or put in: the
// alphabet that holds every letter of rs, or nil (numbers, mixed words).
func alphabet(rs []rune) []rune {
	for _, letters := range [2][]rune{arabicAlphabet, latinAlphabet} {
		if !slices.ContainsFunc(rs, func(r rune) bool { return !slices.Contains(letters, r) }) {
			return letters
		}
	}
	return nil
}

// nearest is the indexed word closest to term, or "" when none is within
// reach: one edit for words of up to five letters, two for longer ones.
func (v *vocab) nearest(term string) string {
	rs := []rune(term)
	reach := 1
	if len(rs) > 5 {
		reach = 2
	}
	best, bestD, bestN := "", reach, 0
	for l := len(rs) - reach; l <= len(rs)+reach; l++ {
		for _, cand := range v.byLen[l] {
			// Only as near as the best so far, or nearer, can win.
			d := editDistance(rs, []rune(cand), bestD+1)
			if d > bestD {
				continue
			}
			if best == "" || d < bestD || v.docs[cand] > bestN || v.docs[cand] == bestN && cand < best {
				best, bestD, bestN = cand, d, v.docs[cand]
			}
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance (insertions,
// deletions, substitutions and swaps of neighbours), or limit when it is at
// least limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit)
}
