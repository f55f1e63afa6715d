package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"

	"github.com/jackc/pgx/v5"

	"sharaka/internal/platform/db"
	"sharaka/internal/search/eval"
)

// benchSearch runs the evaluation set: `sharaka bench search --compare`.
func benchSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	compare := fs.Bool("compare", false, "also run Bleve's Arabic analyser and PostgreSQL's arabic configuration on the set")
	pg := fs.String("pg", os.Getenv("SHARAKA_TEST_POSTGRES_URL"), "PostgreSQL URL for the PostgreSQL runs (a scratch schema is made and dropped)")
	asJSON := fs.Bool("json", false, "print JSON lines instead of a table")
	docs := fs.Int("docs", 0, "instead of the evaluation set, index this many generated documents and time queries")
	queries := fs.Int("queries", 500, "queries to time with --docs")
	cpuProfile := fs.String("cpuprofile", "", "with --docs, write a CPU profile of loading into SQLite here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *docs > 0 {
		return benchSearchScale(ctx, *docs, *queries, *pg, *cpuProfile, stdout, stderr)
	}
	set, err := eval.Default()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sharaka-bench-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lite, err := openMigrated(ctx, filepath.Join(dir, "eval.db"))
	if err != nil {
		return err
	}
	defer lite.Close()
	engines := []eval.Engine{&eval.Sharaka{DB: lite}}
	if *pg != "" {
		scratch, drop, err := scratchSchema(ctx, *pg)
		if err != nil {
			return err
		}
		defer drop()
		pdb, err := openMigrated(ctx, scratch)
		if err != nil {
			return err
		}
		defer pdb.Close()
		engines = append(engines, &eval.Sharaka{DB: pdb})
		if *compare {
			engines = append(engines, &eval.PostgresArabic{DB: pdb.W, Table: "eval_arabic"})
		}
	} else if *compare {
		fmt.Fprintln(stderr, "no PostgreSQL URL (--pg or SHARAKA_TEST_POSTGRES_URL): PostgreSQL runs skipped")
	}
	if *compare {
		if b := eval.NewBleve(); b != nil {
			engines = append(engines, b)
		} else {
			fmt.Fprintln(stderr, "Bleve left out: build with -tags bleve (go run -tags bleve ./cmd/sharaka bench search --compare)")
		}
	}
	fmt.Fprintf(stderr, "evaluation set: %d documents, %d queries\n", len(set.Docs), len(set.Queries))
	var scores []*eval.Score
	for _, e := range engines {
		s, err := eval.Run(ctx, set, e)
		if err != nil {
			return err
		}
		scores = append(scores, s)
		if *asJSON {
			if err := json.NewEncoder(stdout).Encode(s); err != nil {
				return err
			}
		}
	}
	if !*asJSON {
		printScores(stdout, scores)
	}
	return nil
}

// printScores writes the table docs/search.md shows: recall@10 and MRR per
// engine, overall and by kind of query.
func printScores(w io.Writer, scores []*eval.Score) {
	types := map[string]bool{}
	for _, s := range scores {
		for t := range s.ByType {
			types[t] = true
		}
	}
	var names []string
	for t := range types {
		names = append(names, t)
	}
	sort.Strings(names)
	fmt.Fprint(w, "| queries |")
	for _, s := range scores {
		fmt.Fprintf(w, " %s R@10 | MRR |", s.Engine)
	}
	fmt.Fprint(w, "\n|---|")
	for range scores {
		fmt.Fprint(w, "---|---|")
	}
	row := func(label string, pick func(*eval.Score) *eval.Score) {
		fmt.Fprintf(w, "\n| %s |", label)
		for _, s := range scores {
			if p := pick(s); p != nil {
				fmt.Fprintf(w, " %.3f | %.3f |", p.Recall10, p.MRR)
			} else {
				fmt.Fprint(w, " – | – |")
			}
		}
	}
	row(fmt.Sprintf("all (%d)", scores[0].Queries), func(s *eval.Score) *eval.Score { return s })
	for _, t := range names {
		n := 0
		if b := scores[0].ByType[t]; b != nil {
			n = b.Queries
		}
		row(fmt.Sprintf("%s (%d)", t, n), func(s *eval.Score) *eval.Score { return s.ByType[t] })
	}
	fmt.Fprintln(w)
}

func openMigrated(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// scratchSchema makes a schema of its own on base and returns a URL whose
// search_path points at it, and a function that drops it.
func scratchSchema(ctx context.Context, base string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "sharaka_bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, errors.New("PostgreSQL URL does not parse")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}
