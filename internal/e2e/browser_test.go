package e2e

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"sharaka/internal/app"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
)

const (
	envBrowser = "SHARAKA_TEST_BROWSER"
	envShots   = "SHARAKA_E2E_SHOTS"

	startTimeout   = 15 * time.Second // Chromium up and a blank tab open
	stepTimeout    = 10 * time.Second // one navigation, click or query
	browserTimeout = 60 * time.Second // the whole life of one test's browser

	// acceptLanguage is what an Arabic-speaking visitor's browser sends;
	// headless Chromium would otherwise ask for en-US.
	acceptLanguage = "ar,en;q=0.8"

	desktopW, desktopH = 1280, 900
	phoneW, phoneH     = 390, 844
)

// browserPath finds Chromium: SHARAKA_TEST_BROWSER, else chromium on PATH
// (Debian's /usr/bin/chromium). It skips when there is none, and fails when
// the variable names a file that is not there, so CI cannot skip silently.
func browserPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(envBrowser); p != "" {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s=%q: %v", envBrowser, p, err)
		}
		if fi.IsDir() {
			t.Fatalf("%s=%q is a directory, not the browser", envBrowser, p)
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser tests need Chromium: apt-get install chromium, or set SHARAKA_TEST_BROWSER")
	return ""
}

// newServer runs the whole app over a fresh SQLite database on a local
// port, with that address as its public one (so the links it prints, such as
// a certificate's verification address, lead back to it). Tests set data up
// through the app's services, as the demo loader does.
func newServer(t *testing.T) (*app.App, string) {
	t.Helper()
	d := dbtest.Open(t, db.SQLite)
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	base := "http://" + srv.Listener.Addr().String()
	cfg, err := config.Parse(flag.NewFlagSet("e2e", flag.ContinueOnError), []string{"--workers=false", "--base-url=" + base}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Handler
	srv.Start()
	if srv.URL != base {
		t.Fatalf("the test server is at %s, not at its base address %s", srv.URL, base)
	}
	return a, base
}

// lockedBuffer collects Chromium's output, written from another goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tab is one browser tab pointed at the test server. Every method fails the
// test with what it was doing and where, and none waits longer than stepTimeout.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	// app is the served app, for setting data up through its services.
	app *app.App

	console *consoleLog
}

// consoleLog holds the errors the pages logged.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

// with is the same tab reporting to t, for a subtest.
func (b *tab) with(t *testing.T) *tab {
	c := *b
	c.t = t
	return &c
}

// start serves a fresh app and opens it in a headless Chromium with a fresh
// profile, for this test only.
func start(t *testing.T) *tab {
	t.Helper()
	exe := browserPath(t) // first: skip before doing any work
	a, base := newServer(t)
	profile := t.TempDir() // removed after the browser has exited (cleanups run last first)
	out := &lockedBuffer{}
	life, stop := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(stop)
	actx, cancelAlloc := chromedp.NewExecAllocator(life,
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.Flag("accept-lang", acceptLanguage),
		chromedp.WindowSize(desktopW, desktopH),
		chromedp.CombinedOutput(out),
	)
	t.Cleanup(cancelAlloc) // kills Chromium and waits for it
	ctx, closeTab := chromedp.NewContext(actx)
	t.Cleanup(closeTab)

	// The first Do starts the browser and binds it to ctx, so it must not get
	// a short deadline of its own: a timer stops a start that hangs instead.
	hung := time.AfterFunc(startTimeout, stop)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(desktopW, desktopH))
	if !hung.Stop() {
		t.Fatalf("Chromium (%s) did not start within %s\n%s", exe, startTimeout, tail(out.String()))
	}
	if err != nil {
		t.Fatalf("start Chromium (%s): %v\n%s", exe, err, tail(out.String()))
	}
	b := &tab{t: t, ctx: ctx, base: base, app: a, console: &consoleLog{}}
	go b.collectConsole(chromedp.Console(ctx)) // subscribed before any page loads
	return b
}

func tail(s string) string {
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

// collectConsole keeps the errors and exceptions pages log (a script that
// fails, a CSP refusal, a missing asset) until the browser goes away.
func (b *tab) collectConsole(msgs iter.Seq2[chromedp.ConsoleMessage, error]) {
	for m, err := range msgs {
		if err != nil {
			return
		}
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		b.console.mu.Lock()
		b.console.msgs = append(b.console.msgs, fmt.Sprintf("%s (%s)", m.Text, strings.TrimPrefix(m.URL, b.base)))
		b.console.mu.Unlock()
	}
}

// consoleErrors returns what the pages logged as errors so far and forgets it.
func (b *tab) consoleErrors() []string {
	b.console.mu.Lock()
	defer b.console.mu.Unlock()
	c := b.console.msgs
	b.console.msgs = nil
	return c
}

// step runs actions that return nothing, within stepTimeout.
func (b *tab) step(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, explain(err))
	}
}

// run runs one action that returns a value, within stepTimeout.
func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, explain(err))
	}
	return v
}

func explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("nothing happened within %s (%w)", stepTimeout, err)
	}
	return err
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](b *tab, what, js string) T {
	b.t.Helper()
	return run(b, what, chromedp.Evaluate[T](js))
}

