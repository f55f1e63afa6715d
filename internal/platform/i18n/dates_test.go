package i18n

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	riyadhNoon := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) // 12:00 in Riyadh
	for _, tc := range []struct {
		name string
		l    *Locale
		t    time.Time
		want string
	}{
		{"arabic, Arabic-Indic", New(AR, ArabicIndic, nil), riyadhNoon, "الجمعة ٢٧ نوفمبر ٢٠٢٦ — ١٧ جمادى الآخرة ١٤٤٨ هـ"},
		{"arabic, Latin", New(AR, Latin, nil), riyadhNoon, "الجمعة 27 نوفمبر 2026 — 17 جمادى الآخرة 1448 هـ"},
		{"english", New(EN, Latin, nil), riyadhNoon, "Friday 27 November 2026"},
		{"english, Arabic-Indic", New(EN, ArabicIndic, nil), riyadhNoon, "Friday ٢٧ November ٢٠٢٦"},
		// 00:30 in Riyadh is still the 26th in UTC: the day (and Hijri day)
		// must follow the locale's zone, not UTC.
		{"just after midnight", New(AR, Latin, nil), time.Date(2026, 11, 26, 21, 30, 0, 0, time.UTC), "الجمعة 27 نوفمبر 2026 — 17 جمادى الآخرة 1448 هـ"},
		{"just before midnight", New(AR, Latin, nil), time.Date(2026, 11, 27, 20, 59, 0, 0, time.UTC), "الجمعة 27 نوفمبر 2026 — 17 جمادى الآخرة 1448 هـ"},
		{"same instant in UTC", New(AR, Latin, time.UTC), time.Date(2026, 11, 26, 21, 30, 0, 0, time.UTC), "الخميس 26 نوفمبر 2026 — 16 جمادى الآخرة 1448 هـ"},
		{"first of Ramadan", New(AR, Latin, nil), time.Date(2026, 2, 18, 9, 0, 0, 0, time.UTC), "الأربعاء 18 فبراير 2026 — 1 رمضان 1447 هـ"},
		{"Hijri new year", New(AR, Latin, nil), time.Date(2026, 6, 16, 9, 0, 0, 0, time.UTC), "الثلاثاء 16 يونيو 2026 — 1 محرم 1448 هـ"},
		{"Eid al-Fitr 1448", New(AR, Latin, nil), time.Date(2027, 3, 9, 9, 0, 0, 0, time.UTC), "الثلاثاء 9 مارس 2027 — 1 شوال 1448 هـ"},
		// Beyond 2077 the tabular (civil) calendar stands in, as Intl's islamic-civil.
		{"after the Umm al-Qura table", New(AR, Latin, nil), time.Date(2100, 1, 1, 9, 0, 0, 0, time.UTC), "الجمعة 1 يناير 2100 — 19 شوال 1523 هـ"},
		{"before the Hijri era", New(AR, Latin, time.UTC), time.Date(600, 1, 1, 9, 0, 0, 0, time.UTC), "الأربعاء 1 يناير 600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.l.Date(tc.t); got != tc.want {
				t.Errorf("Date(%s) = %q, want %q", tc.t, got, tc.want)
			}
		})
	}
}

func TestDateTime(t *testing.T) {
	at := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC) // 17:05 in Riyadh
	for _, tc := range []struct {
		l    *Locale
		want string
	}{
		{New(AR, ArabicIndic, nil), "الجمعة ٢٧ نوفمبر ٢٠٢٦ — ١٧ جمادى الآخرة ١٤٤٨ هـ، ١٧:٠٥"},
		{New(EN, Latin, nil), "Friday 27 November 2026, 17:05"},
		{New(EN, Latin, time.UTC), "Friday 27 November 2026, 14:05"},
		{&Locale{Lang: EN}, "Friday 27 November 2026, 17:05"}, // literal: zone nil is Riyadh, digits default
	} {
		if got := tc.l.DateTime(at); got != tc.want {
			t.Errorf("%+v DateTime = %q, want %q", *tc.l, got, tc.want)
		}
	}
}

func TestHijri(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		l    *Locale
		want string
	}{
		{New(AR, ArabicIndic, nil), "١٧ جمادى الآخرة ١٤٤٨ هـ"},
		{New(AR, Latin, nil), "17 جمادى الآخرة 1448 هـ"},
		{New(EN, Latin, nil), "17 Jumada al-Akhirah 1448 AH"},
	} {
		if got := tc.l.Hijri(at); got != tc.want {
			t.Errorf("%+v Hijri = %q, want %q", *tc.l, got, tc.want)
		}
	}
	if got := New(EN, Latin, time.UTC).Hijri(time.Date(600, 1, 1, 0, 0, 0, 0, time.UTC)); got != "" {
		t.Errorf("Hijri before the era = %q, want empty", got)
	}
}
