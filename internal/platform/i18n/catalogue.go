package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// locales holds one <area>.ar.toml / <area>.en.toml pair per area of the
// code; every file in the directory is loaded, so adding a pair needs no Go.
//
//go:embed locales
var locales embed.FS

// catalogue is the loaded, immutable set of messages.
type catalogue struct {
	localizers map[Lang]*goi18n.Localizer
	messages   map[Lang]map[string]*goi18n.Message
	files      map[Lang]map[string]string // id -> file that defined it
	errs       []error                    // bad files, duplicate ids
}

// loaded parses the embedded catalogue once. Errors do not stop the program
// (pages fall back to message ids); they are logged and the tests fail on them.
var loaded = sync.OnceValue(func() *catalogue {
	c := load(locales, "locales")
	for _, err := range c.errs {
		slog.Error("i18n: catalogue", "err", err)
	}
	return c
})

// load reads every file in dir, each named <area>.<ar|en>.toml.
func load(fsys fs.FS, dir string) *catalogue {
	bundle := goi18n.NewBundle(language.Arabic)
	c := &catalogue{
		messages: map[Lang]map[string]*goi18n.Message{AR: {}, EN: {}},
		files:    map[Lang]map[string]string{AR: {}, EN: {}},
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		c.errs = append(c.errs, err)
	}
	unmarshal := map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal}
	for _, e := range entries {
		name := e.Name()
		lang, ok := fileLang(name)
		if e.IsDir() || !ok {
			c.errs = append(c.errs, fmt.Errorf("%s: not a message file; name it <area>.ar.toml or <area>.en.toml", name))
			continue
		}
		buf, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			c.errs = append(c.errs, err)
			continue
		}
		mf, err := goi18n.ParseMessageFileBytes(buf, name, unmarshal)
		if err != nil {
			c.errs = append(c.errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		var fresh []*goi18n.Message
		for _, m := range mf.Messages {
			if prev, dup := c.files[lang][m.ID]; dup {
				c.errs = append(c.errs, fmt.Errorf("%s: message %q is already defined in %s", name, m.ID, prev))
				continue
			}
			c.files[lang][m.ID], c.messages[lang][m.ID] = name, m
			fresh = append(fresh, m)
		}
		if err := bundle.AddMessages(language.Make(string(lang)), fresh...); err != nil {
			c.errs = append(c.errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	c.localizers = map[Lang]*goi18n.Localizer{
		AR: goi18n.NewLocalizer(bundle, string(AR)),
		EN: goi18n.NewLocalizer(bundle, string(EN)),
	}
	return c
}

// fileLang returns the language of "<area>.<ar|en>.toml".
func fileLang(name string) (Lang, bool) {
	stem, ok := strings.CutSuffix(name, ".toml")
	i := strings.LastIndexByte(stem, '.')
	if !ok || i <= 0 {
		return "", false
	}
	switch stem[i+1:] {
	case "ar":
		return AR, true
	case "en":
		return EN, true
	}
	return "", false
}

// strictParser makes a template that names a key nobody passed an error (so
// the id is shown and a warning logged) rather than the text "<no value>".
var strictParser = &template.TextParser{Option: "missingkey=error"}

// localize renders a message. go-i18n answers a missing message or plural form
// with an error and sometimes a fallback (the other language, the "other"
// form); any error gives the id instead, which is visibly wrong but never
// breaks the page.
func localize(lang Lang, id string, data map[string]any, count any) string {
	s, err := loaded().localizers[lang].Localize(&goi18n.LocalizeConfig{
		MessageID:      id,
		TemplateData:   data,
		PluralCount:    count,
		TemplateParser: strictParser,
	})
	if err != nil {
		return failed(lang, id, err)
	}
	return s
}

func failed(lang Lang, id string, err error) string {
	slog.Warn("i18n: message not rendered", "id", id, "lang", string(lang), "err", err)
	return id
}

// Messages lists the ids defined for lang, sorted.
func Messages(lang Lang) []string {
	ids := make([]string, 0, len(loaded().messages[lang]))
	for id := range loaded().messages[lang] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Has reports whether id is defined in both languages, the only state in
// which it is safe to show.
func Has(id string) bool {
	c := loaded()
	return c.messages[AR][id] != nil && c.messages[EN][id] != nil
}
