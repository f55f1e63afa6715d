package i18n

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

func TestParseDigits(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Digits
		ok   bool
	}{
		{"latn", Latin, true},
		{"arab", ArabicIndic, true},
		{" ARAB ", ArabicIndic, true},
		{"", "", false},
		{"arabic", "", false},
		{"persian", "", false},
	} {
		got, ok := ParseDigits(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseDigits(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNormalizeDigits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"١٬٢٣٤٫٥", "1,234.5"},
		{"غرفة ۱۲ - 3", "غرفة 12 - 3"},
		{"abc", "abc"},
		{"", ""},
	} {
		if got := NormalizeDigits(tc.in); got != tc.want {
			t.Errorf("NormalizeDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"١٢٣", 123},
		{"۱۲۳", 123},
		{" 42 ", 42},
		{"\u00a0٤٢\t", 42},
		{"-7", -7},
		{"+7", 7},
		{"-٧", -7},
		{"0", 0},
		{"1,234", 1234},
		{"١٬٢٣٤", 1234},
		{"1,234,567", 1234567},
		{"\u200f١٬٢٣٤\u200f", 1234},
		{"9223372036854775807", math.MaxInt64},
	} {
		got, err := ParseInt(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"12a", "", " ", "-", "1.5", "١٫٥", "1 234", "12,34", ",123", "1,,234", "1234,", "0x10", "1_000", "٣e2", "١٢ ٣", "--1"} {
		if got, err := ParseInt(in); !errors.Is(err, strconv.ErrSyntax) {
			t.Errorf("ParseInt(%q) = %d, %v; want ErrSyntax", in, got, err)
		}
	}
	if _, err := ParseInt("9223372036854775808"); !errors.Is(err, strconv.ErrRange) {
		t.Errorf("ParseInt(MaxInt64+1) error = %v, want ErrRange", err)
	}
}

func TestParseFloat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"1.5", 1.5},
		{"١٫٥", 1.5},
		{"۲٫۲۵", 2.25},
		{" -0.5 ", -0.5},
		{"٫٥", 0.5},
		{"7", 7},
		{"5.", 5},
		{"1,234.5", 1234.5},
		{"١٬٢٣٤٫٥", 1234.5},
	} {
		got, err := ParseFloat(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"12a", "", ".", "1.2.3", "1e3", "Inf", "NaN", "0x1p-2", "1,5", "1.5,0"} {
		if got, err := ParseFloat(in); !errors.Is(err, strconv.ErrSyntax) {
			t.Errorf("ParseFloat(%q) = %v, %v; want ErrSyntax", in, got, err)
		}
	}
}

func TestNumber(t *testing.T) {
	latn, arab := New(AR, Latin, nil), New(AR, ArabicIndic, nil)
	for _, tc := range []struct {
		n          int64
		latn, arab string
	}{
		{0, "0", "٠"},
		{7, "7", "٧"},
		{999, "999", "٩٩٩"},
		{1000, "1,000", "١٬٠٠٠"},
		{1234, "1,234", "١٬٢٣٤"},
		{123456, "123,456", "١٢٣٬٤٥٦"},
		{1234567, "1,234,567", "١٬٢٣٤٬٥٦٧"},
		{-1234, "-1,234", "-١٬٢٣٤"},
		{math.MinInt64, "-9,223,372,036,854,775,808", "-٩٬٢٢٣٬٣٧٢٬٠٣٦٬٨٥٤٬٧٧٥٬٨٠٨"},
	} {
		if got := latn.Number(tc.n); got != tc.latn {
			t.Errorf("latn Number(%d) = %q, want %q", tc.n, got, tc.latn)
		}
		if got := arab.Number(tc.n); got != tc.arab {
			t.Errorf("arab Number(%d) = %q, want %q", tc.n, got, tc.arab)
		}
		// What we print, we read back.
		if back, err := ParseInt(arab.Number(tc.n)); err != nil || back != tc.n {
			t.Errorf("ParseInt(Number(%d)) = %d, %v", tc.n, back, err)
		}
	}
}

func TestDigitize(t *testing.T) {
	latn, arab := New(AR, Latin, nil), New(AR, ArabicIndic, nil)
	for _, tc := range []struct{ in, latn, arab string }{
		{"17:05", "17:05", "١٧:٠٥"},
		{"1,234.50", "1,234.50", "١٬٢٣٤٫٥٠"},
		{"رقم 12, ثم 3.", "رقم 12, ثم 3.", "رقم ١٢, ثم ٣."},
		{"Hello, world.", "Hello, world.", "Hello, world."},
		{"٣ and 3", "٣ and 3", "٣ and ٣"},
		{"", "", ""},
	} {
		if got := latn.Digitize(tc.in); got != tc.latn {
			t.Errorf("latn Digitize(%q) = %q, want %q", tc.in, got, tc.latn)
		}
		if got := arab.Digitize(tc.in); got != tc.arab {
			t.Errorf("arab Digitize(%q) = %q, want %q", tc.in, got, tc.arab)
		}
	}
}
