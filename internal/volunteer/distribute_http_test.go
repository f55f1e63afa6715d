package volunteer_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// distApp is the distribution's fixture on the sign-up part's app: an
// opportunity with three shifts (A and B overlap, C the next day in teams of
// two; A needs a first-aider, B a driver nobody is) and eight volunteers of
// the organisation, one without a home and one beyond her travel radius.
type distApp struct {
	*suApp
	opp, sa, sb, sc string
	roleC           string
	vols            map[string]*account.User
}

func distAppSetup(t *testing.T, d *db.DB) *distApp {
	e := &distApp{suApp: suAppSetup(t, d), vols: map[string]*account.User{}}
	base := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	e.opp = db.NewID()
	now := db.Now()
	e.exec(`INSERT INTO opportunities (id, org_id, title_ar, title_en, category, lat, lon, created_by, created_at, updated_at)
		VALUES ($1, $2, 'توزيع السلال الرمضانية', 'Ramadan food baskets', 'food', 24.47, 39.61, $3, $4, $4)`, e.opp, e.orgID, e.coord.ID, now)
	shift := func(start time.Time, teamSize int, roles ...[3]string) (string, []string) {
		id := db.NewID()
		e.exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, team_size, checkin_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, e.opp, start, start.Add(3*time.Hour), teamSize, suHex(), now)
		var ids []string
		for _, r := range roles {
			rid := db.NewID()
			e.exec(`INSERT INTO shift_roles (id, shift_id, name_ar, name_en, skill_id, slots) VALUES ($1, $2, $3, $4, NULLIF($5, ''), 2)`,
				rid, id, r[0], r[1], r[2])
			ids = append(ids, rid)
		}
		return id, ids
	}
	e.sa, _ = shift(base, 0, [3]string{"مسعف", "First-aider", "first_aid"}, [3]string{"متطوع", "Volunteer", ""})
	e.sb, _ = shift(base.Add(time.Hour), 0, [3]string{"متطوع", "Volunteer", ""}, [3]string{"سائق", "Driver", "driving"})
	var rc []string
	e.sc, rc = shift(base.Add(24*time.Hour), 2, [3]string{"متطوع", "Volunteer", ""})
	e.roleC = rc[0]
	for i, v := range []struct {
		name   string
		home   bool
		lat    float64
		skills []string
	}{
		{"أمل", true, 24.471, []string{"first_aid", "leader"}}, {"بشرى", true, 24.50, []string{"first_aid"}},
		{"جود", true, 24.46, nil}, {"دانة", true, 24.45, []string{"leader"}}, {"هند", true, 24.48, nil},
		{"وعد", true, 24.44, nil}, {"ريم", true, 24.95, nil}, {"سلمى", false, 0, nil},
	} {
		u := e.volunteer(v.name, "female")
		if v.home {
			e.exec(`UPDATE volunteer_profiles SET lat = $2, lon = 39.61, travel_radius_km = 30 WHERE user_id = $1`, u.ID, v.lat)
		}
		for _, k := range v.skills {
			e.exec(`INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, $2)`, u.ID, k)
		}
		for day := 0; day < 7; day++ {
			e.exec(`INSERT INTO availability (id, user_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, 0, 1440)`, db.NewID(), u.ID, day)
		}
		e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'member', $3)`, e.orgID, u.ID, now.Add(time.Duration(i)))
		e.vols[v.name] = u
	}
	return e
}

// distRawID is a message id of this part or of the engine that reached a page untranslated.
var distRawID = regexp.MustCompile(`\b(volunteer\.distribute|assign\.(reason|shortage|need))\.[a-z_.]+`)

func (r suResp) expectTranslated(t *testing.T) {
	t.Helper()
	if m := distRawID.FindString(r.body); m != "" {
		t.Errorf("untranslated message id %q", m)
	}
}

// work runs a run's job as the worker would.
func (e *distApp) work(t *testing.T, runURL string) string {
	t.Helper()
	id := runURL[strings.LastIndex(runURL, "/")+1:]
	if err := e.a.Volunteer.RunDistribution(e.ctx, id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDistributionThroughThePages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := distAppSetup(t, d)
		c := e.browser(e.coord, i18n.AR)
		form := "/opportunities/" + e.opp + "/distribute"

		// The coordinator finds it on the opportunity's page, then the form lists the upcoming shifts.
		c.get("/opportunities/"+e.opp).expect(t, http.StatusOK, `href="`+form+`"`, "توزيع المتطوعين")
		r := c.get(form)
		r.expect(t, http.StatusOK, "المناوبات القادمة", "يرتبط بالجهة 8 متطوعين", `name="urgency_`+e.sa+`"`, "لكل فريق قائد",
			"لم يُجرَ أي توزيع لهذه الفرصة بعد.")
		r.expectTranslated(t)
		e.browser(e.coord, i18n.EN).get(form).expect(t, http.StatusOK, "Upcoming shifts", "8 volunteers are linked to the organisation")

		// Nothing chosen: told on the form, nothing written.
		c.post(form, url.Values{}).expect(t, http.StatusUnprocessableEntity, "اختر مناوبة واحدة على الأقل.")

		r = c.post(form, url.Values{"shift": {e.sa, e.sb, e.sc}, "urgency_" + e.sa: {"٥"}, "team_leader": {"1"}})
		runURL := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(runURL, "/opportunities/"+e.opp+"/distributions/") {
			t.Fatalf("start: %d %q %.300s", r.StatusCode, runURL, r.body)
		}
		if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_distribute'`); n != 1 {
			t.Fatalf("%d distribution jobs queued", n)
		}

		// While it waits: the progress block polls, and a Refresh link works without JavaScript.
		c.get(runURL).expect(t, http.StatusOK, `hx-get="`+runURL+`/progress"`, `hx-trigger="every 1s"`, `href="`+runURL+`"`, "حدّث الصفحة", "في الانتظار")
		frag := c.get(runURL + "/progress")
		frag.expect(t, http.StatusOK, `hx-trigger="every 1s"`, `id="dist-progress"`)
		if strings.Contains(frag.body, "<html") {
			t.Error("the progress fragment carries the whole layout")
		}

		e.work(t, runURL)
		frag = c.do("GET", runURL+"/progress", nil, map[string]string{"HX-Request": "true"})
		if frag.Header.Get("HX-Refresh") != "true" || strings.Contains(frag.body, "hx-trigger") {
			t.Errorf("finished fragment: HX-Refresh %q, %.300s", frag.Header.Get("HX-Refresh"), frag.body)
		}

		// The preview, in both languages: who, why, who was left out, what is short, the comparison.
		r = c.get(runURL)
		r.expect(t, http.StatusOK, "جاهز للمراجعة", "أمل", "مسعف", "الفريق 1", "الأسبق فالأسبق", "مجموع المسافات (كم)",
			"ينقص متطوعان بمهارة «قيادة السيارة»", "مكانان شاغران بحاجة إلى متطوعين بمهارة «قيادة السيارة»",
			"بلا موقع سكن (1)", "سلمى", "ريم", "أبعد من مسافة التنقل المقبولة", "اعتمد التوزيع", "أعد التوزيع بهذه التعديلات")
		r.expectTranslated(t)
		if strings.Contains(r.body, "hx-trigger") {
			t.Error("a finished run still polls")
		}
		en := e.browser(e.coord, i18n.EN).get(runURL)
		en.expect(t, http.StatusOK, "Ready for review", "First-aider", "First come, first served", "2 volunteers with «Driving» short",
			"No home location (1)", "beyond the distance they will travel", "Apply the distribution")
		en.expectTranslated(t)

		// Remove someone from C and run again: the new run keeps the removal.
		run, _, err := e.a.Volunteer.Distribution(e.ctx, e.coord.Viewer(), runURL[strings.LastIndex(runURL, "/")+1:])
		if err != nil {
			t.Fatal(err)
		}
		if run.Settings.Urgency[e.sa] != 5 || run.Settings.Urgency[e.sb] != volunteer.DefaultUrgency || !run.Settings.TeamLeader {
			t.Errorf("settings from the form (urgency typed in Arabic digits): %+v", run.Settings)
		}
		gone := run.Result.Shift(e.sc).Assignments[0]
		r = c.post(runURL+"/rerun", url.Values{"remove": {gone.Volunteer + ":" + e.sc}})
		run2URL := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || run2URL == runURL || !strings.HasPrefix(run2URL, "/opportunities/"+e.opp+"/distributions/") {
			t.Fatalf("re-run: %d %q", r.StatusCode, run2URL)
		}
		e.work(t, run2URL)
		c.get(run2URL).expect(t, http.StatusOK, "استُبعدوا من هذه المناوبة بطلبك", gone.Name, "أعده إلى الحساب")
		c.get(form).expect(t, http.StatusOK, `href="`+runURL+`"`, `href="`+run2URL+`"`)

		// Apply: sign-ups with teams, one email per person, the run marked applied.
		mailsBefore := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'send_email'`)
		if r := c.post(run2URL+"/apply", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != run2URL {
			t.Fatalf("apply: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		r = c.get(run2URL)
		r.expect(t, http.StatusOK, "اعتُمد التوزيع: سُجّل المتطوعون في مناوباتهم", "معتمد")
		r.expectTranslated(t)
		people := e.count(`SELECT COUNT(DISTINCT user_id) FROM signups WHERE shift_id IN ($1, $2, $3) AND status = 'confirmed'`, e.sa, e.sb, e.sc)
		if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'send_email'`) - mailsBefore; people < 5 || n != people {
			t.Errorf("%d emails queued for %d people placed", n, people)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND team > 0 AND user_id <> $2`, e.sc, gone.Volunteer); n != 2 {
			t.Errorf("%d sign-ups with a team on C, want 2", n)
		}
		c.get("/shifts/"+e.sc+"/roster").expect(t, http.StatusOK, "الفريق 1")
		// Twice is refused with a clear message.
		c.post(run2URL+"/apply", nil)
		c.get(run2URL).expect(t, http.StatusOK, "اعتُمد هذا التوزيع من قبل، ولا يُعتمد التوزيع مرتين.")

		// Nobody else reaches any of it.
		member := e.browser(e.vols["أمل"], i18n.AR)
		for _, path := range []string{form, runURL, runURL + "/progress", run2URL} {
			if r := member.get(path); r.StatusCode != http.StatusForbidden {
				t.Errorf("a member volunteer GET %s: %d", path, r.StatusCode)
			}
			if r := e.browser(nil, i18n.AR).get(path); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
				t.Errorf("anonymous GET %s: %d", path, r.StatusCode)
			}
		}
		for _, path := range []string{form, runURL + "/rerun", runURL + "/apply", runURL + "/discard"} {
			if r := member.post(path, url.Values{"shift": {e.sa}}); r.StatusCode != http.StatusForbidden {
				t.Errorf("a member volunteer POST %s: %d", path, r.StatusCode)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM distribution_runs`); n != 2 {
			t.Errorf("%d runs after the member's attempts", n)
		}
		// A run is reached only under its own opportunity.
		if r := c.get("/opportunities/" + db.NewID() + "/distributions/" + run.ID); r.StatusCode != http.StatusNotFound {
			t.Errorf("a run under another opportunity: %d", r.StatusCode)
		}
	})
}

func TestDistributionAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := distAppSetup(t, d)
		c := e.browser(e.coord, i18n.EN)
		var run volunteer.DistributionRun
		resp := c.json("POST", "/api/v1/opportunities/"+e.opp+"/distributions", volunteer.DistributionInput{
			Shifts: []string{e.sa, e.sb, e.sc}, Urgency: map[string]int{e.sb: 4}, TeamLeader: true}, &run)
		if resp.StatusCode != http.StatusAccepted || run.ID == "" || run.Status != volunteer.DistQueued || run.Settings.Urgency[e.sb] != 4 {
			t.Fatalf("start: %d %+v", resp.StatusCode, run)
		}
		if err := e.a.Volunteer.RunDistribution(e.ctx, run.ID); err != nil {
			t.Fatal(err)
		}
		var got volunteer.DistributionRun
		if resp := c.json("GET", "/api/v1/distributions/"+run.ID, nil, &got); resp.StatusCode != http.StatusOK ||
			got.Status != volunteer.DistDone || got.Progress != 1 || got.Result == nil || len(got.Result.Shifts) != 3 {
			t.Fatalf("get: %d %+v", resp.StatusCode, got)
		}
		a := got.Result.Shift(e.sa).Assignments[0]
		if a.Name == "" || a.Reason.Code == "" || a.RoleNameEn == "" {
			t.Errorf("assignment: %+v", a)
		}
		if got.Result.Engine.Filled < got.Result.Baseline.Filled || len(got.Result.Needs) != 1 {
			t.Errorf("figures: engine %+v baseline %+v needs %+v", got.Result.Engine, got.Result.Baseline, got.Result.Needs)
		}

		// Others get a problem, not the run.
		other := e.browser(e.vols["أمل"], i18n.EN)
		for _, call := range []struct{ method, path string }{
			{"GET", "/api/v1/distributions/" + run.ID},
			{"POST", "/api/v1/distributions/" + run.ID + "/apply"},
			{"POST", "/api/v1/distributions/" + run.ID + "/discard"},
			{"POST", "/api/v1/opportunities/" + e.opp + "/distributions"},
		} {
			var body any
			if call.method == "POST" {
				body = volunteer.DistributionInput{Shifts: []string{e.sa}}
			}
			if resp := other.json(call.method, call.path, body, nil); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s by a member: %d", call.method, call.path, resp.StatusCode)
			}
		}

		var rep volunteer.DistributionApplyReport
		if resp := c.json("POST", "/api/v1/distributions/"+run.ID+"/apply", nil, &rep); resp.StatusCode != http.StatusOK ||
			rep.Placed != got.Result.Placed() || rep.Notified < 5 {
			t.Fatalf("apply: %d %+v", resp.StatusCode, rep)
		}
		var problem struct {
			Type, Title string
			Status      int
		}
		if resp := c.json("POST", "/api/v1/distributions/"+run.ID+"/apply", nil, &problem); resp.StatusCode != http.StatusConflict ||
			problem.Type != "/problems/distribution-applied" || !strings.Contains(problem.Title, "applied only once") {
			t.Errorf("second apply: %d %+v", resp.StatusCode, problem)
		}
		if resp := c.json("GET", "/api/v1/distributions/"+run.ID, nil, &got); resp.StatusCode != http.StatusOK || got.Status != volunteer.DistApplied ||
			got.Result.Applied == nil || got.Result.Applied.Placed != rep.Placed {
			t.Errorf("applied run: %+v", got)
		}
		// An applied run cannot be discarded; a fresh one can, and then not applied.
		if resp := c.json("POST", "/api/v1/distributions/"+run.ID+"/discard", nil, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("discard an applied run: %d", resp.StatusCode)
		}
		var fresh, discarded volunteer.DistributionRun
		c.json("POST", "/api/v1/opportunities/"+e.opp+"/distributions", volunteer.DistributionInput{Shifts: []string{e.sc}}, &fresh)
		if resp := c.json("POST", "/api/v1/distributions/"+fresh.ID+"/discard", nil, &discarded); resp.StatusCode != http.StatusOK ||
			discarded.Status != volunteer.DistDiscarded {
			t.Errorf("discard: %d %+v", resp.StatusCode, discarded)
		}
		if resp := c.json("POST", "/api/v1/distributions/"+fresh.ID+"/apply", nil, nil); resp.StatusCode != http.StatusConflict {
			t.Errorf("apply a discarded run: %d", resp.StatusCode)
		}
	})
}
