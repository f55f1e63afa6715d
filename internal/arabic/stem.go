package arabic

import (
	"strings"
	"unicode/utf8"
)

// minStem is the fewest letters a stem keeps: Arabic roots have three.
const minStem = 3

// The article and its prepositions and conjunctions, longest first. «لل»
// is «ل» + «ال» with the alef dropped.
var prefixes = []string{"وال", "بال", "كال", "فال", "لل", "ال"}

// The conjunctions و and ف, stripped only from a longer word: in «وزير» and
// «فريق» they belong to the root.
var conjunctions = []string{"و", "ف"}

// Possessive endings, removed first (مبادراتها → مبادرات), then plural,
// dual, nisba and feminine endings (on normalised text: ة is ه) and the
// accusative alef (مهندساً → مهندس); at most one of each, longest first.
var (
	possessives = []string{"ها", "هم", "هن", "كم", "كن", "نا"}
	suffixes    = []string{"يات", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا"}
)

// protected words stem to themselves: «الله» must not lose its «ال» and
// become «له».
var protected = map[string]bool{"الله": true}

// Stem lightly stems one normalised word of free text: it removes the
// article with its attached preposition or conjunction (وال، بال، كال، فال،
// لل، ال), or else a leading و or ف, then a possessive ending and one
// plural, dual, nisba or feminine ending, always keeping at least three
// letters. Names are never stemmed
// (NameKey is for names); words that are not Arabic come back unchanged.
//
//	Stem("والمتطوعين") == "متطوع"; Stem("الله") == "الله"; Stem("وزير") == "وزير"
func Stem(word string) string {
	if protected[word] || !isArabicWord(word) {
		return word
	}
	// والله، بالله، فوالله، تالله: the particles go, «الله» stays.
	if rest, ok := strings.CutSuffix(word, "الله"); ok && runes(rest) <= 2 && strings.Trim(rest, "وفبكت") == "" {
		return "الله"
	}
	w := word
	stripped := false
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(w, p); ok && runes(rest) >= minStem {
			w, stripped = rest, true
			break
		}
	}
	if !stripped {
		for _, c := range conjunctions {
			if rest, ok := strings.CutPrefix(w, c); ok && runes(rest) > minStem {
				w = rest
				break
			}
		}
	}
	// Compound names with «الله» (عبدالله، نصرالله) keep their ending.
	if strings.HasSuffix(w, "الله") {
		return w
	}
	for _, list := range [][]string{possessives, suffixes} {
		for _, s := range list {
			if rest, ok := strings.CutSuffix(w, s); ok && runes(rest) >= minStem {
				w = rest
				break
			}
		}
	}
	return w
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// isArabicWord reports whether w is made of Arabic letters only.
func isArabicWord(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if script(r) != 'a' {
			return false
		}
	}
	return true
}
