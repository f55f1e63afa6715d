package arabic

import (
	"reflect"
	"testing"
)

func texts(ts []Token) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return out
}

func TestTokens(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"diacritics inside a word", "مُحَمَّد", []string{"محمد"}},
		{"tatweel and joiners inside", "الـمـدينة م\u200cحمد", []string{"المدينه", "محمد"}},
		{"Arabic punctuation separates", "تطوع،خدمة؛عطاء؟نعم", []string{"تطوع", "خدمه", "عطاء", "نعم"}},
		{"Latin and Arabic split", "بالGPS وiPhone", []string{"بال", "gps", "و", "iphone"}},
		{"digits join letters", "كورونا19 covid19", []string{"كورونا19", "covid19"}},
		{"hashtag whole", "انضم #تطوع_المدينة الآن", []string{"انضم", "#تطوع_المدينه", "الان"}},
		{"hashtag with Latin", "#Sharaka2026!", []string{"#sharaka2026"}},
		{"lone hash", "# تطوع", []string{"تطوع"}},
		{"phone with spaces", "اتصل على +966 55 123 4567 مساءً", []string{"اتصل", "علي", "+966551234567", "مساء"}},
		{"phone with hyphens", "055-123-4567", []string{"0551234567"}},
		{"phone in Arabic-Indic digits", "٠٥٥١٢٣٤٥٦٧", []string{"0551234567"}},
		{"a date is not a phone", "2026-12-05", []string{"2026", "12", "05"}},
		{"short numbers", "10 أشخاص", []string{"10", "اشخاص"}},
		{"decimal number", "١٢٫٥ كم و 3.75", []string{"12.5", "كم", "و", "3.75"}},
		{"number then full stop", "العدد 12.", []string{"العدد", "12"}},
		{"empty and spaces", "  \t\n ", nil},
	} {
		if got := texts(Tokens(c.in)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Tokens(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestTokenOffsets: every token points at its words in the original text,
// diacritics included, so a snippet can highlight what the reader sees.
func TestTokenOffsets(t *testing.T) {
	in := "زُرْنا «دار الوفاء» يوم ١٢/٥ واتصلنا على ٠٥٥ ١٢٣ ٤٥٦٧ #زيارة"
	want := []string{"زُرْنا", "دار", "الوفاء", "يوم", "١٢", "٥", "واتصلنا", "على", "٠٥٥ ١٢٣ ٤٥٦٧", "#زيارة"}
	var got []string
	for _, tok := range Tokens(in) {
		got = append(got, in[tok.Start:tok.End])
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("original spans %q, want %q", got, want)
	}
}

func TestTokenKinds(t *testing.T) {
	ts := Tokens("متطوع 2026 3.5 #خير 0551234567")
	want := []int{KindWord, KindNumber, KindNumber, KindHashtag, KindPhone}
	var got []int
	for _, tok := range ts {
		got = append(got, tok.Kind)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
}
