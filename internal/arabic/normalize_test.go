package arabic

import "testing"

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"tashkeel", "مُحَمَّدٌ", "محمد"},
		{"shadda and sukun", "الشَّمْس", "الشمس"},
		{"tatweel", "الـــمدينة", "المدينه"},
		{"alef with hamza above", "أحمد", "احمد"},
		{"alef with hamza below", "إبراهيم", "ابراهيم"},
		{"alef madda", "آمنة", "امنه"},
		{"alef wasla", "ٱلله", "الله"},
		{"alef maqsura", "على", "علي"},
		{"taa marbuta", "الأسرة", "الاسره"},
		{"waw with hamza", "مؤسسة", "موسسه"},
		{"yeh with hamza", "رئيس", "رييس"},
		{"dagger alef", "هٰذا", "هذا"},
		{"Quranic marks", "الرَّحْمَٰنِ ۚ", "الرحمن "},
		{"Arabic-Indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"Persian digits", "۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"decimal and thousands separators", "١٬٢٣٤٫٥", "1,234.5"},
		{"Arabic punctuation", "نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"},
		{"Latin folded", "COVID-19 Vaccine", "covid-19 vaccine"},
		{"Persian yeh and keheh", "کتاب فارسی", "كتاب فارسي"},
		{"presentation forms", "ﻻ ﷲ", "لا الله"},
		{"ligature in Latin", "ﬁle", "file"},
		{"joiners and direction marks", "م\u200cح\u200fمد\u202b", "محمد"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"already folded", "محمد abc 123", "محمد abc 123"},
		{"empty", "", ""},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestNormalizeLeavesTheInputAlone: normalising is for matching; the
// caller's text is a value and stays as it was.
func TestNormalizeLeavesTheInputAlone(t *testing.T) {
	in := "الأُسْرة"
	_ = Normalize(in)
	if in != "الأُسْرة" {
		t.Fatal("input changed")
	}
}

// TestShortcutAgreesWithNFKC: for every rune of the Arabic block, and every
// letter followed by every mark, the shortcut for ASCII and the Arabic block
// gives what the full NFKC path gives.
func TestShortcutAgreesWithNFKC(t *testing.T) {
	var cases []string
	for r := rune(0x0600); r <= 0x06FF; r++ {
		cases = append(cases, string(r))
	}
	for r := rune(0x0621); r <= 0x06FF; r++ {
		for m := rune(0x064B); m <= 0x0670; m++ {
			cases = append(cases, string(r)+string(m))
		}
	}
	for _, s := range cases {
		if short, full := Normalize(s), normalizeNFKC(s); short != full {
			t.Errorf("Normalize(%q) = %q, through NFKC %q", s, short, full)
		}
	}
}
