package volunteer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// attEnv is the whole app over a fresh database with a settable clock, for
// the attendance part's HTTP tests.
type attEnv struct {
	t     *testing.T
	d     *db.DB
	a     *app.App
	srv   *httptest.Server
	ctx   context.Context
	clock *volunteer.AttClock
	admin *httpx.Viewer
}

func attSetup(t *testing.T, d *db.DB) *attEnv {
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
	e := &attEnv{t: t, d: d, a: a, ctx: ctx, clock: volunteer.NewAttClock(time.Now())}
	a.Volunteer.AttUseClock(e.clock)
	e.srv = httptest.NewServer(a.Handler)
	t.Cleanup(e.srv.Close)
	u, err := a.Account.CreateAdmin(ctx, account.SignUp{Email: "admin@sharaka.test", Name: "المشرف", Password: "a long admin password", Locale: i18n.AR})
	if err != nil {
		t.Fatal(err)
	}
	e.admin = u.Viewer()
	return e
}

func (e *attEnv) user(name, email string, lang i18n.Lang) *account.User {
	e.t.Helper()
	u, err := e.a.Account.Register(e.ctx, account.SignUp{Email: email, Name: name, Password: "a long enough password", Locale: lang})
	if err != nil {
		e.t.Fatalf("register %s: %v", email, err)
	}
	return u
}

func (e *attEnv) org(owner *account.User, nameAr, nameEn string) *org.Org {
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

func (e *attEnv) one(q string, args ...any) string {
	e.t.Helper()
	var s string
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&s); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return s
}

type attBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// browser is a session for u (nil: anonymous) in lang.
func (e *attEnv) browser(u *account.User, lang i18n.Lang) *attBrowser {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
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
	return &attBrowser{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type attResp struct {
	*http.Response
	body string // HTML-unescaped
}

func (b *attBrowser) do(method, path string, body io.Reader, hdr map[string]string) attResp {
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
	return attResp{Response: resp, body: s}
}

func (b *attBrowser) get(path string) attResp { return b.do("GET", path, nil, nil) }

func (b *attBrowser) post(path string, form url.Values) attResp {
	b.t.Helper()
	return b.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// json sends a JSON body with the session and decodes the answer into out.
func (b *attBrowser) json(method, path string, body, out any) *http.Response {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		buf, _ := json.Marshal(body)
		rd = bytes.NewReader(buf)
	}
	r := b.do(method, path, rd, map[string]string{"Content-Type": "application/json", "Accept-Language": "en"})
	if out != nil {
		if err := json.Unmarshal([]byte(r.body), out); err != nil {
			b.t.Fatalf("%s %s: %d %q: %v", method, path, r.StatusCode, r.body, err)
		}
	}
	return r.Response
}

// attRawID is a catalogue id of this area that reached a page untranslated.
var attRawID = regexp.MustCompile(`\bvolunteer\.[a-z_]+\.[a-z_.]+\b`)

// expect checks the status and the texts; texts starting with "volunteer."
// are message ids, looked up in lang.
func (r attResp) expect(t *testing.T, status int, lang i18n.Lang, texts ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body: %.400s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
	loc := i18n.New(lang, i18n.Latin, nil)
	for _, text := range texts {
		if strings.HasPrefix(text, "volunteer.") || strings.HasPrefix(text, "error.") {
			text = loc.T(text)
		}
		if !strings.Contains(r.body, text) {
			t.Errorf("%s %s (%s) lacks %q", r.Request.Method, r.Request.URL.Path, lang, text)
		}
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		if m := attRawID.FindString(r.body); m != "" {
			t.Errorf("%s: untranslated message id %q", r.Request.URL.Path, m)
		}
	}
}

func (r attResp) redirect(t *testing.T, prefix string) string {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s %s: %d to %q, want a redirect to %s…; body: %.300s", r.Request.Method, r.Request.URL.Path, r.StatusCode, loc, prefix, r.body)
	}
	return loc
}

// TestAttendanceHoursCertificateJourney goes through the pages and the API
// as a coordinator, two volunteers and a coordinator of another
// organisation: QR check-in, manual check-out, review, certificate,
// verification and revocation.
func TestAttendanceHoursCertificateJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := attSetup(t, d)
		coordU := e.user("منى المنسقة", "mona@example.org", i18n.AR)
		volU := e.user("سارة العتيبي", "sara@example.org", i18n.AR)
		vol2U := e.user("Omar Farouk", "omar@example.org", i18n.EN)
		otherU := e.user("منسق آخر", "other@example.org", i18n.AR)
		o := e.org(coordU, "جمعية البر", "Birr Society")
		otherOrg := e.org(otherU, "جمعية أخرى", "Other Society")
		start := time.Now().UTC().Truncate(time.Minute).Add(20 * time.Minute)
		e.clock.Set(start.Add(-25 * time.Minute))
		shiftID, roleID, code, err := volunteer.AttInsertShift(e.ctx, d, o.ID, coordU.ID, "food", start, start.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		signup, _ := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, volU.ID, volunteer.Confirmed)
		signup2, _ := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, vol2U.ID, volunteer.Confirmed)

		coord, vol, vol2, other, anon := e.browser(coordU, i18n.AR), e.browser(volU, i18n.AR), e.browser(vol2U, i18n.EN), e.browser(otherU, i18n.AR), e.browser(nil, i18n.AR)

		// The coordinator's check-in page: the QR code, the code, the people.
		r := coord.get("/shifts/" + shiftID + "/checkin")
		r.expect(t, 200, i18n.AR, "volunteer.checkin.coordinator.title", code, `src="/shifts/`+shiftID+`/checkin.png"`, "سارة العتيبي", "Omar Farouk",
			"volunteer.checkin.coordinator.button_in")
		if !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
			t.Error("check-in page may be cached")
		}
		r = coord.get("/shifts/" + shiftID + "/checkin.png")
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(r.body, "\x89PNG") {
			t.Fatalf("QR image: %d %s %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
		}
		for _, b := range []*attBrowser{vol, other} {
			if r := b.get("/shifts/" + shiftID + "/checkin.png"); r.StatusCode != 403 {
				t.Errorf("QR image for a non-coordinator: %d", r.StatusCode)
			}
			if r := b.get("/shifts/" + shiftID + "/checkin"); r.StatusCode != 403 {
				t.Errorf("check-in page for a non-coordinator: %d", r.StatusCode)
			}
		}
		if r := anon.get("/shifts/" + shiftID + "/kiosk"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
			t.Errorf("kiosk for an anonymous visitor: %d", r.StatusCode)
		}
		// The coordinator opens the kiosk link; the screen itself needs nobody signed in.
		kr := coord.get("/shifts/" + shiftID + "/kiosk")
		kiosk := kr.Header.Get("Location")
		if kr.StatusCode != 303 || !strings.HasPrefix(kiosk, "/kiosk/") {
			t.Fatalf("kiosk link: %d %q", kr.StatusCode, kiosk)
		}
		anon.get(kiosk).expect(t, 200, i18n.AR, `<meta http-equiv="refresh" content="60">`, code, "volunteer.checkin.kiosk.scan", `src="data:image/png;base64,`)
		if again := coord.get("/shifts/" + shiftID + "/kiosk").Header.Get("Location"); again != kiosk {
			t.Errorf("a second visit made a new kiosk link: %q, was %q", again, kiosk)
		}
		if r := vol.get("/shifts/" + shiftID + "/kiosk"); r.StatusCode != 403 {
			t.Errorf("kiosk link for a volunteer: %d", r.StatusCode)
		}
		coord.post("/shifts/"+shiftID+"/kiosk/renew", url.Values{}).redirect(t, "/shifts/"+shiftID+"/checkin")
		if r := anon.get(kiosk); r.StatusCode != 404 {
			t.Errorf("a retired kiosk link still opens: %d", r.StatusCode)
		}
		if r := anon.get("/kiosk/not-a-key"); r.StatusCode != 404 {
			t.Errorf("unknown kiosk key: %d", r.StatusCode)
		}

		// The volunteer follows the QR link (lower case) and checks in.
		r = vol.get("/checkin?code=" + strings.ToLower(code))
		r.expect(t, 200, i18n.AR, "volunteer.checkin.button_in", `name="via" value="qr"`, "تعبئة السلال")
		vol.post("/checkin", url.Values{"code": {code}, "via": {"qr"}}).redirect(t, "/checkin?code="+code)
		vol.get("/checkin?code="+code).expect(t, 200, i18n.AR, "volunteer.checkin.flash.in", "volunteer.checkin.button_out")
		if m := e.one(`SELECT method FROM attendance WHERE signup_id = $1`, signup); m != "qr" {
			t.Errorf("method %q, want qr", m)
		}
		// Wrong code and not signed up: clear refusals on the page.
		vol.post("/checkin", url.Values{"code": {"XXXXXX"}}).expect(t, 422, i18n.AR, "volunteer.checkin.error.code")
		_, _, code2, _ := volunteer.AttInsertShift(e.ctx, d, o.ID, coordU.ID, "food", start, start.Add(time.Hour))
		vol.post("/checkin", url.Values{"code": {code2}}).expect(t, 403, i18n.AR, "volunteer.checkin.error.not_signed_up")

		// The second volunteer checks in through the API with a typed code.
		var att volunteer.Attendance
		if resp := vol2.json("POST", "/api/v1/shifts/"+shiftID+"/checkin", map[string]string{"code": attArabicIndic(strings.ToLower(code))}, &att); resp.StatusCode != 200 ||
			att.Method != volunteer.MethodCode || att.SignupID != signup2 {
			t.Fatalf("API check-in: %d %+v", resp.StatusCode, att)
		}
		var problem httpx.Problem
		if resp := vol2.json("POST", "/api/v1/shifts/"+shiftID+"/checkin", map[string]string{"code": code}, &problem); resp.StatusCode != 409 ||
			problem.Type != "/problems/already-checked-in" {
			t.Fatalf("second API check-in: %d %+v", resp.StatusCode, problem)
		}

		// Ninety minutes later: the coordinator checks Sara out by hand, Omar himself.
		e.clock.Set(start.Add(65 * time.Minute))
		coord.post("/attendance/"+signup+"/checkout", url.Values{"shift": {shiftID}}).redirect(t, "/shifts/"+shiftID+"/checkin")
		if resp := vol2.json("POST", "/api/v1/shifts/"+shiftID+"/checkout", nil, &att); resp.StatusCode != 200 || att.Minutes != 90 {
			t.Fatalf("API check-out: %d %+v", resp.StatusCode, att)
		}
		coord.get("/shifts/"+shiftID+"/checkin").expect(t, 200, i18n.AR, "ساعة واحدة و30 دقيقةً")

		// The review queue: another organisation's coordinator may not see or decide.
		hoursID := e.one(`SELECT id FROM hours WHERE signup_id = $1`, signup)
		hours2 := e.one(`SELECT id FROM hours WHERE signup_id = $1`, signup2)
		if r := other.get("/organisations/" + o.ID + "/hours"); r.StatusCode != 403 {
			t.Fatalf("other coordinator's view of the queue: %d", r.StatusCode)
		}
		if r := other.post("/hours/"+hoursID+"/approve", url.Values{}); r.StatusCode != 403 {
			t.Fatalf("other coordinator's approval: %d", r.StatusCode)
		}
		if r := vol.post("/hours/"+hoursID+"/approve", url.Values{}); r.StatusCode != 403 {
			t.Fatalf("volunteer approving their own hours: %d", r.StatusCode)
		}
		coord.get("/organisations/"+o.ID+"/hours").expect(t, 200, i18n.AR, "volunteer.hours.review.title", "سارة العتيبي", "Omar Farouk",
			"volunteer.hours.status.pending", "volunteer.hours.approve")
		coord.post("/hours/"+hoursID+"/approve", url.Values{"next": {"/organisations/" + o.ID + "/hours"}}).redirect(t, "/organisations/"+o.ID+"/hours")
		// Decline needs a reason: through the API, refused without one.
		if resp := coord.json("POST", "/api/v1/hours/"+hours2+"/decline", map[string]string{"reason": " "}, &problem); resp.StatusCode != 422 || problem.Errors["reason"] == "" {
			t.Fatalf("decline without a reason: %d %+v", resp.StatusCode, problem)
		}
		var h volunteer.Hours
		if resp := coord.json("POST", "/api/v1/hours/"+hours2+"/decline", map[string]string{"reason": "Left early without telling us"}, &h); resp.StatusCode != 200 ||
			h.Status != volunteer.HoursDeclined || h.DeclineReason == "" {
			t.Fatalf("decline: %d %+v", resp.StatusCode, h)
		}
		vol2.get("/volunteer/hours").expect(t, 200, i18n.EN, "volunteer.hours.status.declined", "Left early without telling us")
		var list volunteer.HoursList
		if resp := coord.json("GET", "/api/v1/hours?org="+o.ID+"&status=approved", nil, &list); resp.StatusCode != 200 || len(list.Items) != 1 || list.Items[0].ID != hoursID {
			t.Fatalf("API list: %d %+v", resp.StatusCode, list)
		}
		if resp := other.json("GET", "/api/v1/hours?org="+o.ID, nil, &problem); resp.StatusCode != 403 {
			t.Fatalf("other coordinator's API list: %d", resp.StatusCode)
		}

		// Off-platform hours, typed with Arabic-Indic digits.
		vol.get("/volunteer/hours/new").expect(t, 200, i18n.AR, "volunteer.hours.new.title", "جمعية البر", "جمعية أخرى")
		today := e.clock.Now().In(attRiyadh).Format(time.DateOnly)
		r = vol.post("/volunteer/hours/new", url.Values{"org_id": {otherOrg.ID}, "worked_on": {today}, "hours": {"٢"}, "minutes": {"٣٠"},
			"category": {"education"}, "description": {""}})
		r.expect(t, 422, i18n.AR, "volunteer.hours.error.work_done")
		if !strings.Contains(r.body, `value="٢"`) {
			t.Error("the hours typed were lost on the error page")
		}
		vol.post("/volunteer/hours/new", url.Values{"org_id": {otherOrg.ID}, "worked_on": {today}, "hours": {"٢"}, "minutes": {"٣٠"},
			"category": {"education"}, "description": {"دروس تقوية"}}).redirect(t, "/volunteer/hours")
		if m := e.one(`SELECT minutes || '/' || status || '/' || source FROM hours WHERE org_id = $1`, otherOrg.ID); m != "150/pending/self" {
			t.Fatalf("submitted hours: %s", m)
		}
		vol.get("/volunteer/hours").expect(t, 200, i18n.AR, "دروس تقوية", "volunteer.hours.status.pending", "volunteer.hours.status.approved")

		// A certificate of Sara's approved hours; the other organisation cannot issue one.
		from := e.clock.Now().AddDate(0, -1, 0).Format(time.DateOnly)
		if r := other.post("/organisations/"+o.ID+"/certificates", url.Values{"user_id": {volU.ID}, "from": {from}, "to": {today}}); r.StatusCode != 403 {
			t.Fatalf("other coordinator issues: %d", r.StatusCode)
		}
		coord.get("/organisations/"+o.ID+"/certificates").expect(t, 200, i18n.AR, "volunteer.certificate.org.issue", "سارة العتيبي", "volunteer.certificate.org.none")
		loc := coord.post("/organisations/"+o.ID+"/certificates", url.Values{"user_id": {vol2U.ID}, "from": {from}, "to": {today}})
		loc.expect(t, 422, i18n.AR, "volunteer.certificate.error.no_hours")
		certURL := coord.post("/organisations/"+o.ID+"/certificates", url.Values{"user_id": {volU.ID}, "from": {from}, "to": {today}}).redirect(t, "/certificates/")
		certCode := strings.TrimPrefix(certURL, "/certificates/")

		// The certificate is public by code, in both languages, with a QR code to verify.
		r = anon.get(certURL)
		r.expect(t, 200, i18n.AR, "سارة العتيبي", "جمعية البر", "Birr Society", "شهادة تطوع", "Volunteering certificate", "ساعة واحدة و30 دقيقةً",
			"1 hour 30 minutes", certCode, `src="data:image/png;base64,`, "https://sharaka.test/verify/"+certCode, " AH", "هـ")
		if strings.Contains(r.body, "sara@example.org") || strings.Contains(r.body, "منى المنسقة") {
			t.Error("the certificate shows more than the verification page")
		}
		r = anon.get("/verify/" + strings.ToLower(certCode))
		r.expect(t, 200, i18n.AR, "volunteer.verify.valid", "سارة العتيبي", "جمعية البر", "ساعة واحدة و30 دقيقةً")
		if strings.Contains(r.body, "sara@example.org") || strings.Contains(r.body, "منى المنسقة") {
			t.Error("verification shows more than the allowed fields")
		}
		var ver map[string]any
		if resp := anon.json("GET", "/api/v1/certificates/"+certCode+"/verify", nil, &ver); resp.StatusCode != 200 || ver["status"] != "valid" || ver["minutes"] != 90.0 {
			t.Fatalf("API verification: %d %v", resp.StatusCode, ver)
		}
		allowed := []string{"code", "status", "volunteer_name", "organisation_name_ar", "organisation_name_en", "minutes", "from", "to", "issued_on"}
		for k := range ver {
			if !slices.Contains(allowed, k) {
				t.Errorf("verification tells %q", k)
			}
		}
		anon.get("/verify/ABCDEFGHJK").expect(t, 404, i18n.AR, "volunteer.verify.not_found")
		if r := anon.get("/verify?code=" + strings.ToLower(certCode)); r.Header.Get("Location") != "/verify/"+certCode {
			t.Errorf("typed code goes to %q", r.Header.Get("Location"))
		}

		// Revoked: the verification says so with the date, and nothing else.
		certID := e.one(`SELECT id FROM certificates WHERE code = $1`, certCode)
		coord.post("/certificates/"+certID+"/revoke", url.Values{"reason": {""}, "next": {"/organisations/" + o.ID + "/certificates"}}).redirect(t, "/organisations/"+o.ID+"/certificates")
		if n := e.one(`SELECT COUNT(*) FROM certificates WHERE revoked_at IS NOT NULL`); n != "0" {
			t.Fatal("revoked without a reason")
		}
		coord.post("/certificates/"+certID+"/revoke", url.Values{"reason": {"صدرت بالخطأ"}}).redirect(t, "/organisations/"+o.ID+"/certificates")
		r = anon.get("/verify/" + certCode)
		r.expect(t, 200, i18n.AR, "volunteer.verify.revoked")
		for _, hidden := range []string{"سارة العتيبي", "صدرت بالخطأ", "ساعة واحدة"} {
			if strings.Contains(r.body, hidden) {
				t.Errorf("revoked verification shows %q", hidden)
			}
		}
		if r := anon.get(certURL); strings.Contains(r.body, "سارة العتيبي") || !strings.Contains(r.body, i18n.New(i18n.AR, "", nil).T("volunteer.verify.revoked")) {
			t.Error("a revoked certificate's page still shows it")
		}
		ver = nil
		if resp := anon.json("GET", "/api/v1/certificates/"+certCode+"/verify", nil, &ver); resp.StatusCode != 200 || ver["status"] != "revoked" || ver["revoked_at"] == nil || ver["volunteer_name"] != nil {
			t.Fatalf("API revoked verification: %v", ver)
		}
	})
}

