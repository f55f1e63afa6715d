package search_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/search"
)

// volunteerDocs are n opportunities that all hold «تطوع», some in the title
// and some more often, so that they rank in an order that is not the order
// they were written in.
func volunteerDocs(prefix string, n int) []search.Doc {
	out := make([]search.Doc, n)
	for i := range out {
		title := "حملة رقم " + fmt.Sprint(i)
		if i%3 == 0 {
			title += " للتطوع"
		}
		body := strings.Repeat("نرحب بالتطوع معنا. ", 1+i%4) + strings.Repeat("كلمات أخرى كثيرة ", i%5)
		out[i] = search.Doc{Kind: "opportunity", RefID: fmt.Sprintf("%s%03d", prefix, i), OrgID: "g1", Public: true, Title: title, Body: body}
	}
	return out
}

func putAll(t *testing.T, d *db.DB, x *search.Index, docs []search.Doc) {
	t.Helper()
	if err := d.WithTx(context.Background(), func(tx db.Tx) error { return x.PutBatch(context.Background(), tx, docs) }); err != nil {
		t.Fatal(err)
	}
}

// TestPagesStayRightWhileRecordsAreAdded: paging through the hits ten at a
// time gives every record that matched when the search began, once each and
// in the order one long page gives, however many matching records, better
// ones too, are written between the pages.
func TestPagesStayRightWhileRecordsAreAdded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		putAll(t, d, x, volunteerDocs("a", 45))
		whole, err := x.Search(ctx, search.Query{Text: "تطوع", Limit: 100})
		if err != nil || len(whole.Hits) != 45 || whole.Next != "" {
			t.Fatalf("one page: %d hits, next %q, %v", len(whole.Hits), whole.Next, err)
		}
		var paged []string
		after := ""
		for page := 0; ; page++ {
			res, err := x.Search(ctx, search.Query{Text: "تطوع", Limit: 10, After: after})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, ids(res)...)
			if res.Next == "" {
				break
			}
			after = res.Next
			// Better matches than any so far.
			added := volunteerDocs(fmt.Sprintf("n%d-", page), 6)
			for i := range added {
				added[i].Title += " تطوع تطوع"
			}
			putAll(t, d, x, added)
		}
		if want := ids(whole); !reflect.DeepEqual(paged, want) {
			t.Errorf("pages gave\n%v\nwant\n%v", paged, want)
		}
		if _, err := x.Search(ctx, search.Query{Text: "تطوع", After: "not-a-page"}); err != search.ErrBadCursor {
			t.Errorf("a made-up page: %v", err)
		}
	})
}

// TestCommonWordsRankTheNewest: when more records match than are ranked,
// the newest are ranked, the result says so, and its pages stay within them.
func TestCommonWordsRankTheNewest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		old := volunteerDocs("old", 30)
		for i := range old {
			old[i].Title += " تطوع تطوع تطوع" // the best matches, but the oldest
		}
		putAll(t, d, x, old)
		putAll(t, d, x, volunteerDocs("new", search.MaxCandidates))
		var all []string
		after := ""
		for {
			res, err := x.Search(ctx, search.Query{Text: "التطوع", Limit: 100, After: after, Facets: after == ""})
			if err != nil {
				t.Fatal(err)
			}
			if after == "" && (!res.Capped || len(res.Facets) != 1 || res.Facets[0].Count != search.MaxCandidates) {
				t.Errorf("capped %v, facets %+v", res.Capped, res.Facets)
			}
			all = append(all, ids(res)...)
			if after = res.Next; after == "" {
				break
			}
		}
		if len(all) != search.MaxCandidates || slices.ContainsFunc(all, func(id string) bool { return strings.HasPrefix(id, "old") }) {
			t.Errorf("%d hits, the oldest among them: %v", len(all), slices.DeleteFunc(all, func(id string) bool { return !strings.HasPrefix(id, "old") }))
		}
		res, err := x.Search(ctx, search.Query{Text: "رقم 7 للتطوع"})
		if err != nil || res.Capped || !slices.Contains(ids(res), "old007") {
			t.Errorf("more words reach the older records: %v, capped %v, %v", ids(res), res.Capped, err)
		}
	})
}

