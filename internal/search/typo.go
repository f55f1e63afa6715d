package search

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/db"
)

// Typo tolerance: when every word of a query is needed and one of them is
// in no document, the word is replaced by the indexed word nearest to it in
// spelling (one letter missing, added, changed or two swapped; two for long
// words), the most common one when several are as near, and the page says
// "showing results for …".

// vocabTTL is how long a process trusts its copy of the indexed words.
const vocabTTL = 5 * time.Minute

type vocab struct {
	loaded time.Time
	docs   map[string]int   // term → documents holding it
	byLen  map[int][]string // terms by length in letters
}

// vocabulary returns the indexed words with their document counts, read
// from the index at most every vocabTTL.
func (x *Index) vocabulary(ctx context.Context) (*vocab, error) {
	x.mu.Lock()
	v := x.vocab
	x.mu.Unlock()
	if v != nil && time.Since(v.loaded) < vocabTTL {
		return v, nil
	}
	q := `SELECT term, doc FROM search_vocab`
	if x.d.Dialect == db.Postgres {
		q = `SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_docs')`
	}
	rows, err := x.d.R.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search: vocabulary: %w", err)
	}
	defer rows.Close()
	v = &vocab{loaded: time.Now(), docs: map[string]int{}, byLen: map[int][]string{}}
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
	x.mu.Lock()
	x.vocab = v
	x.mu.Unlock()
	return v, nil
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
