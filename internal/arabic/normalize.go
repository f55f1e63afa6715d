// Package arabic is the one place that knows Arabic orthography: folding text
// for matching, cutting it into words, light stemming of free text, and keys
// for names. It is pure (no project imports) and never changes what is
// shown: callers keep the original text for display and match on what this
// package returns.
package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds s for matching:
//   - compatibility forms are decomposed first (NFKC), so Arabic presentation
//     forms and ligatures (ﻻ, ﷲ) become their letters;
//   - tashkeel, Quranic marks, the dagger alef and tatweel are removed;
//   - أ إ آ ٱ → ا; ى and Persian ی → ي; ة → ه; ؤ → و; ئ → ي; Persian ک → ك;
//   - Arabic-Indic and Persian digits → 0–9; ٫ → . and ٬ → ,;
//   - the Arabic comma, semicolon and question mark → , ; ?;
//   - letters of other scripts are lower-cased;
//   - invisible joiners and direction marks are removed; invalid UTF-8
//     becomes U+FFFD.
//
// Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	if isFolded(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !arabicBlockOnly(s) {
		return normalizeNFKC(s)
	}
	// ASCII and the Arabic block need no compatibility decomposition: the
	// compositions NFKC would make there (ا + ٓ → آ, ه + ٔ → ۀ …) fold to the
	// same letters as dropping the mark does.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, keep := Fold(r); keep {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// normalizeNFKC is Normalize for text outside ASCII and the Arabic block.
func normalizeNFKC(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, keep := Fold(r); keep {
			b.WriteRune(f)
		}
	}
	out := b.String()
	// Lower-casing or removing marks can, rarely, leave a sequence NFKC
	// composes differently; one more pass settles it.
	if again := norm.NFKC.String(out); again != out {
		b.Reset()
		for _, r := range again {
			if f, keep := Fold(r); keep {
				b.WriteRune(f)
			}
		}
		out = b.String()
	}
	return out
}

// Fold maps one rune as Normalize does, apart from the NFKC step; keep is
// false for a rune that is dropped.
func Fold(r rune) (folded rune, keep bool) {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A'), true
		}
		return r, true
	case 0x0621 <= r && r <= 0x064A && r != 0x0640:
		// The Arabic letters, most of any text here: only a few fold.
		switch r {
		case 'أ', 'إ', 'آ':
			return 'ا', true
		case 'ى':
			return 'ي', true
		case 'ة':
			return 'ه', true
		case 'ؤ':
			return 'و', true
		case 'ئ':
			return 'ي', true
		}
		return r, true
	case IsMark(r):
		return 0, false
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ', 'ٵ':
		return 'ا', true
	case 'ى', 'ی', 'ێ':
		return 'ي', true
	case 'ة', 'ۀ', 'ۂ', 'ۃ', 'ە', 'ہ':
		return 'ه', true
	case 'ٶ':
		return 'و', true
	case 'ٷ':
		return 'ۇ', true
	case 'ٸ':
		return 'ي', true
	case 'ۓ':
		return 'ے', true
	case 'ؤ':
		return 'و', true
	case 'ئ':
		return 'ي', true
	case 'ک':
		return 'ك', true
	case '،':
		return ',', true
	case '؛':
		return ';', true
	case '؟':
		return '?', true
	case '٫':
		return '.', true
	case '٬':
		return ',', true
	case '٪':
		return '%', true
	}
	if d, ok := digit(r); ok {
		return '0' + d, true
	}
	return unicode.ToLower(r), true
}

// IsMark reports whether r is dropped for matching: Arabic tashkeel and
// Quranic marks, the dagger alef, tatweel, other combining marks, and
// invisible formatting characters (joiners, direction marks, soft hyphen).
func IsMark(r rune) bool {
	switch {
	case 0x064B <= r && r <= 0x065F, // tashkeel, hamza above and below
		r == 0x0670,                // dagger alef
		r == 0x0674,                // high hamza
		0x0610 <= r && r <= 0x061A, // honorifics and small marks
		0x06D6 <= r && r <= 0x06ED, // Quranic annotation
		0x08D3 <= r && r <= 0x08FF, // extended Arabic marks
		r == 0x0640,                // tatweel
		r == 0x00AD,                // soft hyphen
		0x200B <= r && r <= 0x200F, // zero widths, joiners, LRM, RLM
		0x202A <= r && r <= 0x202E, // bidi embeddings
		0x2066 <= r && r <= 0x2069, // bidi isolates
		r == 0x061C,                // Arabic letter mark
		r == 0xFEFF:                // byte order mark
		return true
	}
	return unicode.Is(unicode.Mn, r)
}

// digit reads an Arabic-Indic or Persian digit.
func digit(r rune) (rune, bool) {
	switch {
	case '٠' <= r && r <= '٩':
		return r - '٠', true
	case '۰' <= r && r <= '۹':
		return r - '۰', true
	}
	return 0, false
}

// isFolded reports, cheaply, whether s is already what Normalize returns:
// ASCII without capitals, or Arabic letters with nothing to fold.
func isFolded(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r < 0x0621 || r > 0x064A {
			return false
		}
		switch r {
		case 'أ', 'إ', 'آ', 'ى', 'ة', 'ؤ', 'ئ', 'ـ':
			return false
		}
		i += n
	}
	return true
}

// arabicBlockOnly reports whether every rune of s is ASCII or in the Arabic
// block (U+0600–U+06FF).
func arabicBlockOnly(s string) bool {
	for _, r := range s {
		if r >= 0x80 && (r < 0x0600 || r > 0x06FF) {
			return false
		}
	}
	return true
}
