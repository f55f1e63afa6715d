package volunteer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// profEnv is the whole app over a fresh database, with a small geography
// and a platform admin, for the profile part's tests.
type profEnv struct {
	t      *testing.T
	d      *db.DB
	a      *app.App
	srv    *httptest.Server
	ctx    context.Context
	admin  *httpx.Viewer
	places map[string]string // code → id
	users  *int              // people added so far, to keep emails unique
}

// sub is the environment for a subtest, which must fail on its own t.
func (e *profEnv) sub(t *testing.T) *profEnv {
	c := *e
	c.t = t
	return &c
}

// profSamplePlaces: a district with a centre and a neighbourhood without
// one, so a home in the neighbourhood takes the district's centre.
const profSamplePlaces = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,24.0,45.0
SA-03,SA,region,منطقة المدينة المنورة,Madinah Region,,
SA-03-MED,SA-03,city,المدينة المنورة,Madinah,24.47,39.61
SA-03-MED-QBA,SA-03-MED,district,قباء,Quba,24.44,39.62
SA-03-MED-QBA-N1,SA-03-MED-QBA,neighbourhood,حارة المسجد,Mosque Quarter,,
SA-03-MED-AZZ,SA-03-MED,district,العزيزية,Al Aziziyah,24.40,39.58
`

func profileSetup(t *testing.T, d *db.DB) *profEnv {
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
	e := &profEnv{t: t, d: d, a: a, srv: srv, ctx: ctx, places: map[string]string{}, users: new(int)}
	if _, err := a.Org.ImportPlacesCSV(ctx, strings.NewReader(profSamplePlaces), ""); err != nil {
		t.Fatalf("import places: %v", err)
	}
	rows, err := d.R.QueryContext(ctx, `SELECT code, id FROM places`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, id string
		if err := rows.Scan(&code, &id); err != nil {
			t.Fatal(err)
		}
		e.places[code] = id
	}
	e.admin = e.insertUser("المشرف", "admin@sharaka.test", i18n.AR, true).Viewer()
	return e
}

// user adds a person with the language they chose. The account is written
// directly, as the account area would, because hashing a password for
// every person would make the tests slow; they sign in with a session.
func (e *profEnv) user(name, email string, lang i18n.Lang) *account.User {
	e.t.Helper()
	return e.insertUser(name, email, lang, false)
}

func (e *profEnv) insertUser(name, email string, lang i18n.Lang, admin bool) *account.User {
	e.t.Helper()
	*e.users++
	local, domain, _ := strings.Cut(email, "@")
	email = fmt.Sprintf("%s.%d@%s", local, *e.users, domain)
	now := db.Now()
	u := &account.User{ID: db.NewID(), Email: email, Name: name, IsAdmin: admin, Locale: lang, Digits: i18n.Latin, TimeZone: "Asia/Riyadh", CreatedAt: now}
	e.exec(`INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $5, 'latn', 'Asia/Riyadh', $6, $6)`, u.ID, u.Email, u.Name, admin, string(lang), now)
	return u
}

// org creates a verified organisation owned by owner.
func (e *profEnv) org(owner *account.User, nameAr, nameEn string) *org.Org {
	e.t.Helper()
	o, err := e.a.Org.CreateOrg(e.ctx, owner.Viewer(), org.Input{NameAr: nameAr, NameEn: nameEn, Type: org.Charity})
	if err != nil {
		e.t.Fatalf("create org: %v", err)
	}
	if err := e.a.Org.Verify(e.ctx, e.admin, o.ID); err != nil {
		e.t.Fatalf("verify org: %v", err)
	}
	return o
}

// join makes u a member of o with role.
func (e *profEnv) join(o *org.Org, u *account.User, role org.Role) {
	e.t.Helper()
	e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`, o.ID, u.ID, string(role), db.Now())
}

func (e *profEnv) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.d.W.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *profEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// profShift is a shift with one role, written directly as the shifts part would.
type profShift struct{ OppID, ShiftID, RoleID string }

// shift adds an opportunity of o with one shift and one role.
func (e *profEnv) shift(o *org.Org, by *account.User, titleAr, titleEn, category, placeID string, start time.Time, minutes int, status string) profShift {
	e.t.Helper()
	s := profShift{OppID: db.NewID(), ShiftID: db.NewID(), RoleID: db.NewID()}
	now := db.Now()
	var place any
	if placeID != "" {
		place = placeID
	}
	e.exec(`INSERT INTO opportunities (id, org_id, title_ar, title_en, category, place_id, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, s.OppID, o.ID, titleAr, titleEn, category, place, by.ID, now)
	e.exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, checkin_code, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.ShiftID, s.OppID, start.UTC(), start.Add(time.Duration(minutes)*time.Minute).UTC(), s.ShiftID, status, now)
	e.exec(`INSERT INTO shift_roles (id, shift_id, name_ar, name_en, slots) VALUES ($1, $2, $3, $4, 10)`, s.RoleID, s.ShiftID, "متطوع عام", "General volunteer")
	return s
}

// signup puts u on the shift with a status.
func (e *profEnv) signup(s profShift, u *account.User, status string) string {
	e.t.Helper()
	id := db.NewID()
	now := db.Now()
	e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)`,
		id, s.ShiftID, s.RoleID, u.ID, status, now)
	return id
}

// hours records time for u directly, as the hours part would.
func (e *profEnv) hours(u *account.User, o *org.Org, category string, minutes int, status string) {
	e.t.Helper()
	e.exec(`INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, source, status, created_at)
		VALUES ($1, $2, $3, $4, $5, '2026-01-10', 'self', $6, $7)`, db.NewID(), u.ID, o.ID, category, minutes, status, db.Now())
}

// profBrowser is a signed-in person's browser that does not follow redirects.
type profBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// browser signs u in (a session, as the sign-in page makes) in lang.
func (e *profEnv) browser(u *account.User, lang i18n.Lang) *profBrowser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &profBrowser{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
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

type profResp struct {
	*http.Response
	body string // HTML-unescaped
}

func (b *profBrowser) do(method, path string, body io.Reader, hdr map[string]string) profResp {
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
	}
	return profResp{Response: resp, body: s}
}

func (b *profBrowser) get(path string) profResp { return b.do("GET", path, nil, nil) }

func (b *profBrowser) post(path string, form url.Values) profResp {
	b.t.Helper()
	return b.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// api sends JSON with a personal access token ("" for none).
func (e *profEnv) api(token, method, path string, body any, out any) *http.Response {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			e.t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp
}

func (e *profEnv) token(u *account.User) string {
	e.t.Helper()
	secret, _, err := e.a.Account.CreateToken(e.ctx, u.ID, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// profFieldError checks that the page shows msgID, in lang, as the error of field.
func profFieldError(t *testing.T, body, field, msgID string, lang i18n.Lang) {
	t.Helper()
	msg := i18n.New(lang, i18n.Latin, nil).T(msgID)
	if msg == msgID {
		t.Fatalf("%s has no %s message", msgID, lang)
	}
	if want := `id="e-` + field + `">` + msg + `</p>`; !strings.Contains(body, want) {
		i := strings.Index(body, `id="e-`+field+`"`)
		got := "no error shown"
		if i >= 0 {
			got = body[i:min(len(body), i+200)]
		}
		t.Errorf("%s: want %q as the error of %s; got %s", lang, msg, field, got)
	}
}
