package search_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/search"
)

var docs = []search.Doc{
	{Kind: "opportunity", RefID: "o1", OrgID: "g1", Public: true, Category: "food", PlaceID: "quba", Title: "توزيع السلال الغذائية على الأسر المحتاجة",
		Body: "نحتاج متطوعين لتعبئة السلال وتوصيلها للأُسَر في حي قباء يوم السبت."},
	{Kind: "opportunity", RefID: "o2", OrgID: "g1", Public: true, Category: "elderly", PlaceID: "awali", Title: "زيارة كبار السن في دار الوفاء",
		Body: "نقرأ لكبار السن ونرافقهم؛ نرحب بالأسرة كاملةً. للتواصل: ٠٥٥ ١٢٣ ٤٥٦٧", Tags: []string{"رعاية كبار السن"}},
	{Kind: "organisation", RefID: "g1", OrgID: "g1", Public: true, Category: "charity", Title: "جمعية تكافل الخيرية",
		Body: "تخدم الاسره في المدينة المنورة منذ ٢٠١٠. #تطوع_المدينة"},
	{Kind: "opportunity", RefID: "o3", OrgID: "g2", Public: false, Title: "مسودة: تدريب المسعفين",
		Body: "دورة إسعافات أولية للمتطوعين المسجلين فقط."},
	{Kind: "opportunity", RefID: "o4", OrgID: "g2", Public: true, Title: "Beach clean-up",
		Body: "Volunteers clean the Yanbu beach; COVID-19 rules apply."},
}

