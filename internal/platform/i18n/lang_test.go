package i18n

import "testing"

func TestLangDir(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		want string
	}{{AR, "rtl"}, {EN, "ltr"}, {"", "rtl"}, {"fr", "rtl"}} {
		if got := tc.lang.Dir(); got != tc.want {
			t.Errorf("Lang(%q).Dir() = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"ar", AR, true},
		{"ar-SA", AR, true},
		{"AR", AR, true},
		{" ar-EG ", AR, true},
		{"ar_EG", AR, true},
		{"ar-Arab-SA", AR, true},
		{"en", EN, true},
		{"EN-us", EN, true},
		{"en-GB", EN, true},
		{"", "", false},
		{"fr", "", false},
		{"arabic", "", false},
		{"ara", "", false},
		{"ar-", "", false},
		{"ar--SA", "", false},
		{"en-US;q=1", "", false},
		{"ar-toolongsubtag", "", false},
		{"*", "", false},
	} {
		got, ok := ParseLang(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		name, cookie, accept string
		want                 Lang
	}{
		{"nothing", "", "", AR},
		{"cookie en beats header ar", "en", "ar", EN},
		{"cookie ar beats header en", "ar", "en-US,en;q=0.9", AR},
		{"cookie with region", "EN-us", "", EN},
		{"invalid cookie ignored", "fr", "en", EN},
		{"english browser", "", "en-US,en;q=0.9", EN},
		{"arabic browser", "", "ar-SA,ar;q=0.9,en;q=0.8", AR},
		{"q decides, not order", "", "en;q=0.5, ar;q=0.8", AR},
		{"q decides english", "", "ar;q=0.3,en;q=0.7", EN},
		{"tie goes to earlier", "", "en,ar", EN},
		{"tie goes to earlier ar", "", "ar,en", AR},
		{"unsupported only", "", "fr-FR,fr;q=0.9,de;q=0.8", AR},
		{"unsupported first", "", "fr-FR,fr;q=0.9,en;q=0.8", EN},
		{"english refused", "", "en;q=0", AR},
		{"wildcard stands for arabic", "", "en;q=0.5,*;q=0.9", AR},
		{"wildcard does not override named", "", "ar;q=0.1,en;q=0.5,*;q=0.9", EN},
		{"wildcard alone", "", "*", AR},
		{"malformed q ignored", "", "ar;q=abc,en;q=0.2", EN},
		{"q above 1 ignored", "", "ar;q=2,en;q=0.2", EN},
		{"NaN q ignored", "", "ar;q=NaN,en;q=0.2", EN},
		{"spaces and case", "", " EN-gb ; Q=0.8 , fr ", EN},
		{"best region counts", "", "en-US;q=0.9,en;q=0.1,ar;q=0.5", EN},
		{"garbage", "", ";;,,=;q", AR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Negotiate(tc.cookie, tc.accept); got != tc.want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tc.cookie, tc.accept, got, tc.want)
			}
		})
	}
}
