package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/search"
	"sharaka/internal/search/eval"
)

// benchSearchScale indexes n generated documents (sentences drawn from the
// evaluation set's own words, so the vocabulary and word frequencies are
// Arabic as written here) into SQLite and, with a URL, PostgreSQL, and times
// indexing and queries of one to three words.
func benchSearchScale(ctx context.Context, n, queries int, pg string, stdout, stderr io.Writer) error {
	set, err := eval.Default()
	if err != nil {
		return err
	}
	var words []string
	for _, d := range set.Docs {
		words = append(words, strings.Fields(d.Title+" "+d.Body)...)
	}
	dir, err := os.MkdirTemp("", "sharaka-bench-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	targets := []string{filepath.Join(dir, "scale.db")}
	var drops []func()
	defer func() {
		for _, d := range drops {
			d()
		}
	}()
	if pg != "" {
		u, drop, err := scratchSchema(ctx, pg)
		if err != nil {
			return err
		}
		drops = append(drops, drop)
		targets = append(targets, u)
	}
	for _, dsn := range targets {
		d, err := openMigrated(ctx, dsn)
		if err != nil {
			return err
		}
		line, err := scaleRun(ctx, d, n, queries, words, stderr)
		d.Close()
		if err != nil {
			return err
		}
		if err := json.NewEncoder(stdout).Encode(line); err != nil {
			return err
		}
	}
	return nil
}

func scaleRun(ctx context.Context, d *db.DB, n, queries int, words []string, stderr io.Writer) (map[string]any, error) {
	r := rand.New(rand.NewPCG(1, 2))
	sentence := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	x := search.New(d)
	const batch = 2000
	start := time.Now()
	for i := 0; i < n; i += batch {
		err := d.WithTx(ctx, func(tx db.Tx) error {
			for j := i; j < min(n, i+batch); j++ {
				doc := search.Doc{Kind: "opportunity", RefID: strconv.Itoa(j), OrgID: "g" + strconv.Itoa(j%500), Public: j%10 != 0,
					Title: sentence(4 + r.IntN(5)), Body: sentence(30 + r.IntN(40))}
				if err := x.Put(ctx, tx, doc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if (i/batch)%50 == 0 {
			fmt.Fprintf(stderr, "%s: %d of %d indexed, %.0f/s\n", d.Dialect, i+batch, n, float64(i+batch)/time.Since(start).Seconds())
		}
	}
	indexSecs := time.Since(start).Seconds()
	var lat []time.Duration
	found := 0
	for range queries {
		q := sentence(1 + r.IntN(3))
		t0 := time.Now()
		res, err := x.Search(ctx, search.Query{Text: q, Limit: 10, OrgIDs: []string{"g1", "g2"}})
		if err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(t0))
		if len(res.Hits) > 0 {
			found++
		}
	}
	slices.Sort(lat)
	ms := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e6 }
	return map[string]any{
		"db": d.Dialect, "docs": n, "index_seconds": indexSecs, "docs_per_second": float64(n) / indexSecs,
		"queries": queries, "queries_with_hits": found, "median_ms": ms(0.5), "p95_ms": ms(0.95), "max_ms": ms(1),
	}, nil
}
