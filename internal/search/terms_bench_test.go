package search

import (
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

func BenchmarkTermsCached(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	cache := stems{}
	for b.Loop() {
		terms(benchDoc, true, cache)
	}
}