// TestDateFilter: records whose days meet the range are found; records
// without days are left out once a range is asked for.
func TestDateFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		putAll(t, d, x, []search.Doc{
			{Kind: "opportunity", RefID: "dec", Public: true, Title: "حملة الشتاء", StartsOn: "2026-12-01", EndsOn: "2026-12-10"},
			{Kind: "opportunity", RefID: "jan", Public: true, Title: "حملة الشتاء الثانية", StartsOn: "2027-01-05", EndsOn: "2027-01-05"},
			{Kind: "organisation", RefID: "org", Public: true, Title: "جمعية حملة الشتاء"},
		})
		for _, c := range []struct {
			from, to string
			want     []string
		}{
			{"", "", []string{"dec", "jan", "org"}},
			{"2026-12-05", "2026-12-05", []string{"dec"}},
			{"2026-12-10", "", []string{"dec", "jan"}},
			{"2026-12-11", "2027-01-04", nil},
			{"", "2026-12-01", []string{"dec"}},
			{"2027-01-05", "2027-02-01", []string{"jan"}},
		} {
			res, err := x.Search(ctx, search.Query{Text: "حملة الشتاء", From: c.from, To: c.to})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			slices.Sort(got)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s to %s: %v, want %v", c.from, c.to, got, c.want)
			}
		}
		// Dates change without the words.
		if err := d.WithTx(ctx, func(tx db.Tx) error { return x.SetDates(ctx, tx, "opportunity", "jan", "2026-12-20", "2026-12-20") }); err != nil {
			t.Fatal(err)
		}
		res, _ := x.Search(ctx, search.Query{Text: "حملة الشتاء", From: "2026-12-15", To: "2026-12-31"})
		if got := ids(res); !reflect.DeepEqual(got, []string{"jan"}) {
			t.Errorf("after new dates: %v", got)
		}
	})
}

// TestLoadIndexesEveryBatch: the bulk loader writes every batch, the same
// record twice keeps the later one, and a batch that cannot be read stops it
// with the error.
func TestLoadIndexesEveryBatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		docs := volunteerDocs("l", 1200)
		docs[1199] = search.Doc{Kind: "opportunity", RefID: "l000", Public: true, Title: "عنوان جديد للأول"}
		n, err := x.Load(ctx, func(yield func([]search.Doc, error) bool) {
			for i := 0; i < len(docs); i += 500 {
				if !yield(docs[i:min(len(docs), i+500)], nil) {
					return
				}
			}
		})
		if err != nil || n != 1200 {
			t.Fatalf("loaded %d, %v", n, err)
		}
		var count int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&count); err != nil || count != 1199 {
			t.Errorf("%d documents (%v), want 1199", count, err)
		}
		res, _ := x.Search(ctx, search.Query{Text: "عنوان جديد"})
		if got := ids(res); !reflect.DeepEqual(got, []string{"l000"}) {
			t.Errorf("the later l000: %v", got)
		}
		_, err = x.Load(ctx, func(yield func([]search.Doc, error) bool) {
			if yield(docs[:10], nil) {
				yield(nil, fmt.Errorf("the records cannot be read"))
			}
		})
		if err == nil || !strings.Contains(err.Error(), "cannot be read") {
			t.Errorf("a failed read: %v", err)
		}
	})
}

// TestCorrectedSearchPages: the pages after the first of a search whose
// word was mended go on with the mended word.
func TestCorrectedSearchPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		putAll(t, d, x, volunteerDocs("c", 25))
		first, err := x.Search(ctx, search.Query{Text: "حملت", Limit: 10}) // «حملة» with ت for ة
		if err != nil || first.Corrected == "" || len(first.Hits) != 10 || first.Next == "" {
			t.Fatalf("first page: %+v, %v", first, err)
		}
		second, err := x.Search(ctx, search.Query{Text: "حملت", Limit: 10, After: first.Next})
		if err != nil || len(second.Hits) != 10 || second.Corrected != first.Corrected || slices.Contains(ids(first), second.Hits[0].RefID) {
			t.Errorf("second page: %v as %q, %v", ids(second), second.Corrected, err)
		}
	})
}

