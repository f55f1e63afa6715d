package i18n

import (
	"fmt"
	"time"
)

// Locale is everything a page needs to speak to one user: language, digits and
// time zone. It is a small value; build one per request.
type Locale struct {
	Lang   Lang
	Digits Digits
	Zone   *time.Location // nil means Asia/Riyadh
}

// New returns a Locale. An unknown language becomes Arabic; an unknown or empty
// digits setting becomes the language's default (Arabic-Indic for Arabic,
// Latin for English).
func New(lang Lang, digits Digits, zone *time.Location) *Locale {
	l := &Locale{Lang: lang, Digits: digits, Zone: zone}
	l.Lang, l.Digits = l.lang(), l.digits()
	return l
}

// The accessors below make a nil *Locale or a partly filled literal behave like
// New(AR, "", nil), so a forgotten locale degrades to the default instead of
// panicking in a template.

func (l *Locale) lang() Lang {
	if l == nil || l.Lang != EN {
		return AR
	}
	return EN
}

func (l *Locale) digits() Digits {
	if l != nil && (l.Digits == Latin || l.Digits == ArabicIndic) {
		return l.Digits
	}
	if l.lang() == EN {
		return Latin
	}
	return ArabicIndic
}

func (l *Locale) zone() *time.Location {
	if l == nil || l.Zone == nil {
		return riyadh
	}
	return l.Zone
}

// Dir is the HTML dir attribute for the locale's language.
func (l *Locale) Dir() string { return l.lang().Dir() }

// T returns message id with kv as template data ("Name", "سارة", ...). Values
// are inserted as given: format numbers with Number first. A missing message,
// a missing template key or malformed kv is logged and the id is returned, so
// a page never breaks.
func (l *Locale) T(id string, kv ...any) string {
	data, err := templateData(kv)
	if err != nil {
		return failed(l.lang(), id, err)
	}
	return localize(l.lang(), id, data, nil)
}

// N returns the plural form of message id for count, with {{.Count}} set to
// count written by Number (locale digits and grouping) and kv as for T.
func (l *Locale) N(id string, count int, kv ...any) string {
	data, err := templateData(kv)
	if err != nil {
		return failed(l.lang(), id, err)
	}
	data["Count"] = l.Number(int64(count))
	return localize(l.lang(), id, data, count)
}

// templateData turns key, value pairs into a map. It is never nil, so a
// template naming a key nobody passed fails loudly instead of printing
// "<no value>".
func templateData(kv []any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("odd number of template arguments (%d)", len(kv))
	}
	data := make(map[string]any, len(kv)/2+1)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("template key %v is %T, not string", kv[i], kv[i])
		}
		data[k] = kv[i+1]
	}
	return data, nil
}

// Number writes n with grouping separators in the locale's digits: 1,234 or
// ١٬٢٣٤. It does not go through x/text, whose CLDR data disagrees with
// itself about Arabic (ar gives ١٬٢٣٤, ar-SA 1,234).
func (l *Locale) Number(n int64) string { return digitize(group(n), l.digits()) }

// Digitize rewrites the ASCII digits of an already formatted string (a time,
// a reference number) in the locale's digits.
func (l *Locale) Digitize(s string) string { return digitize(s, l.digits()) }
