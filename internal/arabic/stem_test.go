package arabic

import "testing"

func TestStem(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"article", "المتطوع", "متطوع"},
		{"wa + article", "والمتطوعين", "متطوع"},
		{"bi + article", "بالمدينه", "مدين"},
		{"ka + article", "كالعاده", "عاد"},
		{"fa + article", "فالعمل", "عمل"},
		{"li + article", "للاسره", "اسر"},
		{"feminine plural", "المساعدات", "مساعد"},
		{"masculine plural", "معلمون", "معلم"},
		{"dual", "المسجدان", "مسجد"},
		{"possessive", "بيتها", "بيت"},
		{"their", "مدرستهم", "مدرست"},
		{"conjunction on a long word", "ومساعده", "مساعد"},
		{"conjunction that is part of the root", "وزير", "وزير"},
		{"fa that is part of the root", "فريق", "فريق"},
		{"Allah is not stemmed", "الله", "الله"},
		{"wa + Allah keeps Allah", "والله", "الله"},
		{"bi + Allah keeps Allah", "بالله", "الله"},
		{"too short to stem", "الام", "الام"},
		{"three letters kept", "كتب", "كتب"},
		{"suffix that would leave two letters", "بنات", "بنات"},
		{"nisba plural", "الجمعيات", "جمع"},
		{"nisba feminine", "جمعيه", "جمع"},
		{"possessive then plural", "مبادراتها", "مبادر"},
		{"accusative alef", "مهندسا", "مهندس"},
		{"compound name with Allah", "عبدالله", "عبدالله"},
		{"letters beyond the two-byte block", "بالپرچم", "پرچم"},
		{"Latin untouched", "volunteers", "volunteers"},
		{"digits untouched", "2026", "2026"},
		{"empty", "", ""},
	} {
		if got := Stem(c.in); got != c.want {
			t.Errorf("%s: Stem(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestStemMeetsVariants: the forms people type for one word reach one stem
// once normalised.
func TestStemMeetsVariants(t *testing.T) {
	for _, group := range [][]string{
		{"الأسرة", "الاسره", "أسرة", "للأسرة", "والأسرة"},
		{"المتطوعين", "متطوعون", "والمتطوعون", "للمتطوعين"},
		{"مساعدات", "المساعدات", "بالمساعدات"},
	} {
		want := Stem(Normalize(group[0]))
		for _, w := range group[1:] {
			if got := Stem(Normalize(w)); got != want {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: they should meet", group[0], want, w, got)
			}
		}
	}
}
