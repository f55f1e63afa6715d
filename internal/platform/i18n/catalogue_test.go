package i18n

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	texttemplate "text/template"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// TestCatalogue checks every file in locales/, including those added later by
// other areas: the two languages define the same ids, plural messages have
// every form their language uses, templates parse and name the same data.
func TestCatalogue(t *testing.T) {
	c := loaded()
	if len(c.messages[AR]) == 0 || len(c.messages[EN]) == 0 {
		t.Fatal("catalogue is empty")
	}
	for _, p := range problems(c) {
		t.Error(p)
	}
	if got := Messages(AR); !slices.IsSorted(got) || !slices.Contains(got, "common.members") || !slices.Equal(got, Messages(EN)) {
		t.Errorf("Messages(AR) = %v, Messages(EN) = %v", got, Messages(EN))
	}
	if !Has("site.name") || Has("no.such.message") || Has("") {
		t.Error("Has is wrong")
	}
}

// TestCatalogueChecks makes sure the check above can fail, on small invented
// catalogues.
func TestCatalogueChecks(t *testing.T) {
	const (
		arPlural = "[x.n]\nzero = \"a\"\none = \"b\"\ntwo = \"c\"\nfew = \"{{.Count}} d\"\nmany = \"{{.Count}} e\"\nother = \"{{.Count}} f\"\n"
		enPlural = "[x.n]\none = \"{{.Count}} thing\"\nother = \"{{.Count}} things\"\n"
	)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // in a problem; "" means no problem at all
	}{
		{"good pair", map[string]string{"x.ar.toml": arPlural + "[x]\nhi = \"مرحبا {{.Name}}\"\n", "x.en.toml": enPlural + "[x]\nhi = \"Hello {{.Name}}\"\n"}, ""},
		{"arabic form missing", map[string]string{"x.ar.toml": strings.Replace(arPlural, "many", "#many", 1), "x.en.toml": enPlural}, `"x.n" lacks form "many"`},
		{"arabic only other", map[string]string{"x.ar.toml": "[x.n]\nother = \"{{.Count}} f\"\n", "x.en.toml": enPlural}, `"x.n" lacks form "zero"`},
		{"english one missing", map[string]string{"x.ar.toml": arPlural, "x.en.toml": "[x.n]\nother = \"{{.Count}} things\"\n"}, `en: "x.n" lacks form "one"`},
		{"english form never used", map[string]string{"x.ar.toml": arPlural, "x.en.toml": enPlural + "zero = \"none\"\n"}, `form "zero" which English never uses`},
		{"only in arabic", map[string]string{"x.ar.toml": "[x]\na = \"أ\"\nb = \"ب\"\n", "x.en.toml": "[x]\na = \"A\"\n"}, `"x.b" is in x.ar.toml but not in English`},
		{"only in english", map[string]string{"x.ar.toml": "[x]\na = \"أ\"\n", "x.en.toml": "[x]\na = \"A\"\nb = \"B\"\n"}, `"x.b" is in x.en.toml but not in Arabic`},
		{"missing file", map[string]string{"x.ar.toml": "[x]\na = \"أ\"\n"}, `"x.a" is in x.ar.toml but not in English`},
		{"duplicate across files", map[string]string{"x.ar.toml": "[x]\na = \"أ\"\n", "y.ar.toml": "[x]\na = \"ب\"\n", "x.en.toml": "[x]\na = \"A\"\n"}, `y.ar.toml: message "x.a" is already defined in x.ar.toml`},
		{"bad file name", map[string]string{"x.fr.toml": "[x]\na = \"A\"\n"}, "x.fr.toml: not a message file"},
		{"not toml", map[string]string{"x.ar.json": "{}"}, "x.ar.json: not a message file"},
		{"bad toml", map[string]string{"x.ar.toml": "[x\n"}, "x.ar.toml: "},
		{"reserved word as a key", map[string]string{"x.ar.toml": "[x]\ndescription = \"d\"\na = \"أ\"\n"}, "x.ar.toml: reserved keys"},
		{"empty message", map[string]string{"x.ar.toml": "[x]\na = \"\"\n", "x.en.toml": "[x]\na = \"A\"\n"}, `ar: "x.a" lacks form "other"`},
		{"template syntax", map[string]string{"x.ar.toml": "[x]\na = \"{{.Name\"\n", "x.en.toml": "[x]\na = \"{{.Name}}\"\n"}, `ar: "x.a" form other:`},
		{"placeholders differ", map[string]string{"x.ar.toml": "[x]\na = \"{{.Name}}\"\n", "x.en.toml": "[x]\na = \"{{.Nmae}}\"\n"}, `"x.a" uses [Name] in Arabic but [Nmae] in English`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, text := range tc.files {
				fsys["locales/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			got := problems(load(fsys, "locales"))
			if tc.want == "" {
				if len(got) > 0 {
					t.Errorf("problems in a good catalogue: %q", got)
				}
				return
			}
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("no problem containing %q; got %q", tc.want, got)
			}
		})
	}
}