// open loads a path the way typing it in the address bar does and returns
// the HTTP status of the page that ends up shown.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	resp := run(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	return status(resp)
}

func status(resp *network.Response) int64 {
	if resp == nil {
		return 0
	}
	return resp.Status
}

// visible reports whether the element sel matches is on the page and shown.
func (b *tab) visible(sel string) bool {
	b.t.Helper()
	return eval[bool](b, "look for "+sel, fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
	})()`, sel))
}

// need fails the test, saying where the user was, unless sel is visible.
func (b *tab) need(sel, what string) {
	b.t.Helper()
	if !b.visible(sel) {
		s := b.state()
		b.t.Fatalf("%s: no visible %s on %s (heading %q)", what, sel, s.Path, s.H1)
	}
}

// click clicks a visible element that loads a page (link, submit button)
// and waits for that page; it returns the page's HTTP status.
func (b *tab) click(sel, what string) int64 {
	b.t.Helper()
	b.need(sel, what)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: %v", what, explain(err))
	}
	return status(resp)
}

// typeInto focuses a field and types text into it key by key, then checks
// the field holds exactly that text.
func (b *tab) typeInto(sel, text string) {
	b.t.Helper()
	b.need(sel, "type into "+sel)
	b.step("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := run(b, "read "+sel, chromedp.Value(chromedp.CSS(sel))); got != text {
		b.t.Fatalf("typed %q into %s, the field holds %q", text, sel, got)
	}
}

// cookie returns the browser's cookie name for the page, nil when there is none.
func (b *tab) cookie(name string) *network.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.t.Fatalf("read cookies: %v", explain(err))
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// pageState is what a person sees of the page at a glance.
type pageState struct {
	Path   string `json:"path"`   // path and query of the address bar
	Lang   string `json:"lang"`   // <html lang>
	Dir    string `json:"dir"`    // <html dir>
	Flow   string `json:"flow"`   // computed direction of <body>: what the layout really does
	Title  string `json:"title"`  // document title
	H1     string `json:"h1"`     // text of the first heading
	Flash  string `json:"flash"`  // the flash notice, if any
	Header string `json:"header"` // text of the site header
	Text   string `json:"text"`   // visible text of the page
}

func (b *tab) state() pageState {
	b.t.Helper()
	return eval[pageState](b, "read the page", `(() => {
		const text = sel => { const e = document.querySelector(sel); return e ? e.innerText.trim() : ""; };
		return {
			path: location.pathname + location.search,
			lang: document.documentElement.getAttribute("lang") || "",
			dir: document.documentElement.getAttribute("dir") || "",
			flow: getComputedStyle(document.body).direction,
			title: document.title,
			h1: text("h1"),
			flash: text("main .flash"),
			header: text("header.site-header"),
			text: document.body.innerText,
		};
	})()`)
}

// wantLang checks the page is in lang, written and laid out in its direction.
func (b *tab) wantLang(s pageState, lang i18n.Lang) {
	b.t.Helper()
	dir := lang.Dir()
	if s.Lang != string(lang) || s.Dir != dir || s.Flow != dir {
		b.t.Fatalf("%s: <html lang=%q dir=%q> laid out %s, want lang=%q dir=%q", s.Path, s.Lang, s.Dir, s.Flow, lang, dir)
	}
}

// msg is a catalogue message as the site shows it in lang.
func msg(t *testing.T, lang i18n.Lang, id string) string {
	t.Helper()
	if !i18n.Has(id) {
		t.Fatalf("message %q is not in the catalogue in both languages", id)
	}
	return i18n.New(lang, "", nil).T(id)
}

// screenshot saves a PNG of the whole page to $SHARAKA_E2E_SHOTS/name when
// that is set; a relative directory is taken under os.TempDir().
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv(envShots)
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(os.TempDir(), dir)
	}
	png := run(b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", file)
}

// tick clicks a checkbox, as a person does, and checks that it is now ticked.
func (b *tab) tick(sel string) {
	b.t.Helper()
	b.need(sel, "tick "+sel)
	b.step("tick "+sel, chromedp.Click(chromedp.CSS(sel)))
	if !eval[bool](b, "read "+sel, fmt.Sprintf(`document.querySelector(%q).checked`, sel)) {
		b.t.Fatalf("clicked the checkbox %s and it is not ticked", sel)
	}
}

// pick sets a date, date-and-time or select field as its picker does (the
// value, then input and change events) and checks the field took the value:
// a date field drops one it cannot read, a select one it does not offer.
func (b *tab) pick(sel, value string) {
	b.t.Helper()
	b.need(sel, "pick a value in "+sel)
	got := eval[string](b, "set "+sel, fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value;
	})()`, sel, value))
	if got != value {
		b.t.Fatalf("set %s to %q, the field holds %q", sel, value, got)
	}
}

// text is the visible text of the first element sel matches, "" when none does.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, "read "+sel, fmt.Sprintf(`document.querySelector(%q)?.innerText.trim() ?? ""`, sel))
}

// texts is the visible text of every element sel matches.
func (b *tab) texts(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, "read every "+sel, fmt.Sprintf(`[...document.querySelectorAll(%q)].map(e => e.innerText.trim())`, sel))
}
