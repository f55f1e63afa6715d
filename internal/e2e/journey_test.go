package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sharaka/internal/platform/i18n"
)

// TestJourney follows one new visitor: Arabic home page, sign-up, an
// organisation registered and pending, English and back, sign-out.
func TestJourney(t *testing.T) {
	b := start(t)
	const (
		name    = "ريم الأحمد"
		email   = "reem@example.org"
		orgName = "جمعية البر الخيرية"
	)
	ar := func(id string) string { return msg(t, i18n.AR, id) }
	en := func(id string) string { return msg(t, i18n.EN, id) }

	// A new visitor gets the Arabic site, right to left.
	if code := b.open("/"); code != 200 {
		t.Fatalf("home page: HTTP %d", code)
	}
	s := b.state()
	b.wantLang(s, i18n.AR)
	if s.H1 != ar("home.heading") {
		t.Errorf("home heading %q, want %q", s.H1, ar("home.heading"))
	}
	if !strings.Contains(s.Header, ar("nav.signin")) || !strings.Contains(s.Header, ar("nav.signup")) {
		t.Errorf("home header %q lacks the sign-in and sign-up links", s.Header)
	}

	// On a phone the page fits the screen: nothing to scroll sideways.
	b.step("phone viewport", chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if w := eval[[]int](b, "measure the page", `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
		t.Errorf("home on a %dpx phone is %dpx wide: it scrolls sideways", phoneW, w[0])
	}
	b.screenshot("home-ar-phone.png")
	b.step("desktop viewport", chromedp.EmulateViewport(desktopW, desktopH))

	// Sign up from the header link.
	b.click(`header a[href="/signup"]`, "click the sign-up link")
	if s = b.state(); s.H1 != ar("account.signup.title") {
		t.Fatalf("sign-up link led to %s (heading %q)", s.Path, s.H1)
	}
	b.typeInto("#f-name", name)
	b.typeInto("#f-email", email)
	b.typeInto("#f-password", "كلمة سر طويلة 2026")
	if code := b.click(`main form[action="/signup"] button[type=submit]`, "submit the sign-up form"); code != 200 {
		s = b.state()
		t.Fatalf("sign-up ended on HTTP %d at %s: %q", code, s.Path, s.Text)
	}
	s = b.state()
	if s.Path != "/account" {
		t.Fatalf("after sign-up the browser is at %s (heading %q, notice %q), want /account", s.Path, s.H1, s.Flash)
	}
	b.wantLang(s, i18n.AR)
	if s.Flash != ar("account.signup.done") {
		t.Errorf("after sign-up the notice says %q, want %q", s.Flash, ar("account.signup.done"))
	}
	if got := run(b, "read the name field", chromedp.Value(chromedp.CSS("#f-name"))); got != name {
		t.Errorf("account page shows the name %q, want %q", got, name)
	}
	if !strings.Contains(s.Text, email) {
		t.Errorf("account page does not show the address %s", email)
	}
	if !strings.Contains(s.Header, ar("nav.signout")) || strings.Contains(s.Header, ar("nav.signin")) {
		t.Errorf("signed-in header %q: want the sign-out button and no sign-in link", s.Header)
	}

	// Register an organisation: organisations list, then its "new" button.
	b.click(`header a[href="/organisations"]`, "click the organisations link")
	b.click(`main a[href="/organisations/new"]`, "click the new-organisation button")
	if s = b.state(); s.Path != "/organisations/new" || s.H1 != ar("org.new.title") {
		t.Fatalf("new-organisation button led to %s (heading %q)", s.Path, s.H1)
	}
	b.typeInto("#f-name_ar", orgName)
	b.step("choose the type", chromedp.SetValue(chromedp.CSS("#f-type"), "charity"))
	if code := b.click(`main form[action="/organisations/new"] button[type=submit]`, "submit the organisation form"); code != 200 {
		s = b.state()
		t.Fatalf("registering the organisation ended on HTTP %d at %s: %q", code, s.Path, s.Text)
	}
	s = b.state()
	if !strings.HasPrefix(s.Path, "/organisations/") || s.Path == "/organisations/new" {
		t.Fatalf("after registering, the browser is at %s (notice %q), want the organisation's page", s.Path, s.Flash)
	}
	orgPath := s.Path
	if s.H1 != orgName {
		t.Errorf("organisation page heading %q, want %q", s.H1, orgName)
	}
	if s.Flash != ar("org.flash.created") {
		t.Errorf("after registering, the notice says %q, want %q", s.Flash, ar("org.flash.created"))
	}
	badges := eval[[]string](b, "read the badges", `[...document.querySelectorAll("main .badge")].map(e => e.innerText.trim())`)
	if !contains(badges, ar("org.type.charity")) {
		t.Errorf("organisation badges %q lack its type %q", badges, ar("org.type.charity"))
	}
	if got := eval[string](b, "read the status badge", `document.querySelector("main .badge.warn")?.innerText.trim() ?? ""`); got != ar("org.status.pending") {
		t.Errorf("status badge says %q, want the pending badge %q (all badges: %q)", got, ar("org.status.pending"), badges)
	}

	// Switch to English: same page, left to right, English words.
	if got := eval[string](b, "read the language switch", `document.querySelector("#lang-switch").innerText.trim()`); got != ar("lang.switch") {
		t.Errorf("language switch says %q, want %q", got, ar("lang.switch"))
	}
	b.click("a#lang-switch", "click the language switch")
	s = b.state()
	if s.Path != orgPath {
		t.Errorf("the language switch moved the browser from %s to %s", orgPath, s.Path)
	}
	b.wantLang(s, i18n.EN)
	if !strings.Contains(s.Header, en("nav.organisations")) || !strings.Contains(s.Header, en("nav.signout")) {
		t.Errorf("English header %q lacks %q and %q", s.Header, en("nav.organisations"), en("nav.signout"))
	}
	if got := eval[string](b, "read the status badge", `document.querySelector("main .badge.warn")?.innerText.trim() ?? ""`); got != en("org.status.pending") {
		t.Errorf("English status badge says %q, want %q", got, en("org.status.pending"))
	}
	if s.H1 != orgName {
		t.Errorf("with no English name the organisation is called %q, want its Arabic name %q", s.H1, orgName)
	}

	// The choice is a cookie: it survives a reload.
	if c := b.cookie(i18n.CookieName); c == nil || c.Value != "en" || c.Session {
		t.Errorf("language cookie %q after switching: %+v, want a lasting cookie holding en", i18n.CookieName, c)
	}
	b.step("reload", chromedp.Reload())
	s = b.state()
	b.wantLang(s, i18n.EN)

	// The account page in English, on a desktop.
	b.click(`header a[href="/account"]`, "click the account link")
	if s = b.state(); s.Path != "/account" || s.H1 != en("account.settings.title") {
		t.Fatalf("account link led to %s (heading %q), want /account headed %q", s.Path, s.H1, en("account.settings.title"))
	}
	b.wantLang(s, i18n.EN)
	b.screenshot("account-en-desktop.png")

	// And back to Arabic.
	if got := eval[string](b, "read the language switch", `document.querySelector("#lang-switch").innerText.trim()`); got != en("lang.switch") {
		t.Errorf("language switch says %q, want %q", got, en("lang.switch"))
	}
	b.click("a#lang-switch", "click the language switch")
	s = b.state()
	b.wantLang(s, i18n.AR)
	if s.Path != "/account" || s.H1 != ar("account.settings.title") {
		t.Errorf("back in Arabic at %s (heading %q), want /account headed %q", s.Path, s.H1, ar("account.settings.title"))
	}

	// Sign out with the header button: the sign-in link is back.
	b.click(`header form[action="/signout"] button[type=submit]`, "click sign-out")
	s = b.state()
	if s.Path != "/" {
		t.Errorf("after signing out the browser is at %s, want /", s.Path)
	}
	b.wantLang(s, i18n.AR)
	if s.Flash != ar("account.signout.done") {
		t.Errorf("after signing out the notice says %q, want %q", s.Flash, ar("account.signout.done"))
	}
	b.need(`header a[href="/signin"]`, "after signing out")
	if strings.Contains(s.Header, ar("nav.signout")) || strings.Contains(s.Header, ar("nav.account")) {
		t.Errorf("signed-out header still offers the account: %q", s.Header)
	}
	// The account is really closed to this browser now.
	b.open("/account")
	if s = b.state(); !strings.HasPrefix(s.Path, "/signin") || strings.Contains(s.Text, email) {
		t.Errorf("after signing out /account shows %s (heading %q), want the sign-in page", s.Path, s.H1)
	}

	for _, e := range b.consoleErrors() {
		t.Errorf("the browser console reported: %s", e)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
