package volunteer_test

// Fixtures of the exchange part's HTTP tests and benchmark: the whole app
// over a fresh database, with a verified organisation, its coordinator (the
// owner) and a plain member, and a browser that posts multipart forms.

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
)

type exchApp struct {
	t      testing.TB
	d      *db.DB
	a      *app.App
	srv    *httptest.Server
	ctx    context.Context
	coord  *account.User
	member *account.User
	orgID  string
}

var exchAppSeq atomic.Int64

const exchAppPlaces = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,24.0,45.0
SA-01,SA,region,منطقة الرياض,Riyadh Region,,
SA-01-RUH,SA-01,city,الرياض,Riyadh,24.7,46.7
SA-01-RUH-N,SA-01-RUH,district,شمال الرياض,North Riyadh,24.8,46.6
SA-01-RUH-N-MLQ,SA-01-RUH-N,neighbourhood,الملقا,Al Malqa,,
`

func exchAppSetup(t testing.TB, d *db.DB) *exchApp {
	t.Helper()
	cfg, err := config.Parse(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--workers=false", "--base-url=https://sharaka.test"},
		func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	e := &exchApp{t: t, d: d, a: a, srv: srv, ctx: ctx}
	if _, err := a.Org.ImportPlacesCSV(ctx, strings.NewReader(exchAppPlaces), ""); err != nil {
		t.Fatalf("import places: %v", err)
	}
	admin := e.user("المشرف", true)
	e.coord = e.user("منسقة البر", false)
	e.member = e.user("عضو", false)
	o, err := a.Org.CreateOrg(ctx, e.coord.Viewer(), org.Input{NameAr: "جمعية البر", NameEn: "Al-Birr Society", Type: org.Charity})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Org.Verify(ctx, admin.Viewer(), o.ID); err != nil {
		t.Fatal(err)
	}
	e.orgID = o.ID
	e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'member', $3)`, o.ID, e.member.ID, db.Now())
	return e
}

func (e *exchApp) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.d.W.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *exchApp) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// user writes an account directly (hashing a password would slow the tests).
func (e *exchApp) user(name string, admin bool) *account.User {
	e.t.Helper()
	id := db.NewID()
	e.exec(`INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, 'ar', 'latn', 'Asia/Riyadh', $5, $5)`, id, fmt.Sprintf("x%d@example.net", exchAppSeq.Add(1)), name, admin, db.Now())
	u, err := e.a.Account.User(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

type exchBrowser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (e *exchApp) browser(u *account.User, lang i18n.Lang) *exchBrowser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &exchBrowser{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	base, _ := url.Parse(e.srv.URL)
	cookies := []*http.Cookie{{Name: i18n.CookieName, Value: string(lang), Path: "/"}}
	if u != nil {
		secret, err := e.a.Account.StartSession(e.ctx, u, "test")
		if err != nil {
			e.t.Fatal(err)
		}
		cookies = append(cookies, &http.Cookie{Name: account.SessionCookie, Value: secret, Path: "/"})
	}
	jar.SetCookies(base, cookies)
	return b
}

type exchResp struct {
	*http.Response
	raw  []byte
	body string // HTML-unescaped for pages
}

// exchRawID is a message id that reached a page untranslated.
var exchRawID = regexp.MustCompile(`(?:>\s*|(?:title|aria-label|placeholder|alt)=")((?:volunteer|error|common)\.[a-z_]+(?:\.[a-z_]+)+)\s*[<"]`)

func (b *exchBrowser) do(req *http.Request) exchResp {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := exchResp{Response: resp, raw: raw, body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if m := exchRawID.FindStringSubmatch(r.body); m != nil {
			b.t.Errorf("%s %s: untranslated message id %q", req.Method, req.URL.Path, m[1])
		}
		r.body = html.UnescapeString(r.body)
	}
	return r
}

func (b *exchBrowser) get(path string) exchResp {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a multipart form; file, when not nil, is the "file" field.
func (b *exchBrowser) post(path string, fields map[string]string, name string, file []byte) exchResp {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != nil {
		w, _ := mw.CreateFormFile("file", name)
		_, _ = w.Write(file)
	}
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func (r exchResp) expect(t testing.TB, status int, texts ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d; body: %.800s", r.StatusCode, status, r.body)
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("response lacks %q", s)
		}
	}
}

// hidden reads a hidden field's value from a page.
func (r exchResp) hidden(t testing.TB, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no hidden %s field", name)
	}
	return m[1]
}
