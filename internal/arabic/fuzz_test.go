package arabic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"آ", "هٔ", "ۓ", "ؤ", "ئ", "إ",
	"مُحَمَّد", "الأُسْرة", "ﻻ ﷲ", "#تطوع_المدينة", "+966 55 123 4567", "١٢٫٥", "COVID-19", "a\xffb", "ٱلرَّحْمَٰنِ",
	"بالGPS", "عبد الله", "\u200cم\u200d", "İstanbul", "ǅ", "ﬃ", "ẞ", "２０２６", "ـــ", "#", "+", "٫٫", "055-123-4567",
}

// FuzzNormalize: Normalize never panics, always returns valid UTF-8 and is
// idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize(%q) = %q, and again %q", s, n, again)
		}
		// The shortcut for ASCII and the Arabic block agrees with the full path.
		if v := strings.ToValidUTF8(s, "\uFFFD"); arabicBlockOnly(v) {
			if full := normalizeNFKC(v); full != n {
				t.Fatalf("Normalize(%q) = %q by the shortcut, %q through NFKC", s, n, full)
			}
		}
	})
}

// FuzzTokens: Tokens never panics; its spans lie in order inside the text;
// each token's text is valid, normalised UTF-8 that tokenises to itself.
func FuzzTokens(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, tok := range Tokens(s) {
			if tok.Start < last || tok.End <= tok.Start || tok.End > len(s) {
				t.Fatalf("Tokens(%q): span %d–%d after %d", s, tok.Start, tok.End, last)
			}
			last = tok.End
			if tok.Text == "" || !utf8.ValidString(tok.Text) || Normalize(tok.Text) != tok.Text {
				t.Fatalf("Tokens(%q): token %q is empty, invalid or not normalised", s, tok.Text)
			}
			// The quick way through a word gives what the careful one does.
			if (tok.Kind == KindWord || tok.Kind == KindNumber) && tok.Text != wordText(s[tok.Start:tok.End]) {
				t.Fatalf("Tokens(%q): token %q, but the span reads %q", s, tok.Text, wordText(s[tok.Start:tok.End]))
			}
			if again := Tokens(tok.Text); len(again) != 1 || again[0].Text != tok.Text {
				t.Fatalf("Tokens(%q): token %q tokenises to %+v", s, tok.Text, again)
			}
		}
	})
}

// FuzzStemAndNameKey: never panic, valid UTF-8, at least three letters kept
// by Stem when it changes a word; a name's key is its own key (numbers in a
// name may regroup, as phone numbers do, so names with digits are left out
// of that check).
func FuzzStemAndNameKey(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokens(s) {
			st := Stem(tok.Text)
			if !utf8.ValidString(st) || st != tok.Text && runes(st) < minStem {
				t.Fatalf("Stem(%q) = %q", tok.Text, st)
			}
		}
		k := NameKey(s)
		if !utf8.ValidString(k) {
			t.Fatalf("NameKey(%q) = %q: invalid UTF-8", s, k)
		}
		if !strings.ContainsAny(k, "0123456789") && NameKey(k) != k {
			t.Fatalf("NameKey(%q) = %q, and again %q", s, k, NameKey(k))
		}
	})
}
