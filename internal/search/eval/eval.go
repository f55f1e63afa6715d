// Package eval measures search quality on the evaluation set in
// internal/search/testdata/eval: documents a city's volunteering platform
// holds and queries written as people type them, each with every document a
// person would count as a right answer. It scores any Engine by recall@10
// and mean reciprocal rank, overall and by kind of query, so Sharaka's index
// and its peers (Bleve's Arabic analyser, PostgreSQL's arabic configuration)
// stand side by side.
package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Doc is a document of the set.
type Doc struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	TitleEn string `json:"title_en"`
	Body    string `json:"body"`
}

// Query is a query of the set with its right answers.
type Query struct {
	Q        string   `json:"q"`
	Relevant []string `json:"relevant"`
	Type     string   `json:"type"`
}

// Set is the evaluation set.
type Set struct {
	Docs    []Doc
	Queries []Query
}

// Load reads docs.json and queries.json from dir and checks that every
// answer names a document.
func Load(dir string) (*Set, error) {
	var s Set
	for name, v := range map[string]any{"docs.json": &s.Docs, "queries.json": &s.Queries} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			return nil, fmt.Errorf("eval: %s: %w", name, err)
		}
	}
	return &s, s.check()
}

// check makes sure every answer names a document of the set.
func (s *Set) check() error {
	ids := map[string]bool{}
	for _, d := range s.Docs {
		if d.ID == "" || ids[d.ID] {
			return fmt.Errorf("eval: document id %q missing or repeated", d.ID)
		}
		ids[d.ID] = true
	}
	for _, q := range s.Queries {
		if q.Q == "" || len(q.Relevant) == 0 {
			return fmt.Errorf("eval: query %q has no text or no answer", q.Q)
		}
		for _, id := range q.Relevant {
			if !ids[id] {
				return fmt.Errorf("eval: query %q names unknown document %s", q.Q, id)
			}
		}
	}
	return nil
}

// Engine is a search engine under test.
type Engine interface {
	Name() string
	// Index adds the documents; Search returns document ids, best first.
	Index(ctx context.Context, docs []Doc) error
	Search(ctx context.Context, q string, k int) ([]string, error)
}

// Score is an engine's result on the set.
type Score struct {
	Engine   string            `json:"engine"`
	Recall10 float64           `json:"recall_at_10"`
	MRR      float64           `json:"mrr"`
	ByType   map[string]*Score `json:"by_type,omitempty"`
	Queries  int               `json:"queries"`
	// Misses lists the queries that found none of their answers in the top 10.
	Misses []string `json:"misses,omitempty"`
}

// Run indexes the set's documents in e and scores every query: recall@10 is
// the share of a query's answers in its first ten hits, averaged over the
// queries; MRR averages 1/rank of the first answer (0 when none is found).
func Run(ctx context.Context, s *Set, e Engine) (*Score, error) {
	if err := e.Index(ctx, s.Docs); err != nil {
		return nil, fmt.Errorf("eval: %s: index: %w", e.Name(), err)
	}
	total := &Score{Engine: e.Name(), ByType: map[string]*Score{}}
	for _, q := range s.Queries {
		hits, err := e.Search(ctx, q.Q, 10)
		if err != nil {
			return nil, fmt.Errorf("eval: %s: %q: %w", e.Name(), q.Q, err)
		}
		found, rr := 0, 0.0
		for rank, id := range hits[:min(10, len(hits))] {
			if slices.Contains(q.Relevant, id) {
				found++
				if rr == 0 {
					rr = 1 / float64(rank+1)
				}
			}
		}
		recall := float64(found) / float64(len(q.Relevant))
		t := total.ByType[q.Type]
		if t == nil {
			t = &Score{}
			total.ByType[q.Type] = t
		}
		for _, sc := range []*Score{total, t} {
			sc.Recall10 += recall
			sc.MRR += rr
			sc.Queries++
		}
		if found == 0 {
			total.Misses = append(total.Misses, q.Q)
		}
	}
	for _, sc := range append([]*Score{total}, mapValues(total.ByType)...) {
		if sc.Queries > 0 {
			sc.Recall10 /= float64(sc.Queries)
			sc.MRR /= float64(sc.Queries)
		}
	}
	return total, nil
}

func mapValues(m map[string]*Score) []*Score {
	out := make([]*Score, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
