package arabic

import (
	"strings"
	"testing"
)

// A paragraph of an opportunity's description, as an index would read it.
var benchText = strings.Repeat("تُنظّم جمعية تكافل الخيرية بالمدينة المنورة حملةً لتوزيع السلال الغذائية على الأسر المحتاجة في حي قباء، "+
	"ونحتاج إلى 25 متطوعًا ومتطوعة للتعبئة والتوصيل يوم السبت ١٢/٥ من الساعة ٤ إلى ٧ مساءً. للتواصل: 055-123-4567 #تطوع_المدينة ", 4)

// go test ./internal/arabic -run '^$' -bench . -benchmem
func BenchmarkNormalize(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Normalize(benchText)
	}
}

func BenchmarkTokensAndStem(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		for _, t := range Tokens(benchText) {
			Stem(t.Text)
		}
	}
}

func BenchmarkStem(b *testing.B) {
	var words []string
	for _, t := range Tokens(benchText) {
		words = append(words, t.Text)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, w := range words {
			Stem(w)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
}