// TestCountsWithAKindChosen: with a kind chosen, the count is of that
// kind's matches, all of them when they are few, while the counts by kind
// say they are of the newest matches only.
func TestCountsWithAKindChosen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		orgs := volunteerDocs("g", 5)
		for i := range orgs {
			orgs[i].Kind = "organisation"
		}
		putAll(t, d, x, orgs)
		putAll(t, d, x, volunteerDocs("o", search.MaxCandidates+10))
		res, err := x.Search(ctx, search.Query{Text: "تطوع", Kinds: []string{"organisation"}, Facets: true})
		if err != nil || res.Total != 5 || len(res.Hits) != 5 || res.Capped || !res.FacetsCapped {
			t.Errorf("organisations: total %d, hits %d, capped %v, counts capped %v, %v", res.Total, len(res.Hits), res.Capped, res.FacetsCapped, err)
		}
	})
}

// TestLongRunsAreNotWords: a run of letters longer than any word (which
// PostgreSQL would refuse as a lexeme) is left out, and the record is
// indexed and found by its other words.
func TestLongRunsAreNotWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		putAll(t, d, x, []search.Doc{{Kind: "opportunity", RefID: "long", Public: true, Title: "حملة النظافة",
			Body: strings.Repeat("ب", 3000) + " " + strings.Repeat("x", 5000)}})
		res, err := x.Search(ctx, search.Query{Text: "النظافة"})
		if err != nil || !reflect.DeepEqual(ids(res), []string{"long"}) {
			t.Errorf("%v, %v", ids(res), err)
		}
		if res, err := x.Search(ctx, search.Query{Text: strings.Repeat("x", 5000)}); err != nil || len(res.Hits) != 0 {
			t.Errorf("the long run as a query: %v, %v", ids(res), err)
		}
	})
}

// TestRespeltSearchPagesKeepTheirWords: the pages after the first of a
// respelt search run with the words the first chose, though records
// written meanwhile would now make another respelling the likelier.
func TestRespeltSearchPagesKeepTheirWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		many := func(prefix, title string, n int) []search.Doc {
			out := make([]search.Doc, n)
			for i := range out {
				out[i] = search.Doc{Kind: "opportunity", RefID: fmt.Sprintf("%s%02d", prefix, i), Public: true, Title: title}
			}
			return out
		}
		putAll(t, d, x, many("care", "care home", 10))
		putAll(t, d, x, many("card", "card game", 30))
		first, err := x.Search(ctx, search.Query{Text: "cart", Limit: 10})
		if err != nil || first.Corrected != "card" || len(first.Hits) != 10 || first.Next == "" {
			t.Fatalf("first page: %v as %q, %v", ids(first), first.Corrected, err)
		}
		putAll(t, d, x, many("centre", "care centre", 60))
		x = search.New(d) // the indexed words read afresh
		second, err := x.Search(ctx, search.Query{Text: "cart", Limit: 10, After: first.Next})
		if err != nil || second.Corrected != "card" || len(second.Hits) != 10 {
			t.Fatalf("second page: %v as %q, %v", ids(second), second.Corrected, err)
		}
		for _, id := range ids(second) {
			if !strings.HasPrefix(id, "card") || slices.Contains(ids(first), id) {
				t.Errorf("second page: %v after %v", ids(second), ids(first))
				break
			}
		}
		// The words a cursor carries must be a respelling of the query's.
		raw, err := base64.RawURLEncoding.DecodeString(first.Next)
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]any
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		for _, forged := range [][]string{{"a b"}, {""}, {"card|game"}, {"card", "game"}, {`x"`}} {
			c["t"] = forged
			raw, _ := json.Marshal(c)
			_, err := x.Search(ctx, search.Query{Text: "cart", Limit: 10, After: base64.RawURLEncoding.EncodeToString(raw)})
			if !errors.Is(err, search.ErrBadCursor) {
				t.Errorf("a cursor with the words %q: %v, want ErrBadCursor", forged, err)
			}
		}
	})
}
