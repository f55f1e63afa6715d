package search

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A description as associations write them, as the index reads it.
var benchDoc = strings.Repeat("تُنظّم جمعية تكافل الخيرية بالمدينة المنورة حملةً لتوزيع السلال الغذائية على الأسر المحتاجة في حي قباء، "+
	"ونحتاج إلى 25 متطوعًا ومتطوعة للتعبئة والتوصيل يوم السبت ١٢/٥ من الساعة ٤ إلى ٧ مساءً. للتواصل: 055-123-4567 #تطوع_المدينة ", 2)

// go test ./internal/search -run '^$' -bench Terms -benchmem
func BenchmarkTerms(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		Terms(benchDoc)
	}
}

// go test ./internal/search -run '^$' -bench CutDocs: cutting the
// words of the evaluation set's documents as Load cuts them, per document
// on one core.
func BenchmarkCutDocs(b *testing.B) {
	raw, err := os.ReadFile("eval/set/docs.json")
	if err != nil {
		b.Fatal(err)
	}
	var set []struct{ ID, Title, Body string }
	if err := json.Unmarshal(raw, &set); err != nil {
		b.Fatal(err)
	}
	docs := make([]Doc, len(set))
	size := 0
	for i, d := range set {
		docs[i] = Doc{Kind: "opportunity", RefID: d.ID, Title: d.Title, Body: d.Body}
		size += len(d.Title) + len(d.Body)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		prepareRows(docs, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
}
