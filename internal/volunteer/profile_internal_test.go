package volunteer

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/i18n"
)

func TestParseDayWindowsAndCheck(t *testing.T) {
	tests := []struct {
		name, text string
		want       []Window // nil with wantErr
		wantErr    string
	}{
		{"empty day", "  ", nil, ""},
		{"one window", "09:00-12:00", []Window{{time.Monday, 540, 720}}, ""},
		{"two windows, Arabic comma and en dash", "09:00–12:00، 16:30–20:00", []Window{{time.Monday, 540, 720}, {time.Monday, 990, 1200}}, ""},
		{"Arabic-Indic digits", "٠٩:٠٠–١٢:٣٠", []Window{{time.Monday, 540, 750}}, ""},
		{"Persian digits and إلى", "۸:۰۰ إلى ۱۰:۰۰", []Window{{time.Monday, 480, 600}}, ""},
		{"hours only, until midnight", "18-24", []Window{{time.Monday, 1080, 1440}}, ""},
		{"sorted by start", "16:00-18:00, 08:00-10:00", []Window{{time.Monday, 480, 600}, {time.Monday, 960, 1080}}, ""},
		{"no end", "09:00", nil, "volunteer.profile.error.window_format"},
		{"bad minutes", "09:75-10:00", nil, "volunteer.profile.error.window_format"},
		{"24 as a start", "24:00-24:00", nil, "volunteer.profile.error.window_format"},
		{"letters", "morning", nil, "volunteer.profile.error.window_format"},
		{"end before start", "12:00-09:00", nil, "volunteer.profile.error.window_order"},
		{"empty window", "09:00-09:00", nil, "volunteer.profile.error.window_order"},
		{"overlap", "09:00-12:00, 11:00-13:00", nil, "volunteer.profile.error.window_overlap"},
		{"three windows", "06:00-07:00, 08:00-09:00, 10:00-11:00", nil, "volunteer.profile.error.window_count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := map[string]string{}
			got := profCheckWindows(ParseDayWindows(time.Monday, tc.text), errs)
			key := AvailabilityField(time.Monday)
			if errs[key] != tc.wantErr {
				t.Fatalf("error %q, want %q (errors %v)", errs[key], tc.wantErr, errs)
			}
			if tc.wantErr == "" && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("windows %v, want %v", got, tc.want)
			}
		})
	}
	// A weekday out of range (API input) is refused on its own key.
	errs := map[string]string{}
	profCheckWindows([]WindowInput{{Weekday: 7, Start: "09:00", End: "10:00"}}, errs)
	if errs["availability"] != "volunteer.profile.error.weekday" {
		t.Fatalf("weekday 7: %v", errs)
	}
	// What FormatDayWindows writes reads back the same.
	ws := []Window{{time.Tuesday, 540, 720}, {time.Tuesday, 990, 1440}}
	back := profCheckWindows(ParseDayWindows(time.Tuesday, FormatDayWindows(ws, time.Tuesday)), map[string]string{})
	if !reflect.DeepEqual(back, ws) {
		t.Fatalf("round trip %v, want %v", back, ws)
	}
}

func TestICalFoldingAndEscaping(t *testing.T) {
	if got := icalEscape("a,b;c\\d\ne\r\nf"); got != `a\,b\;c\\d\ne\nf` {
		t.Fatalf("escape: %q", got)
	}
	w := &icalWriter{}
	long := "SUMMARY:" + strings.Repeat("تعبئة سلال غذائية، ", 12)
	w.line(long)
	out := w.b.String()
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatal("no CRLF at the end")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	if len(lines) < 3 {
		t.Fatalf("a %d-octet line folded into %d lines", len(long), len(lines))
	}
	var joined strings.Builder
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character: %q", i, l)
		}
		if i > 0 {
			if l[0] != ' ' {
				t.Fatalf("continuation line %d does not start with a space", i)
			}
			l = l[1:]
		}
		joined.WriteString(l)
	}
	if joined.String() != long {
		t.Fatal("unfolding does not give the line back")
	}
}

func TestHoursFormatting(t *testing.T) {
	ar, en := i18n.New(i18n.AR, i18n.ArabicIndic, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	for _, tc := range []struct {
		min    int
		ar, en string
	}{{90, "١٫٥", "1.5"}, {60, "١٫٠", "1.0"}, {100, "١٫٧", "1.7"}, {0, "٠٫٠", "0.0"}, {75000, "١٬٢٥٠٫٠", "1,250.0"}} {
		if got := profHours(ar, tc.min); got != tc.ar {
			t.Errorf("ar %d min: %q, want %q", tc.min, got, tc.ar)
		}
		if got := profHours(en, tc.min); got != tc.en {
			t.Errorf("en %d min: %q, want %q", tc.min, got, tc.en)
		}
	}
}