func load(t *testing.T, d *db.DB) *search.Index {
	t.Helper()
	x := search.New(d)
	err := d.WithTx(context.Background(), func(tx db.Tx) error {
		for _, doc := range docs {
			if err := x.Put(context.Background(), tx, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func ids(res *search.Result) []string {
	if len(res.Hits) == 0 {
		return nil // tests compare with nil for "nothing found"
	}
	return res.RefIDs()
}

func TestSearchFindsWhatPeopleMean(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		ctx := context.Background()
		for _, c := range []struct {
			query string
			want  []string
		}{
			// The title counts more than the body: o1 names the families in its title.
			{"الأسرة", []string{"o1", "o2", "g1"}},
			{"الاسره", []string{"o1", "o2", "g1"}},
			{"للأسر", []string{"o1", "o2", "g1"}},
			{"كبار السن", []string{"o2"}},
			{"رعاية", []string{"o2"}},
			{"السلال قباء", []string{"o1"}},
			{"0551234567", []string{"o2"}},
			{"055-123-4567", []string{"o2"}},
			{"2010", []string{"g1"}},
			{"#تطوع_المدينة", []string{"g1"}},
			{"تطوع", []string{"g1"}},
			{"covid-19", []string{"o4"}},
			{"VOLUNTEERS", []string{"o4"}},
			{"إسعافات", nil}, // private to g2
			{"لا يوجد", nil},
			{"", nil},
		} {
			hits, err := x.Search(ctx, search.Query{Text: c.query})
			if err != nil {
				t.Fatalf("%q: %v", c.query, err)
			}
			// The best hit comes first; the order among body-only matches is
			// the backend's ranking and may differ.
			got := ids(hits)
			if len(got) != len(c.want) || len(got) > 0 && got[0] != c.want[0] || !sameSet(got, c.want) {
				t.Errorf("%q: found %v, want %v (first %v)", c.query, got, c.want, c.want)
			}
		}
	})
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestSearchKeepsPrivateRecordsPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		ctx := context.Background()
		for _, c := range []struct {
			orgs []string
			want []string
		}{
			{nil, nil},
			{[]string{"g1"}, nil},
			{[]string{"g2"}, []string{"o3"}},
			{[]string{"g1", "g2"}, []string{"o3"}},
		} {
			hits, err := x.Search(ctx, search.Query{Text: "المسعفين", OrgIDs: c.orgs})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !reflect.DeepEqual(got, c.want) {
				t.Errorf("as a member of %v: found %v, want %v", c.orgs, got, c.want)
			}
		}
		hits, _ := x.Search(ctx, search.Query{Text: "الاسره", Kinds: []string{"organisation"}})
		if got := ids(hits); !reflect.DeepEqual(got, []string{"g1"}) {
			t.Errorf("organisations only: %v", got)
		}
	})
}

// TestIndexHasNoDriftAfterUpdatesAndDeletes: a record changed or removed is
// found by its new words only, or not at all; records whose words repeat
// are changed and removed too.
func TestIndexHasNoDriftAfterUpdatesAndDeletes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		ctx := context.Background()
		changed := docs[0]
		for _, body := range []string{"شجرة شجرة تشجير، ونزرع مئة شجرة.", "نزرع مئة شجرة."} {
			err := d.WithTx(ctx, func(tx db.Tx) error {
				changed.Title, changed.Body = "حملة تشجير وادي قباء", body
				return x.Put(ctx, tx, changed)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := d.WithTx(ctx, func(tx db.Tx) error { return x.Delete(ctx, tx, "opportunity", "o2") }); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{"السلال": nil, "تشجير": {"o1"}, "كبار السن": nil, "الاسره": {"g1"}} {
			hits, err := x.Search(ctx, search.Query{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(hits); !reflect.DeepEqual(got, want) {
				t.Errorf("%q after the changes: %v, want %v", q, got, want)
			}
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&n); err != nil || n != len(docs)-1 {
			t.Errorf("%d documents indexed (%v), want %d", n, err, len(docs)-1)
		}
		// The full-text index holds exactly the documents' words: each word
		// in as many documents as hold it, nothing left of the old ones.
		want := map[string]int{}
		rows, err := d.R.QueryContext(ctx, `SELECT title_tokens || ' ' || body_tokens FROM search_docs`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var words string
			if err := rows.Scan(&words); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, w := range strings.Fields(words) {
				if !seen[w] {
					seen[w] = true
					want[w]++
				}
			}
		}
		rows.Close()
		vocab := `SELECT term, doc FROM search_vocab`
		if d.Dialect == db.Postgres {
			vocab = `SELECT word, ndoc FROM ts_stat('SELECT tsv FROM search_docs')`
		}
		got := map[string]int{}
		rows, err = d.R.QueryContext(ctx, vocab)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var w string
			var n int
			if err := rows.Scan(&w, &n); err != nil {
				t.Fatal(err)
			}
			got[w] = n
		}
		rows.Close()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the full-text index holds %v, the documents %v", got, want)
		}
	})
}

// TestRecordsWhoseWordsRepeat: a record that holds a word more than once
// can be changed and removed, and leaves the full-text index sound.
func TestRecordsWhoseWordsRepeat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		x := search.New(d)
		doc := search.Doc{Kind: "organisation", RefID: "r1", Public: true, Title: "جمعية تكافل جمعية", Body: "تكافل تكافل خيرية"}
		for _, step := range []func(tx db.Tx) error{
			func(tx db.Tx) error { return x.Put(ctx, tx, doc) },
			func(tx db.Tx) error {
				doc.Title, doc.Body = "جمعية تكافل", "خيرية خيرية"
				return x.Put(ctx, tx, doc)
			},
			func(tx db.Tx) error { doc.Title = "تكافل"; return x.Put(ctx, tx, doc) },
		} {
			if err := d.WithTx(ctx, step); err != nil {
				t.Fatal(err)
			}
		}
		res, err := x.Search(ctx, search.Query{Text: "تكافل خيرية"})
		if err != nil || !reflect.DeepEqual(ids(res), []string{"r1"}) {
			t.Errorf("the changed record: %v, %v", ids(res), err)
		}
		if res, err := x.Search(ctx, search.Query{Text: "جمعية"}); err != nil || len(res.Hits) != 0 {
			t.Errorf("a word the record no longer holds: %v, %v", ids(res), err)
		}
		if err := d.WithTx(ctx, func(tx db.Tx) error { return x.Delete(ctx, tx, "organisation", "r1") }); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.SQLite {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
				t.Fatalf("FTS5 finds the index unsound: %v", err)
			}
		}
	})
}

func TestSnippetMarksTheOriginalWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		hits, err := x.Search(context.Background(), search.Query{Text: "الاسرة"})
		if err != nil || len(hits.Hits) == 0 {
			t.Fatalf("%v %v", hits, err)
		}
		var marked []string
		var whole strings.Builder
		for _, p := range hits.Hits[0].Snippet {
			whole.WriteString(p.Text)
			if p.Match {
				marked = append(marked, p.Text)
			}
		}
		// o1's body says «للأُسَر» with its diacritics: the snippet shows it as written.
		if !reflect.DeepEqual(marked, []string{"للأُسَر"}) || whole.String() != docs[0].Body {
			t.Errorf("snippet %q marks %q", whole.String(), marked)
		}
	})
}

