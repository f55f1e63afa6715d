package eval_test

import (
	"context"
	"math"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/search/eval"
)

// fixed answers every query with a list given in advance.
type fixed map[string][]string

func (fixed) Name() string                                                  { return "fixed" }
func (fixed) Index(context.Context, []eval.Doc) error                       { return nil }
func (f fixed) Search(_ context.Context, q string, k int) ([]string, error) { return f[q], nil }

// TestRunScores checks the arithmetic of recall@10 and MRR on a hand-worked
// case.
func TestRunScores(t *testing.T) {
	set := &eval.Set{
		Docs: []eval.Doc{{ID: "a"}, {ID: "b"}, {ID: "c"}},
		Queries: []eval.Query{
			{Q: "one", Relevant: []string{"a"}, Type: "x"},      // found first: recall 1, rr 1
			{Q: "two", Relevant: []string{"a", "b"}, Type: "x"}, // b third only: recall 1/2, rr 1/3
			{Q: "three", Relevant: []string{"c"}, Type: "y"},    // not found: 0, 0
		},
	}
	s, err := eval.Run(context.Background(), set, fixed{"one": {"a", "b"}, "two": {"c", "x", "b"}, "three": {"a"}})
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(s.Recall10, 0.5) || !near(s.MRR, 4.0/9) || s.Queries != 3 || !near(s.ByType["x"].Recall10, 0.75) ||
		len(s.Misses) != 1 || s.Misses[0] != "three" {
		t.Fatalf("score %+v (x %+v)", s, s.ByType["x"])
	}
}

// TestEvaluationSet runs the repository's evaluation set through Sharaka's
// index on both databases and reports recall@10 and MRR by kind of query;
// docs/search.md has the table beside Bleve and PostgreSQL's arabic
// configuration (`sharaka bench search --compare`).
func TestEvaluationSet(t *testing.T) {
	set, err := eval.Default()
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, err := eval.Run(context.Background(), set, &eval.Sharaka{DB: d})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: recall@10 %.3f, MRR %.3f over %d queries", s.Engine, s.Recall10, s.MRR, s.Queries)
		for typ, b := range s.ByType {
			t.Logf("  %-14s %3d queries: recall@10 %.3f, MRR %.3f", typ, b.Queries, b.Recall10, b.MRR)
		}
		if len(s.Misses) > 0 {
			t.Logf("  nothing right in the top 10 for: %q", s.Misses)
		}
		if s.Recall10 < minRecall {
			t.Errorf("recall@10 %.3f fell below %.2f", s.Recall10, minRecall)
		}
	})
}
