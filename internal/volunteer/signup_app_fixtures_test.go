package volunteer_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// suApp is the whole app over a fresh database with a verified organisation
// owned by a coordinator, for the sign-up part's HTTP tests.
type suApp struct {
	t     *testing.T
	d     *db.DB
	a     *app.App
	srv   *httptest.Server
	ctx   context.Context
	coord *account.User
	orgID string
}

func suAppSetup(t *testing.T, d *db.DB) *suApp {
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
	e := &suApp{t: t, d: d, a: a, srv: srv, ctx: ctx}
	admin := e.user("المشرف", "ar", true)
	e.coord = e.user("منسقة البر", "ar", false)
	o, err := a.Org.CreateOrg(ctx, e.coord.Viewer(), org.Input{NameAr: "جمعية البر", NameEn: "Al-Birr Society", Type: org.Charity})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Org.Verify(ctx, admin.Viewer(), o.ID); err != nil {
		t.Fatal(err)
	}
	e.orgID = o.ID
	return e
}

func suHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *suApp) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.d.W.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *suApp) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// user writes an account directly (no password hashing, to keep tests fast).
func (e *suApp) user(name, lang string, admin bool) *account.User {
	e.t.Helper()
	id := db.NewID()
	e.exec(`INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $5, 'latn', 'Asia/Riyadh', $6, $6)`, id, "u"+suHex()+"@example.org", name, admin, lang, db.Now())
	u, err := e.a.Account.User(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// volunteer is an account with a volunteer profile of the given gender.
func (e *suApp) volunteer(name, gender string) *account.User {
	e.t.Helper()
	u := e.user(name, "ar", false)
	now := db.Now()
	e.exec(`INSERT INTO volunteer_profiles (user_id, gender, birth_date, calendar_key, charter_version, charter_accepted_at, created_at, updated_at)
		VALUES ($1, $2, '1995-04-01', $3, $4, $5, $5, $5)`, u.ID, gender, suHex(), volunteer.CharterVersion, now)
	return u
}

// suShift is an opportunity with one shift and one role.
type suShift struct{ Opp, Shift, Role string }

// shift publishes an opportunity with one shift (one role of slots places)
// starting at start, with a cancellation cut-off of cutoff hours.
func (e *suApp) shift(titleAr, titleEn, gender string, start time.Time, slots, cutoff int) suShift {
	e.t.Helper()
	s := suShift{Opp: db.NewID(), Shift: db.NewID(), Role: db.NewID()}
	now := db.Now()
	e.exec(`INSERT INTO opportunities (id, org_id, title_ar, title_en, category, gender_rule, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'food', $5, $6, $7, $7)`, s.Opp, e.orgID, titleAr, titleEn, gender, e.coord.ID, now)
	e.exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, cancel_cutoff_hours, checkin_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.Shift, s.Opp, start.UTC(), start.Add(2*time.Hour).UTC(), cutoff, suHex(), now)
	e.exec(`INSERT INTO shift_roles (id, shift_id, name_ar, name_en, slots) VALUES ($1, $2, 'متطوع', 'Volunteer', $3)`, s.Role, s.Shift, slots)
	return s
}

// suBrowser is a person's browser (signed in when it has a user) that does not follow redirects.
type suBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *suApp) browser(u *account.User, lang i18n.Lang) *suBrowser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &suBrowser{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
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

type suResp struct {
	*http.Response
	body string // HTML-unescaped
}

// suRawID is a volunteering message id that reached a page untranslated.
var suRawID = regexp.MustCompile(`\bvolunteer\.(signup|roster|listing|outcome|category)\.[a-z_.]+`)

func (b *suBrowser) do(method, path string, body io.Reader, hdr map[string]string) suResp {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
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
	s := string(out)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		s = html.UnescapeString(s)
		if m := suRawID.FindString(s); m != "" {
			b.t.Errorf("%s %s: untranslated message id %q", method, path, m)
		}
	}
	return suResp{Response: resp, body: s}
}

func (b *suBrowser) get(path string) suResp { return b.do("GET", path, nil, nil) }

func (b *suBrowser) post(path string, form url.Values) suResp {
	b.t.Helper()
	return b.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// json sends a JSON body (nil for none) and decodes the answer into out (when not nil).
func (b *suBrowser) json(method, path string, body, out any) *http.Response {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	r := b.do(method, path, rd, map[string]string{"Content-Type": "application/json"})
	if out != nil {
		if err := json.Unmarshal([]byte(r.body), out); err != nil {
			b.t.Fatalf("%s %s: %d %v: %s", method, path, r.StatusCode, err, r.body)
		}
	}
	return r.Response
}

// expect checks the status and that each text appears.
func (r suResp) expect(t *testing.T, status int, texts ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d; body: %.600s", r.StatusCode, status, r.body)
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}
