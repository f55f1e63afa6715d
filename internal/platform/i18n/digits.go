package i18n

import (
	"strconv"
	"strings"
)

// Digits is a numbering system, named by its CLDR/Unicode code (the -u-nu-
// extension), chosen per user: Arabic readers use either.
type Digits string

const (
	Latin       Digits = "latn"
	ArabicIndic Digits = "arab"
)

// ParseDigits reads a numbering-system setting ("latn" or "arab", any case).
// It reports false (and returns "") for anything else.
func ParseDigits(s string) (Digits, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(Latin):
		return Latin, true
	case string(ArabicIndic):
		return ArabicIndic, true
	}
	return "", false
}

// Arabic decimal and thousands separators (U+066B, U+066C).
const (
	arabicDecimal   = '٫'
	arabicThousands = '٬'
)

// NormalizeDigits turns Arabic-Indic (٠-٩) and Persian (۰-۹) digits into ASCII
// and the Arabic separators ٫ ٬ into . and , so that input typed on either
// keyboard can go through strconv. Everything else is left alone.
func NormalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		case r == arabicDecimal:
			return '.'
		case r == arabicThousands:
			return ','
		}
		return r
	}, s)
}

// digitize writes the ASCII digits of s in d. For Arabic-Indic it also turns
// "," and "." into ٬ and ٫, but only between two digits, so that the
// punctuation of surrounding prose is untouched.
func digitize(s string, d Digits) string {
	if d != ArabicIndic {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ { // bytewise is safe: ASCII never occurs inside a UTF-8 sequence
		c := s[i]
		switch {
		case isDigit(c):
			b.WriteRune('٠' + rune(c-'0'))
		case (c == ',' || c == '.') && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]):
			if c == ',' {
				b.WriteRune(arabicThousands)
			} else {
				b.WriteRune(arabicDecimal)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// group writes n in ASCII with a comma every three digits.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	head := len(s) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(s[:head])
	for i := head; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// ParseInt reads a whole number typed with ASCII, Arabic-Indic or Persian
// digits, with optional sign, surrounding spaces and correctly placed thousands
// separators (1,234 or ١٬٢٣٤). Errors are *strconv.NumError, so callers can
// test errors.Is(err, strconv.ErrSyntax) or strconv.ErrRange.
func ParseInt(s string) (int64, error) {
	clean, ok := cleanNumber(s, false)
	if !ok {
		return 0, &strconv.NumError{Func: "ParseInt", Num: s, Err: strconv.ErrSyntax}
	}
	n, err := strconv.ParseInt(clean, 10, 64)
	if err != nil {
		return 0, &strconv.NumError{Func: "ParseInt", Num: s, Err: err.(*strconv.NumError).Err}
	}
	return n, nil
}

// ParseFloat is ParseInt for decimals (1.5, ١٫٥). Exponents, hex, Inf and NaN
// are refused: they are never what a person meant to type in a form.
func ParseFloat(s string) (float64, error) {
	clean, ok := cleanNumber(s, true)
	if !ok {
		return 0, &strconv.NumError{Func: "ParseFloat", Num: s, Err: strconv.ErrSyntax}
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return 0, &strconv.NumError{Func: "ParseFloat", Num: s, Err: err.(*strconv.NumError).Err}
	}
	return f, nil
}

// cleanNumber normalises digits, drops surrounding space and the bidi marks
// that come along when a formatted number is copied from a page, checks the
// shape [sign] digits[,ddd...] [. digits] and returns it without separators.
func cleanNumber(s string, fraction bool) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == '\u200e' || r == '\u200f' || r == '\u061c' { // LRM, RLM, ALM
			return -1
		}
		return r
	}, NormalizeDigits(s))
	s = strings.TrimSpace(s)
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (!fraction || !allDigits(frac)) {
		return "", false
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if !allDigits(g) || len(g) > 3 || (i > 0 && len(g) != 3) || g == "" {
				return "", false
			}
		}
		whole = strings.Join(groups, "")
	}
	if !allDigits(whole) || (whole == "" && frac == "") {
		return "", false
	}
	if hasFrac {
		return sign + whole + "." + frac, true
	}
	return sign + whole, true
}

// allDigits reports whether s is only ASCII digits (the empty string is).
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