// TestTypoTolerance: a word in no record is read as the nearest indexed
// word, and the result says so; a word far from every record finds nothing.
func TestTypoTolerance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		ctx := context.Background()
		more := []search.Doc{
			{Kind: "opportunity", RefID: "o5", Public: true, Title: "الإقلاع عن التدخين", Body: "لقاءات أسبوعية لمن يريد ترك التدخين."},
			{Kind: "opportunity", RefID: "o6", Public: true, Category: "clothes", Title: "كسوة العيد للأيتام", Body: "نشتري ملابس العيد ونوزعها."},
			{Kind: "organisation", RefID: "g3", Public: true, Title: "مسجد عبد الرحمن", Body: "في حي العبد."},
			{Kind: "opportunity", RefID: "o7", Public: true, Title: "card game night", Body: "for the elderly"},
			{Kind: "opportunity", RefID: "o8", Public: true, Title: "care home visits", Body: "reading aloud"},
		}
		if err := d.WithTx(ctx, func(tx db.Tx) error { return x.PutBatch(ctx, tx, more) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			query, corrected string
			want             []string
		}{
			{"قبااء", "قباء", []string{"o1"}},             // a letter too many
			{"المسنين", "", nil},                          // no word near it
			{"السلال قبا", "السلال قباء", []string{"o1"}}, // a letter missing, beside a right word
			{"ينبوع", "", nil},
			{"Volunteres", "volunteers", []string{"o4"}}, // two letters swapped
			// The typo is in the ending the stemmer removes: «التدخين» is
			// indexed as «تدخ», two letters from «تدخبن». The respelt word
			// is shown as the hit spells it, the others as typed.
			{"الإقلاع عن التدخبن", "الإقلاع عن التدخين", []string{"o5"}},
			// «العبد» is a word (g3 holds it), but no record holds both.
			{"كسوة العبد", "كسوة العيد", []string{"o6"}},
			// Two right words that no record holds together stay as they are.
			{"التدخين للأيتام", "", nil},
			// One word of the query is never respelt as another of its words.
			{"care card", "", nil},
			{"card carx", "", nil}, // no record holds «card» and «care», and «card» is taken
			// A phone number one digit off is another number (o2 has 055 123 4567).
			{"0551234568", "", nil},
			{"covid-18", "", nil},
		} {
			res, err := x.Search(ctx, search.Query{Text: c.query})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); !reflect.DeepEqual(got, c.want) || res.Corrected != c.corrected {
				t.Errorf("%q: found %v as %q, want %v as %q", c.query, got, res.Corrected, c.want, c.corrected)
			}
		}
		// With a kind or category chosen, indexed words that find nothing
		// are left as typed: the filter may be why.
		for _, q := range []search.Query{{Text: "كسوة العبد", Category: "clothes"}, {Text: "كسوة العبد", Kinds: []string{"opportunity"}}} {
			res, err := x.Search(ctx, q)
			if err != nil || len(res.Hits) != 0 || res.Corrected != "" {
				t.Errorf("%+v: found %v as %q (%v), want nothing", q, ids(res), res.Corrected, err)
			}
		}
		// A caller that cannot say it searched other words asks for none.
		res, err := x.Search(ctx, search.Query{Text: "الإقلاع عن التدخبن", Literal: true})
		if err != nil || len(res.Hits) != 0 || res.Corrected != "" {
			t.Errorf("literal: found %v as %q (%v), want nothing", ids(res), res.Corrected, err)
		}
	})
}

// TestFacetsAndCategory: the counts by kind and category cover every match
// the searcher may see, whatever kind or category they chose; choosing a
// category narrows the hits.
func TestFacetsAndCategory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := load(t, d)
		ctx := context.Background()
		res, err := x.Search(ctx, search.Query{Text: "الاسره", Category: "food", Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		want := []search.Facet{{Kind: "opportunity", Category: "elderly", Count: 1}, {Kind: "opportunity", Category: "food", Count: 1},
			{Kind: "organisation", Category: "charity", Count: 1}}
		if got := ids(res); !reflect.DeepEqual(got, []string{"o1"}) || !reflect.DeepEqual(res.Facets, want) {
			t.Errorf("hits %v, facets %+v; want [o1], %+v", got, res.Facets, want)
		}
		// A place narrows the hits and the counts alike.
		res, _ = x.Search(ctx, search.Query{Text: "الاسره", PlaceIDs: []string{"quba", "quba-n1"}, Facets: true})
		if got := ids(res); !reflect.DeepEqual(got, []string{"o1"}) || len(res.Facets) != 1 || res.Facets[0].Category != "food" {
			t.Errorf("in Quba: %v, facets %+v", got, res.Facets)
		}
		// A private record counts only for its members.
		res, _ = x.Search(ctx, search.Query{Text: "المسعفين", Facets: true})
		if len(res.Facets) != 0 {
			t.Errorf("a visitor counts the private record: %+v", res.Facets)
		}
		res, _ = x.Search(ctx, search.Query{Text: "المسعفين", OrgIDs: []string{"g2"}, Facets: true})
		if len(res.Facets) != 1 || res.Facets[0].Count != 1 {
			t.Errorf("a member's facets: %+v", res.Facets)
		}
	})
}
