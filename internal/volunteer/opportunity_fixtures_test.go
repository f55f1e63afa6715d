package volunteer_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
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
	"sharaka/internal/volunteer"
)

// oppEnv is the whole app over a fresh database with a small geography and a
// platform admin, for the opportunity part's tests.
type oppEnv struct {
	t      *testing.T
	d      *db.DB
	a      *app.App
	srv    *httptest.Server
	ctx    context.Context
	admin  *httpx.Viewer
	places map[string]string // code → id
	riyadh *time.Location
}

// oppPlaces: a district with a centre and a neighbourhood without one.
const oppPlaces = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,24.0,45.0
SA-03,SA,region,منطقة المدينة المنورة,Madinah Region,,
SA-03-MED,SA-03,city,المدينة المنورة,Madinah,24.47,39.61
SA-03-MED-QBA,SA-03-MED,district,قباء,Quba,24.44,39.62
SA-03-MED-QBA-N1,SA-03-MED-QBA,neighbourhood,حارة المسجد,Mosque Quarter,,
`

func oppSetup(t *testing.T, d *db.DB) *oppEnv {
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
	riyadh, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		riyadh = time.FixedZone("AST", 3*3600)
	}
	e := &oppEnv{t: t, d: d, a: a, srv: srv, ctx: ctx, places: map[string]string{}, riyadh: riyadh}
	if _, err := a.Org.ImportPlacesCSV(ctx, strings.NewReader(oppPlaces), ""); err != nil {
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
	e.admin = e.account("المشرف", "root@sharaka.test", i18n.AR, true).Viewer()
	return e
}

// account writes a person straight into the users table: hashing a password
// (argon2id) for every test person would make the tests slow under -race,
// and sign-in itself is the account area's to test.
func (e *oppEnv) account(name, email string, lang i18n.Lang, admin bool) *account.User {
	e.t.Helper()
	id, now := db.NewID(), db.Now()
	e.exec(`INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $5, 'latn', 'Asia/Riyadh', $6, $6)`, id, email, name, admin, string(lang), now)
	u, err := e.a.Account.User(e.ctx, id)
	if err != nil {
		e.t.Fatalf("read back %s: %v", email, err)
	}
	return u
}

// user is a person with the language they chose, written once per test database.
func (e *oppEnv) user(name, email string, lang i18n.Lang) *account.User {
	e.t.Helper()
	if u, err := e.a.Account.UserByEmail(e.ctx, email); err == nil {
		return u // the same person in another part of the test
	}
	return e.account(name, email, lang, false)
}

// org creates an organisation owned by owner, verified when verify is set.
func (e *oppEnv) org(owner *account.User, nameAr, nameEn string, verify bool) *org.Org {
	e.t.Helper()
	o, err := e.a.Org.CreateOrg(e.ctx, owner.Viewer(), org.Input{NameAr: nameAr, NameEn: nameEn, Type: org.Charity, HomePlaceID: e.places["SA-03-MED-QBA"]})
	if err != nil {
		e.t.Fatalf("create org: %v", err)
	}
	if verify {
		if err := e.a.Org.Verify(e.ctx, e.admin, o.ID); err != nil {
			e.t.Fatalf("verify org: %v", err)
		}
	}
	return o
}

// join makes u a member of o with role.
func (e *oppEnv) join(o *org.Org, u *account.User, role org.Role) {
	e.t.Helper()
	e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`, o.ID, u.ID, string(role), db.Now())
}

func (e *oppEnv) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.d.W.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *oppEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// oppInput is a valid opportunity; change what a test needs.
func oppInput(status string) volunteer.OpportunityInput {
	return volunteer.OpportunityInput{TitleAr: "تعبئة السلال الغذائية", TitleEn: "Food basket packing", DescriptionAr: "نعبّئ السلال في المستودع.",
		Category: "food", Status: status, Skills: []string{"logistics"}, Languages: []string{"ar"}}
}

