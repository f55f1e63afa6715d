package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sharaka/internal/platform/i18n"
)

const axeVersion = "4.14.1"

// axeViolation is the part of an axe-core result a report needs.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []json.RawMessage `json:"target"` // a selector, or a list of them through iframes and shadow roots
		Summary string            `json:"summary"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core on the main pages, in Arabic and English,
// signed out and in, and with form errors shown. A serious or critical
// violation fails the page; lesser ones are logged.
func TestAccessibility(t *testing.T) {
	src, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	browser := start(t)
	// A charity with a coming shift, a volunteer on it and her certificate,
	// for the volunteering pages.
	fx := setUpVolunteering(t, browser.app)
	_, certCode := fx.certifiedVolunteer(t, browser.app)
	oppPath, rosterPath := "/opportunities/"+fx.opp.ID, "/shifts/"+fx.shift.ID+"/roster"

	pages := []struct {
		name string
		lang i18n.Lang
		// reach brings the tab to the page, from where the previous one left it.
		reach func(t *testing.T, b *tab)
		// quiet is a console error the page is expected to log, if any.
		quiet string
	}{
		{"home", i18n.AR, func(t *testing.T, b *tab) { b.open("/") }, ""},
		{"signup", i18n.AR, func(t *testing.T, b *tab) { b.open("/signup") }, ""},
		{"signup-errors", i18n.AR, func(t *testing.T, b *tab) {
			b.open("/signup")
			if code := b.click(`main form[action="/signup"] button[type=submit]`, "submit the empty sign-up form"); code != 422 {
				t.Fatalf("empty sign-up form: HTTP %d, want 422", code)
			}
			if n := eval[int](b, "count errors", `document.querySelectorAll(".field-error").length`); n == 0 {
				t.Fatal("empty sign-up form shows no field errors")
			}
		}, "status of 422"},
		{"signin", i18n.EN, func(t *testing.T, b *tab) { b.open("/lang?to=en&next=/signin") }, ""},
		{"account", i18n.AR, func(t *testing.T, b *tab) {
			b.open("/lang?to=ar&next=/signup")
			b.typeInto("#f-name", "سارة")
			b.typeInto("#f-email", "sara@example.org")
			b.typeInto("#f-password", "long enough password")
			b.click(`main form[action="/signup"] button[type=submit]`, "sign up")
			if p := b.state().Path; p != "/account" {
				t.Fatalf("sign-up ended at %s, want /account", p)
			}
		}, ""},
		{"organisations", i18n.AR, func(t *testing.T, b *tab) { b.open("/organisations") }, ""},
		{"organisation-new", i18n.AR, func(t *testing.T, b *tab) { b.open("/organisations/new") }, ""},
		{"organisation-pending", i18n.AR, func(t *testing.T, b *tab) {
			b.typeInto("#f-name_ar", "مدرسة النور")
			b.step("choose the type", chromedp.SetValue(chromedp.CSS("#f-type"), "school"))
			b.click(`main form[action="/organisations/new"] button[type=submit]`, "register the organisation")
			if !b.visible("main .badge.warn") {
				t.Fatalf("no pending badge at %s", b.state().Path)
			}
		}, ""},
		// Volunteering, as the person signed up above: a new profile with
		// the charter, the saved profile, the shifts open to her, one
		// opportunity with its sign-up form.
		{"volunteer-profile-new", i18n.AR, func(t *testing.T, b *tab) {
			b.open("/volunteer/profile")
			b.need("main input[name=charter_accepted]", "the charter on a new profile")
		}, ""},
		{"volunteer-profile", i18n.AR, func(t *testing.T, b *tab) {
			b.tick("main input[name=charter_accepted]")
			b.click(`main form[action="/volunteer/profile"] button[type=submit]`, "create the profile")
			if s := b.state(); s.Path != "/volunteer/profile" || s.H1 != msg(t, i18n.AR, "volunteer.profile.title") {
				t.Fatalf("creating the profile ended at %s (heading %q, notice %q)", s.Path, s.H1, s.Flash)
			}
		}, ""},
		{"opportunities", i18n.AR, func(t *testing.T, b *tab) {
			b.open("/opportunities")
			b.need("main #shift-"+fx.shift.ID, "the coming shift on the list")
		}, ""},
		{"search", i18n.AR, func(t *testing.T, b *tab) {
			b.open("/search?q=" + url.QueryEscape("الإفطار"))
			b.need("main .search-results mark", "a marked word in the results")
		}, ""},
		{"opportunity", i18n.AR, func(t *testing.T, b *tab) {
			b.open(oppPath)
			b.need(`main form[action="/shifts/`+fx.shift.ID+`/signup"]`, "the sign-up form")
		}, ""},
		// The coordinator's roster in English.
		{"roster", i18n.EN, func(t *testing.T, b *tab) {
			b.click(`header form[action="/signout"] button[type=submit]`, "sign out")
			b.open("/lang?to=en&next=/signin")
			b.typeInto("#f-email", coordEmail)
			b.typeInto("#f-password", coordPassword)
			b.click(`main form[action="/signin"] button[type=submit]`, "sign the coordinator in")
			if code := b.open(rosterPath); code != 200 {
				t.Fatalf("%s: HTTP %d", rosterPath, code)
			}
			b.need("main table tbody tr", "the volunteer on the roster")
		}, ""},
		// The public check of a certificate, in Arabic.
		{"verify", i18n.AR, func(t *testing.T, b *tab) {
			if code := b.open("/lang?to=ar&next=/verify/" + certCode); code != 200 {
				t.Fatalf("/verify/%s: HTTP %d", certCode, code)
			}
			b.need("main dl", "the certificate's details")
		}, ""},
	}
	// The harness can fail: an unnamed button on a real page must be caught.
	t.Run("control", func(t *testing.T) {
		b := browser.with(t)
		b.open("/")
		eval[chromedp.Void](b, "add a button with no name", `document.querySelector("main").insertAdjacentHTML("beforeend", "<button id=axe-control></button>")`)
		for _, v := range b.axe(src) {
			if v.ID == "button-name" && v.Impact == "critical" && len(v.Nodes) == 1 && targets(v.Nodes[0].Target) == "#axe-control" {
				return
			}
		}
		t.Fatal("axe-core missed a button with no name: the accessibility checks below prove nothing")
	})
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			b := browser.with(t)
			pg.reach(t, b)
			s := b.state()
			b.wantLang(s, pg.lang)
			violations := b.axe(src)
			for _, v := range violations {
				line := fmt.Sprintf("%s [%s] %s: %s\n\t%s", s.Path, v.Impact, v.ID, v.Help, v.HelpURL)
				for i, n := range v.Nodes {
					if i == 3 {
						line += fmt.Sprintf("\n\t… and %d more", len(v.Nodes)-3)
						break
					}
					line += fmt.Sprintf("\n\t%s — %s", targets(n.Target), shorten(n.Summary, 240))
				}
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Error(line)
				} else {
					t.Log(line)
				}
			}
			for _, e := range b.consoleErrors() {
				if pg.quiet == "" || !strings.Contains(e, pg.quiet) {
					t.Errorf("%s: the browser console reported: %s", s.Path, e)
				}
			}
		})
	}
}

// axe injects axe-core into the page and runs it. The source goes through
// Runtime.evaluate, which the site's CSP (script-src 'self') does not block,
// so the page keeps the policy users get.
func (b *tab) axe(src []byte) []axeViolation {
	b.t.Helper()
	eval[chromedp.Void](b, "inject axe-core", string(src))
	if v := eval[string](b, "check axe-core", `typeof axe === "object" && typeof axe.run === "function" ? axe.version : ""`); v != axeVersion {
		b.t.Fatalf("axe-core did not load: version %q, want %s", v, axeVersion)
	}
	type result struct {
		Version    string         `json:"version"`
		URL        string         `json:"url"`
		Violations []axeViolation `json:"violations"`
	}
	r := run(b, "run axe-core", chromedp.Evaluate[result](`axe.run(document, {resultTypes: ["violations"]}).then(r => ({
		version: r.testEngine.version,
		url: r.url,
		violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))})),
	}))`, chromedp.EvalAwaitPromise))
	if r.Version != axeVersion || r.URL == "" {
		b.t.Fatalf("axe-core did not run: %+v", r)
	}
	return r.Violations
}

// shorten puts text on one line of at most n bytes.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// targets prints the selectors of a node.
func targets(ts []json.RawMessage) string {
	var parts []string
	for _, t := range ts {
		var s string
		if json.Unmarshal(t, &s) == nil {
			parts = append(parts, s)
		} else {
			parts = append(parts, string(t))
		}
	}
	return strings.Join(parts, " ")
}
