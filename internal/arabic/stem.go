package arabic

import (
	"strings"
	"unicode/utf8"
)

// minStem is the fewest letters a stem keeps: Arabic roots have three.
const minStem = 3

// affix is a prefix or suffix with its length in letters.
type affix struct {
	s string
	n int
}

func affixes(ss ...string) []affix {
	out := make([]affix, len(ss))
	for i, s := range ss {
		out[i] = affix{s, utf8.RuneCountInString(s)}
	}
	return out
}

// The article and its prepositions and conjunctions, longest first. «لل»
// is «ل» + «ال» with the alef dropped.
var prefixes = affixes("وال", "بال", "كال", "فال", "لل", "ال")

// The conjunctions و and ف, stripped only from a longer word: in «وزير» and
// «فريق» they belong to the root.
var conjunctions = affixes("و", "ف")

// Possessive endings, removed first (مبادراتها → مبادرات), then plural,
// dual, nisba and feminine endings (on normalised text: ة is ه) and the
// accusative alef (مهندساً → مهندس); at most one of each, longest first.
var (
	possessives = affixes("ها", "هم", "هن", "كم", "كن", "نا")
	suffixes    = affixes("يات", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا")
)

// allah stems to itself: «الله» must not lose its «ال» and become «له».
const allah = "الله"

// Stem lightly stems one normalised word of free text: it removes the
// article with its attached preposition or conjunction (وال، بال، كال، فال،
// لل، ال), or else a leading و or ف, then a possessive ending and one
// plural, dual, nisba or feminine ending, always keeping at least three
// letters. Names are never stemmed
// (NameKey is for names); words that are not Arabic come back unchanged.
//
//	Stem("والمتطوعين") == "متطوع"; Stem("الله") == "الله"; Stem("وزير") == "وزير"
func Stem(word string) string {
	// n counts the letters left in w as affixes go.
	n, ok := arabicLetters(word)
	if !ok || word == allah {
		return word
	}
	// والله، بالله، فوالله، تالله: the particles go, «الله» stays.
	if rest, ok := strings.CutSuffix(word, allah); ok && n <= 6 && strings.Trim(rest, "وفبكت") == "" {
		return allah
	}
	w := word
	stripped := false
	for _, p := range prefixes {
		if n-p.n >= minStem && w[1] == p.s[1] && strings.HasPrefix(w, p.s) {
			w, n, stripped = w[len(p.s):], n-p.n, true
			break
		}
	}
	if !stripped {
		for _, c := range conjunctions {
			if n-c.n > minStem && w[1] == c.s[1] && strings.HasPrefix(w, c.s) {
				w, n = w[len(c.s):], n-c.n
				break
			}
		}
	}
	// Compound names with «الله» (عبدالله، نصرالله) keep their ending.
	if strings.HasSuffix(w, allah) {
		return w
	}
	for _, list := range [2][]affix{possessives, suffixes} {
		for _, s := range list {
			// The last bytes tell most endings apart without comparing.
			if n-s.n >= minStem && w[len(w)-1] == s.s[len(s.s)-1] && strings.HasSuffix(w, s.s) {
				w, n = w[:len(w)-len(s.s)], n-s.n
				break
			}
		}
	}
	return w
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// arabicLetters counts w's letters and reports whether all are Arabic;
// the letters of the Arabic block, two bytes each, are checked by their
// bytes.
func arabicLetters(w string) (n int, ok bool) {
	if w == "" {
		return 0, false
	}
	for i := 0; i < len(w); n++ {
		// U+0621–U+063F and U+0641–U+064A (U+0640 is tatweel).
		if b := w[i]; i+1 < len(w) && (b == 0xD8 && w[i+1] >= 0xA1 && w[i+1] <= 0xBF || b == 0xD9 && w[i+1] >= 0x81 && w[i+1] <= 0x8A) {
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if script(r) != 'a' {
			return 0, false
		}
		i += size
	}
	return n, true
}