// TestCorrectionPage checks the coordinator's correction form: the reason
// is required, the times are read in local time, the page shows the flags.
func TestCorrectionPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := attSetup(t, d)
		coordU, volU := e.user("منسق", "c@example.org", i18n.AR), e.user("Nour", "n@example.org", i18n.EN)
		o := e.org(coordU, "جمعية", "Society")
		if err := volunteer.AttInsertOrgSettings(e.ctx, d, o.ID, volunteer.AutoApproval, 10); err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC) // 09:00 in Riyadh
		e.clock.Set(start.Add(5 * time.Minute))
		shiftID, roleID, code, _ := volunteer.AttInsertShift(e.ctx, d, o.ID, coordU.ID, "health", start, start.Add(3*time.Hour))
		signup, _ := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, volU.ID, volunteer.Confirmed)
		vol, coord := e.browser(volU, i18n.EN), e.browser(coordU, i18n.EN)
		vol.post("/checkin", url.Values{"code": {code}}).redirect(t, "/checkin")
		if m := e.one(`SELECT method FROM attendance WHERE signup_id = $1`, signup); m != "code" {
			t.Errorf("typed code recorded as %q", m)
		}
		// Nobody checks out; the auto-close runs after end + 10 minutes.
		e.clock.Set(start.Add(3*time.Hour + 10*time.Minute))
		if _, closed, err := e.a.Volunteer.CloseAttendance(e.ctx, shiftID); err != nil || closed != 1 {
			t.Fatalf("close: %d %v", closed, err)
		}
		coord.get("/shifts/"+shiftID+"/checkin").expect(t, 200, i18n.EN, "volunteer.checkin.auto_closed", "2 hours 55 minutes")
		if s := e.one(`SELECT status FROM hours WHERE signup_id = $1`, signup); s != "approved" {
			t.Fatalf("auto-approved organisation: %s", s)
		}

		r := coord.get("/attendance/" + signup + "/correct")
		r.expect(t, 200, i18n.EN, "volunteer.attendance.correct.title", "Nour", `value="2026-11-20T09:05"`, `value="2026-11-20T12:00"`,
			"volunteer.attendance.field.reason", "volunteer.attendance.correct.hours_follow")
		coord.post("/attendance/"+signup+"/correct", url.Values{"checked_in_at": {"2026-11-20T09:00"}, "checked_out_at": {"2026-11-20T11:30"}}).
			expect(t, 422, i18n.EN, "volunteer.attendance.error.reason_required")
		coord.post("/attendance/"+signup+"/correct", url.Values{"checked_in_at": {"٢٠٢٦-١١-٢٠T٠٩:٠٠"}, "checked_out_at": {"2026-11-20T11:30"}, "reason": {"Left at 11:30"}}).
			redirect(t, "/shifts/"+shiftID+"/checkin")
		if in := e.one(`SELECT correction_reason FROM attendance WHERE signup_id = $1`, signup); in != "Left at 11:30" {
			t.Fatalf("reason: %q", in)
		}
		coord.get("/shifts/"+shiftID+"/checkin").expect(t, 200, i18n.EN, "volunteer.checkin.corrected", "Left at 11:30", "2 hours 30 minutes")
		// Hours approved automatically follow the corrected times and stay approved.
		if m := e.one(`SELECT minutes || ' ' || status FROM hours WHERE signup_id = $1`, signup); m != "150 approved" {
			t.Fatalf("automatically approved hours after the correction: %s", m)
		}
		if r := vol.get("/attendance/" + signup + "/correct"); r.StatusCode != 403 {
			t.Fatalf("volunteer's correction form: %d", r.StatusCode)
		}

		// The review queue pages: 25 pending entries make two pages.
		for i := range 25 {
			if _, err := d.W.ExecContext(e.ctx, `INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, created_at)
				VALUES ($1, $2, $3, 'health', $4, '2026-11-19', 'زيارة', 'self', 'pending', $5)`, db.NewID(), volU.ID, o.ID, 30+i, db.Now()); err != nil {
				t.Fatal(err)
			}
		}
		r = coord.get("/organisations/" + o.ID + "/hours?status=pending")
		r.expect(t, 200, i18n.EN, `rel="next"`)
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(r.body)
		if next == nil || !strings.Contains(next[1], "status=pending") {
			t.Fatalf("next link: %v", next)
		}
		r = coord.get(next[1])
		r.expect(t, 200, i18n.EN, "volunteer.hours.filter.first", "54 minutes")
		if strings.Contains(r.body, `rel="next"`) || strings.Count(r.body, "/approve") != 5 {
			t.Fatalf("second page: %d entries", strings.Count(r.body, "/approve"))
		}
	})
}

var attRiyadh = func() *time.Location {
	z, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		return time.FixedZone("AST", 3*3600)
	}
	return z
}()

func attArabicIndic(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, s)
}