// opportunity creates an opportunity of o as coordinator v.
func (e *oppEnv) opportunity(v *httpx.Viewer, o *org.Org, in volunteer.OpportunityInput) *volunteer.Opportunity {
	e.t.Helper()
	opp, err := e.a.Volunteer.CreateOpportunity(e.ctx, v, o.ID, in)
	if err != nil {
		e.t.Fatalf("create opportunity: %v", err)
	}
	return opp
}

// day is the calendar day n days from today in Riyadh, as YYYY-MM-DD.
func (e *oppEnv) day(n int) string {
	return time.Now().In(e.riyadh).AddDate(0, 0, n).Format(time.DateOnly)
}

// shiftInput is a valid one-off shift n days ahead with two roles.
func (e *oppEnv) shiftInput(n int) volunteer.ShiftInput {
	return volunteer.ShiftInput{Date: e.day(n), Start: "16:00", End: "19:30", ShiftPlan: volunteer.ShiftPlan{
		Roles: []volunteer.RoleInput{
			{NameAr: "تعبئة", NameEn: "Packing", Slots: 6},
			{NameAr: "سائق توزيع", NameEn: "Delivery driver", SkillID: "driving", Slots: 2},
		},
		SignupOpensDays: 14, SignupClosesHours: 2, CancelCutoffHours: 12}}
}

// signup puts u on a role of the shift with a status, as the sign-up part would.
func (e *oppEnv) signup(sh *volunteer.Shift, roleID string, u *account.User, status string, party int) {
	e.t.Helper()
	now := db.Now()
	e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
		db.NewID(), sh.ID, roleID, u.ID, status, party, now)
}

// queuedMail is an email waiting in the job queue.
type queuedMail struct {
	To, Subject, Text string
}

// mails reads the emails queued as jobs (the test app runs no workers).
func (e *oppEnv) mails() []queuedMail {
	e.t.Helper()
	col := "args"
	if e.d.Dialect == db.SQLite {
		col = "json(args)" // River's SQLite driver keeps arguments as binary JSONB
	}
	rows, err := e.d.R.QueryContext(e.ctx, `SELECT `+col+` FROM river_job WHERE kind = 'send_email' ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []queuedMail
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			e.t.Fatal(err)
		}
		var args struct {
			Message struct {
				To      string `json:"to"`
				Subject string `json:"subject"`
				Text    string `json:"text"`
			} `json:"message"`
		}
		if err := json.Unmarshal(raw, &args); err != nil {
			e.t.Fatalf("mail job args %q: %v", raw, err)
		}
		out = append(out, queuedMail{To: args.Message.To, Subject: args.Message.Subject, Text: args.Message.Text})
	}
	return out
}

// fields returns the per-field messages of a validation error, failing the
// test when err is something else.
func oppFields(t *testing.T, err error) map[string]string {
	t.Helper()
	var he *httpx.Error
	if !errors.As(err, &he) || len(he.Fields) == 0 {
		t.Fatalf("want a validation error, got %v", err)
	}
	return he.Fields
}

// oppBrowser is a person's browser that does not follow redirects.
type oppBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// browser signs u in (nil: anonymous) with the language cookie set to lang.
func (e *oppEnv) browser(u *account.User, lang i18n.Lang) *oppBrowser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &oppBrowser{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
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

type oppResp struct {
	*http.Response
	body string // HTML-unescaped
}

func (b *oppBrowser) do(method, path string, body io.Reader, hdr map[string]string) oppResp {
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
	raw, _ := io.ReadAll(resp.Body)
	return oppResp{Response: resp, body: html.UnescapeString(string(raw))}
}

func (b *oppBrowser) get(path string) oppResp { return b.do("GET", path, nil, nil) }

func (b *oppBrowser) post(path string, form url.Values) oppResp {
	return b.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

func (b *oppBrowser) postJSON(path string, v any) oppResp {
	raw, err := json.Marshal(v)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do("POST", path, strings.NewReader(string(raw)), map[string]string{"Content-Type": "application/json"})
}

// oppT is a message in lang, for checking what a page says.
func oppT(lang i18n.Lang, id string, kv ...any) string {
	return i18n.New(lang, i18n.Latin, nil).T(id, kv...)
}
