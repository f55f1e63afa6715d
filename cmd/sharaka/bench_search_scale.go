package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/search"
	"sharaka/internal/search/eval"
)

// benchSearchScale indexes n generated documents into SQLite and, with a
// URL, PostgreSQL, and times indexing and queries of one to three words.
// Words follow Zipf's law, as in real text: the evaluation set's words, most
// frequent first, then 50,000 made-up words of three to seven letters for the
// long tail; queries draw words of middling rank (20–2,000), as people search
// for content words rather than «في» or «من».
func benchSearchScale(ctx context.Context, n, queries int, pg, cpuProfile string, stdout, stderr io.Writer) error {
	set, err := eval.Default()
	if err != nil {
		return err
	}
	words := zipfVocabulary(set)
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
	for i, dsn := range targets {
		d, err := openMigrated(ctx, dsn)
		if err != nil {
			return err
		}
		profile := cpuProfile
		if i > 0 {
			profile = "" // SQLite's loading only
		}
		line, err := scaleRun(ctx, d, n, queries, words, profile, stderr)
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

func scaleRun(ctx context.Context, d *db.DB, n, queries int, words []string, cpuProfile string, stderr io.Writer) (map[string]any, error) {
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 1, uint64(len(words)-1))
	sentence := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[zipf.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	query := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[20+r.IntN(min(1980, len(words)-20))]
		}
		return strings.Join(ws, " ")
	}
	x := search.New(d)
	const batch = 2000
	// Loaded as `sharaka search reindex` loads; queried as a server runs.
	gc := debug.SetGCPercent(bulkGCPercent)
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile() // when loading fails; stopping twice is harmless
	}
	start := time.Now()
	// The documents are made as they are loaded, as a reindex reads them.
	loaded, err := x.Load(ctx, func(yield func([]search.Doc, error) bool) {
		for i := 0; i < n; i += batch {
			docs := make([]search.Doc, 0, batch)
			for j := i; j < min(n, i+batch); j++ {
				docs = append(docs, search.Doc{Kind: "opportunity", RefID: strconv.Itoa(j), OrgID: "g" + strconv.Itoa(j%500), Public: j%10 != 0,
					Title: sentence(4 + r.IntN(5)), Body: sentence(30 + r.IntN(40))})
			}
			if !yield(docs, nil) {
				return
			}
			if (i/batch)%50 == 0 {
				fmt.Fprintf(stderr, "%s: %d of %d read, %.0f/s\n", d.Dialect, i+batch, n, float64(i+batch)/time.Since(start).Seconds())
			}
		}
	})
	if err != nil {
		return nil, err
	}
	indexSecs := time.Since(start).Seconds()
	pprof.StopCPUProfile()
	debug.SetGCPercent(gc)
	// Queries are timed as a server that has been up a while answers them:
	// with the indexed words read (typo tolerance, and on PostgreSQL the
	// choice of plan); how long reading them takes is reported too.
	t0 := time.Now()
	if err := x.WarmWait(ctx); err != nil {
		return nil, err
	}
	vocabSecs := time.Since(t0).Seconds()
	var lat []time.Duration
	byWords := map[int][]time.Duration{}
	found := 0
	for range queries {
		k := 1 + r.IntN(3)
		q := query(k)
		t0 := time.Now()
		res, err := x.Search(ctx, search.Query{Text: q, Limit: 10, OrgIDs: []string{"g1", "g2"}})
		if err != nil {
			return nil, err
		}
		el := time.Since(t0)
		lat = append(lat, el)
		byWords[k] = append(byWords[k], el)
		if len(res.Hits) > 0 {
			found++
		}
	}
	line := map[string]any{
		"db": d.Dialect, "docs": loaded, "index_seconds": indexSecs, "docs_per_second": float64(loaded) / indexSecs,
		"words_read_seconds": vocabSecs, "queries": queries, "queries_with_hits": found,
	}
	for k, l := range map[string][]time.Duration{"": lat, "1_word_": byWords[1], "2_words_": byWords[2], "3_words_": byWords[3]} {
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		ms := func(p float64) float64 { return float64(l[int(p*float64(len(l)-1))]) / 1e6 }
		line[k+"median_ms"], line[k+"p95_ms"] = ms(0.5), ms(0.95)
		if k == "" {
			line["max_ms"] = ms(1)
		}
	}
	return line, nil
}

// zipfVocabulary ranks the evaluation set's words by frequency and adds
// made-up words for the tail.
func zipfVocabulary(set *eval.Set) []string {
	count := map[string]int{}
	for _, d := range set.Docs {
		for _, w := range strings.Fields(d.Title + " " + d.Body) {
			count[w]++
		}
	}
	words := make([]string, 0, len(count)+50_000)
	for w := range count {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	r := rand.New(rand.NewPCG(3, 4))
	for range 50_000 {
		n := 3 + r.IntN(5)
		w := make([]rune, n)
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		words = append(words, string(w))
	}
	return words
}
