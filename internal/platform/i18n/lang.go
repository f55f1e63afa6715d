package i18n

import (
	"strconv"
	"strings"
)

// Lang is an interface language. Arabic is the default: pages are written in
// Arabic first and English is the translation.
type Lang string

const (
	AR Lang = "ar"
	EN Lang = "en"
)

// CookieName is the cookie holding the user's explicit choice of language,
// which beats whatever the browser's Accept-Language says.
const CookieName = "lang"

// Dir is the HTML dir attribute for the language; anything but English is
// treated as Arabic, the default.
func (l Lang) Dir() string {
	if l == EN {
		return "ltr"
	}
	return "rtl"
}

// ParseLang reads a language tag such as "ar", "ar-SA", "EN-us" or "en_GB"
// and keeps only the language: regional variants share one catalogue.
// It reports false (and returns "") for anything else.
func ParseLang(s string) (Lang, bool) {
	primary, rest, hasRest := strings.Cut(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"), "-")
	if hasRest && !validSubtags(rest) {
		return "", false
	}
	switch strings.ToLower(primary) {
	case "ar":
		return AR, true
	case "en":
		return EN, true
	}
	return "", false
}

// validSubtags checks the BCP 47 shape of what follows the language:
// dash-separated runs of 1 to 8 ASCII letters or digits.
func validSubtags(s string) bool {
	for sub := range strings.SplitSeq(s, "-") {
		if len(sub) == 0 || len(sub) > 8 {
			return false
		}
		for i := 0; i < len(sub); i++ {
			c := sub[i] | 0x20 // ASCII lower case; digits are unaffected
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// Negotiate picks the page language: a valid cookie wins; otherwise the
// Accept-Language entry with the highest q among ar and en (the earlier one on
// a tie, "*" standing for any language not named); otherwise Arabic.
func Negotiate(cookie, acceptLanguage string) Lang {
	if l, ok := ParseLang(cookie); ok {
		return l
	}
	type pref struct {
		q   float64
		pos int
	}
	named := map[Lang]pref{}
	wildcard := pref{q: -1}
	for pos, entry := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(entry, ";")
		q, ok := quality(params)
		if !ok {
			continue
		}
		if strings.TrimSpace(tag) == "*" {
			if q > wildcard.q {
				wildcard = pref{q, pos}
			}
			continue
		}
		l, ok := ParseLang(tag)
		if !ok {
			continue
		}
		if cur, seen := named[l]; !seen || q > cur.q {
			named[l] = pref{q, pos}
		}
	}
	best, bestPref := AR, pref{q: 0}
	for _, l := range []Lang{AR, EN} {
		p, seen := named[l]
		if !seen {
			p = wildcard
		}
		if p.q > bestPref.q || (p.q == bestPref.q && p.q > 0 && p.pos < bestPref.pos) {
			best, bestPref = l, p
		}
	}
	return best
}

// quality reads the q parameter of an Accept-Language entry ("q=0.8"), 1 when
// absent; a malformed or out-of-range q makes the whole entry invalid.
func quality(params string) (float64, bool) {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(q >= 0 && q <= 1) { // also rejects NaN
			return 0, false
		}
		return q, true
	}
	return 1, true
}
