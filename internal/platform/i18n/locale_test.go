package i18n

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewDefaults(t *testing.T) {
	utc := time.UTC
	for _, tc := range []struct {
		lang   Lang
		digits Digits
		want   Locale
	}{
		{AR, "", Locale{AR, ArabicIndic, nil}},
		{EN, "", Locale{EN, Latin, nil}},
		{AR, Latin, Locale{AR, Latin, nil}},
		{EN, ArabicIndic, Locale{EN, ArabicIndic, nil}},
		{"fr", "roman", Locale{AR, ArabicIndic, nil}},
	} {
		got := New(tc.lang, tc.digits, nil)
		if *got != tc.want {
			t.Errorf("New(%q, %q, nil) = %+v, want %+v", tc.lang, tc.digits, *got, tc.want)
		}
	}
	if got := New(EN, Latin, utc); got.Zone != utc || got.Dir() != "ltr" {
		t.Errorf("New(EN, Latin, UTC) = %+v, dir %s", *got, got.Dir())
	}
	var nilLocale *Locale
	if got := nilLocale.T("site.name"); got != "شراكة" || nilLocale.Dir() != "rtl" || nilLocale.Number(12) != "١٢" {
		t.Errorf("nil Locale: T = %q, Dir = %q, Number = %q", got, nilLocale.Dir(), nilLocale.Number(12))
	}
}

func TestT(t *testing.T) {
	ar, en := New(AR, ArabicIndic, nil), New(EN, Latin, nil)
	for _, tc := range []struct {
		l        *Locale
		id, want string
	}{
		{ar, "site.name", "شراكة"},
		{en, "site.name", "Sharaka"},
		{ar, "lang.switch", "English"},
		{en, "lang.switch", "العربية"},
		{ar, "error.required", "هذا الحقل مطلوب"},
		{en, "common.empty", "Nothing here yet"},
	} {
		if got := tc.l.T(tc.id); got != tc.want {
			t.Errorf("%s T(%q) = %q, want %q", tc.l.Lang, tc.id, got, tc.want)
		}
	}
	// Numbers in template data are printed as given, not reformatted.
	if got := ar.T("pager.page", "Page", 1234, "Count", "٥"); got != "الصفحة 1234 من ٥ صفحة" {
		t.Errorf("T with data = %q", got)
	}
}

// Every failure returns the id, logs a warning and never panics.
func TestFailuresReturnID(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	ar := New(AR, ArabicIndic, nil)
	for _, tc := range []struct {
		name string
		got  func() string
		id   string
	}{
		{"missing id", func() string { return ar.T("no.such.message") }, "no.such.message"},
		{"missing plural id", func() string { return ar.N("no.such.plural", 3) }, "no.such.plural"},
		{"missing template key", func() string { return ar.N("pager.page", 3) }, "pager.page"},
		{"plural message without count", func() string { return ar.T("common.members") }, "common.members"},
		{"odd data", func() string { return ar.T("site.name", "Name") }, "site.name"},
		{"non-string key", func() string { return ar.T("site.name", 1, 2) }, "site.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			if got := tc.got(); got != tc.id {
				t.Errorf("got %q, want the id %q", got, tc.id)
			}
			if log := buf.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, tc.id) {
				t.Errorf("no warning naming %q logged: %q", tc.id, log)
			}
		})
	}
}

// The catalogue is shared by every request; the race detector checks it.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			l := New([]Lang{AR, EN}[i%2], "", nil)
			for n := range 50 {
				if l.N("common.members", n) == "common.members" || l.T("nav.home") == "nav.home" {
					t.Error("message not rendered")
					return
				}
			}
		})
	}
	wg.Wait()
}
