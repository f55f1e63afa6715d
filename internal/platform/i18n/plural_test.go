package i18n

import "testing"

// CLDR Arabic: 0 zero, 1 one, 2 two, n%100 in 3..10 few, n%100 in 11..99 many,
// anything else (100, 101, 102, 200, ...) other. Each form of common.members
// has its own wording, so the text shows which category go-i18n chose.
func TestArabicPluralCategories(t *testing.T) {
	latn, arab := New(AR, Latin, nil), New(AR, ArabicIndic, nil)
	for _, tc := range []struct {
		n          int
		form       string
		latn, arab string
	}{
		{0, "zero", "لا أعضاء", "لا أعضاء"},
		{1, "one", "عضو واحد", "عضو واحد"},
		{2, "two", "عضوان", "عضوان"},
		{3, "few", "3 أعضاء", "٣ أعضاء"},
		{10, "few", "10 أعضاء", "١٠ أعضاء"},
		{11, "many", "11 عضوًا", "١١ عضوًا"},
		{99, "many", "99 عضوًا", "٩٩ عضوًا"},
		{100, "other", "100 عضو", "١٠٠ عضو"},
		{101, "other", "101 عضو", "١٠١ عضو"},
		{102, "other", "102 عضو", "١٠٢ عضو"},
		{103, "few", "103 أعضاء", "١٠٣ أعضاء"},
		{111, "many", "111 عضوًا", "١١١ عضوًا"},
		{200, "other", "200 عضو", "٢٠٠ عضو"},
		{1003, "few", "1,003 أعضاء", "١٬٠٠٣ أعضاء"},
		{1011, "many", "1,011 عضوًا", "١٬٠١١ عضوًا"},
	} {
		if got := latn.N("common.members", tc.n); got != tc.latn {
			t.Errorf("%d (%s), Latin digits: got %q, want %q", tc.n, tc.form, got, tc.latn)
		}
		if got := arab.N("common.members", tc.n); got != tc.arab {
			t.Errorf("%d (%s), Arabic-Indic digits: got %q, want %q", tc.n, tc.form, got, tc.arab)
		}
	}
}

func TestEnglishPlural(t *testing.T) {
	en := New(EN, Latin, nil)
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 members"},
		{1, "1 member"},
		{2, "2 members"},
		{101, "101 members"},
		{1234, "1,234 members"},
	} {
		if got := en.N("common.members", tc.n); got != tc.want {
			t.Errorf("N(common.members, %d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestPluralWithExtraData(t *testing.T) {
	ar, en := New(AR, ArabicIndic, nil), New(EN, Latin, nil)
	for _, tc := range []struct {
		l           *Locale
		page, total int
		want        string
	}{
		{ar, 1, 1, "الصفحة ١ من صفحة واحدة"},
		{ar, 2, 2, "الصفحة ٢ من صفحتين"},
		{ar, 3, 7, "الصفحة ٣ من ٧ صفحات"},
		{ar, 3, 12, "الصفحة ٣ من ١٢ صفحة"},
		{en, 3, 12, "Page 3 of 12"},
		{en, 1, 1, "Page 1 of 1"},
	} {
		if got := tc.l.N("pager.page", tc.total, "Page", tc.l.Number(int64(tc.page))); got != tc.want {
			t.Errorf("%s N(pager.page, %d, Page %d) = %q, want %q", tc.l.Lang, tc.total, tc.page, got, tc.want)
		}
	}
}
