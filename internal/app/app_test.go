package app_test

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sharaka/internal/app"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

// newServer runs the whole app over a fresh database on an httptest server.
func newServer(t *testing.T, d *db.DB, dev bool) (*app.App, *httptest.Server) {
	t.Helper()
	args := []string{"--workers=false"}
	if dev {
		args = append(args, "--dev")
	}
	return newServerArgs(t, d, args...)
}

// newServerArgs is newServer with the command-line flags given.
func newServerArgs(t *testing.T, d *db.DB, args ...string) (*app.App, *httptest.Server) {
	t.Helper()
	cfg, err := config.Parse(flag.NewFlagSet("t", flag.ContinueOnError), args, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return a, srv
}

// browser is an HTTP client with cookies that does not follow redirects, so
// tests see each step the way a person's browser makes it.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, nil) }
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.do("POST", path, form, nil)
}

var dirAttr = regexp.MustCompile(`<html lang="(\w+)" dir="(\w+)">`)

func TestSignUpSignInLanguageAndSignOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, srv := newServer(t, d, false)
		b := newBrowser(t, srv.URL)

		resp, body := b.get("/")
		if resp.StatusCode != 200 || dirAttr.FindStringSubmatch(body)[2] != "rtl" || !strings.Contains(body, "شراكة") {
			t.Fatalf("home: %d, want Arabic rtl page", resp.StatusCode)
		}
		// Bad input is refused with the reason, in Arabic, and nothing is created.
		resp, body = b.post("/signup", url.Values{"name": {"ريم"}, "email": {"reem@"}, "password": {"123"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "أدخل عنوان بريد إلكتروني صحيحًا") || !strings.Contains(body, "كلمة المرور قصيرة") {
			t.Fatalf("bad signup: %d\n%s", resp.StatusCode, body)
		}
		if !strings.Contains(body, `value="ريم"`) {
			t.Error("the name typed was lost on the error page")
		}
		resp, _ = b.post("/signup", url.Values{"name": {"ريم"}, "email": {"reem@example.org"}, "password": {"كلمة سر طويلة"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/account" {
			t.Fatalf("signup: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		var sid *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "sid" {
				sid = c
			}
		}
		if sid == nil || !sid.HttpOnly || sid.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie: %+v", sid)
		}
		_, body = b.get("/account")
		if !strings.Contains(body, "أهلًا بك") || !strings.Contains(body, "reem@example.org") {
			t.Fatalf("account page after signup lacks the welcome or the address:\n%s", body)
		}
		// The switch flips the language and direction and remembers it.
		resp, _ = b.get("/lang?to=en&next=%2Faccount")
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/account" {
			t.Fatalf("switch: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body = b.get("/account")
		if m := dirAttr.FindStringSubmatch(body); m[1] != "en" || m[2] != "ltr" || !strings.Contains(body, "Personal access tokens") {
			t.Fatalf("after switching: %v", m)
		}
		// A switch to an open redirect is ignored.
		resp, _ = b.get("/lang?to=ar&next=https%3A%2F%2Fevil.example")
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Fatalf("open redirect: %s", loc)
		}
		resp, _ = b.post("/signout", url.Values{})
		if resp.StatusCode != 303 {
			t.Fatalf("signout: %d", resp.StatusCode)
		}
		resp, _ = b.get("/account")
		if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") {
			t.Fatalf("account after signout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		// Wrong password: told so, in the language chosen (Arabic again).
		resp, body = b.post("/signin", url.Values{"email": {"reem@example.org"}, "password": {"wrong password"}})
		if resp.StatusCode != 401 || !strings.Contains(body, "البريد الإلكتروني أو كلمة المرور غير صحيحة") {
			t.Fatalf("bad signin: %d", resp.StatusCode)
		}
		resp, _ = b.post("/signin", url.Values{"email": {"REEM@example.org"}, "password": {"كلمة سر طويلة"}, "next": {"/account"}})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/account" {
			t.Fatalf("signin: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestAcceptLanguageAndCrossOriginPosts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, srv := newServer(t, d, false)
		b := newBrowser(t, srv.URL)
		_, body := b.do("GET", "/signin", nil, map[string]string{"Accept-Language": "en-GB,en;q=0.9,ar;q=0.5"})
		if m := dirAttr.FindStringSubmatch(body); m[1] != "en" || m[2] != "ltr" {
			t.Fatalf("Accept-Language en: %v", m)
		}
		resp, _ := b.do("POST", "/signup", url.Values{"name": {"x"}, "email": {"x@example.org"}, "password": {"long password"}},
			map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-origin post: %d, want 403", resp.StatusCode)
		}
		resp, _ = b.do("POST", "/signin", url.Values{"email": {"x@example.org"}, "password": {"long password"}}, map[string]string{"Sec-Fetch-Site": "same-origin"})
		if resp.StatusCode == http.StatusForbidden {
			t.Fatal("same-origin post refused")
		}
	})
}

func TestOperatorEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, srv := newServer(t, d, false)
		b := newBrowser(t, srv.URL)
		if resp, body := b.get("/healthz"); resp.StatusCode != 200 || body != "ok\n" {
			t.Fatalf("healthz: %d %q", resp.StatusCode, body)
		}
		resp, body := b.get("/readyz")
		var st map[string]string
		if err := json.Unmarshal([]byte(body), &st); err != nil || resp.StatusCode != 200 || st["migrations"] != "current" {
			t.Fatalf("readyz: %d %s", resp.StatusCode, body)
		}
		b.get("/organisations")
		_, body = b.get("/metrics")
		if !strings.Contains(body, `sharaka_http_requests_total{method="GET",route="GET /organisations",status="200"} 1`) {
			t.Fatalf("metrics lack the request by route:\n%s", grep(body, "sharaka_http_requests_total"))
		}
		resp, _ = b.get("/static/css/app.css")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("stylesheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Fatalf("CSP: %q", csp)
		}
		resp, body = b.get("/no/such/page")
		if resp.StatusCode != 404 || !strings.Contains(body, "لم نجد ما تبحث عنه") {
			t.Fatalf("404 page: %d", resp.StatusCode)
		}
	})
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