// problems lists everything wrong with a loaded catalogue.
func problems(c *catalogue) []string {
	var out []string
	for _, err := range c.errs {
		out = append(out, err.Error())
	}
	ids := slices.Sorted(maps.Keys(c.messages[AR]))
	for id := range c.messages[EN] {
		if c.messages[AR][id] == nil {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		ar, en := c.messages[AR][id], c.messages[EN][id]
		switch {
		case en == nil:
			out = append(out, fmt.Sprintf("%q is in %s but not in English", id, c.files[AR][id]))
			continue
		case ar == nil:
			out = append(out, fmt.Sprintf("%q is in %s but not in Arabic", id, c.files[EN][id]))
			continue
		}
		plural := isPlural(ar) || isPlural(en)
		out = append(out, formProblems(AR, ar, plural)...)
		out = append(out, formProblems(EN, en, plural)...)
		if a, e := placeholders(ar), placeholders(en); !slices.Equal(a, e) {
			out = append(out, fmt.Sprintf("%q uses %v in Arabic but %v in English", id, a, e))
		}
	}
	return out
}

func forms(m *goi18n.Message) map[string]string {
	return map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other}
}

func isPlural(m *goi18n.Message) bool { return m.Zero+m.One+m.Two+m.Few+m.Many != "" }

// formProblems checks one language's version of a message: the forms its
// plural rules need are all there (Arabic uses six, English two) and each
// form is a valid template.
func formProblems(lang Lang, m *goi18n.Message, plural bool) []string {
	var out []string
	need := []string{"other"}
	if plural && lang == AR {
		need = []string{"zero", "one", "two", "few", "many", "other"}
	} else if plural {
		need = []string{"one", "other"}
	}
	f := forms(m)
	for _, form := range need {
		if f[form] == "" {
			out = append(out, fmt.Sprintf("%s: %q lacks form %q", lang, m.ID, form))
		}
	}
	for _, form := range slices.Sorted(maps.Keys(f)) {
		src := f[form]
		if src == "" {
			continue
		}
		if lang == EN && form != "one" && form != "other" {
			out = append(out, fmt.Sprintf("en: %q has form %q which English never uses", m.ID, form))
		}
		if _, err := texttemplate.New("").Delims(delim(m.LeftDelim, "{{"), delim(m.RightDelim, "}}")).Parse(src); err != nil {
			out = append(out, fmt.Sprintf("%s: %q form %s: %v", lang, m.ID, form, err))
		}
	}
	return out
}

func delim(d, def string) string {
	if d == "" {
		return def
	}
	return d
}

var (
	action = regexp.MustCompile(`\{\{.*?\}\}`)
	field  = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// placeholders lists the template data fields a message uses in any form;
// a field named in one language and not the other is a translation slip.
func placeholders(m *goi18n.Message) []string {
	set := map[string]bool{}
	for _, src := range forms(m) {
		for _, a := range action.FindAllString(src, -1) {
			for _, f := range field.FindAllStringSubmatch(a, -1) {
				set[f[1]] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}
