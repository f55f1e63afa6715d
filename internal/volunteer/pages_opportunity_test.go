package volunteer_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// oppRawID is a catalogue id that reached a page untranslated.
var oppRawID = regexp.MustCompile(`\b(volunteer|error|org|pager)\.[a-z_]+\.[a-z_.]+\b`)

var oppLocation = regexp.MustCompile(`^/(opportunities|shifts)/([0-9a-f-]{36})$`)

func (r oppResp) check(t *testing.T, status int, texts ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d; body: %.600s", r.StatusCode, status, r.body)
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		if m := oppRawID.FindString(r.body); m != "" {
			t.Errorf("untranslated message id %q on the page", m)
		}
	}
}

// created returns the id in the Location a successful post redirects to.
func (r oppResp) created(t *testing.T, kind string) string {
	t.Helper()
	m := oppLocation.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != 303 || m == nil || m[1] != kind {
		t.Fatalf("post: %d to %q, want a redirect to /%s/{id}; body %.600s", r.StatusCode, r.Header.Get("Location"), kind, r.body)
	}
	return m[2]
}

// oppProfile gives u a volunteer profile (as the profile part would) with skills.
func (e *oppEnv) oppProfile(u *account.User, skills ...string) {
	e.t.Helper()
	now := db.Now()
	e.exec(`INSERT INTO volunteer_profiles (user_id, gender, birth_date, languages, calendar_key, charter_version, charter_accepted_at, created_at, updated_at)
		VALUES ($1, 'female', '1995-04-01', 'ar,en', $2, $3, $4, $4, $4)`, u.ID, db.NewID(), volunteer.CharterVersion, now)
	for _, k := range skills {
		e.exec(`INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, $2)`, u.ID, k)
	}
}

// oppOpportunityPagesJourney: a coordinator creates an opportunity, a shift
// and a weekly series through the forms; volunteers see roles and free
// places in both languages, with why they can or cannot sign up; only the
// coordinator sees the check-in code; cancelling is told on the page.
func oppOpportunityPagesJourney(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	coord := e.browser(owner, i18n.AR)

	coord.get("/organisations/"+o.ID+"/opportunities").check(t, 200, oppT(i18n.AR, "volunteer.opportunity.list.none"))
	coord.get("/organisations/"+o.ID+"/opportunities/new").check(t, 200, oppT(i18n.AR, "volunteer.opportunity.field.vetted_only_hint"), "تنظيم وتوزيع")
	form := url.Values{"title_ar": {""}, "title_en": {"Food basket packing"}, "category": {"food"}, "min_age": {"abc"}, "lat": {"24.5"},
		"status": {"published"}, "approval": {"auto"}, "gender_rule": {"any"}}
	coord.post("/organisations/"+o.ID+"/opportunities/new", form).check(t, 422, oppT(i18n.AR, "error.required"), oppT(i18n.AR, "error.number"),
		oppT(i18n.AR, "volunteer.opportunity.error.latlon_pair"), `value="Food basket packing"`)
	form.Set("title_ar", "تعبئة السلال الغذائية")
	form.Set("min_age", "١٦")
	form.Set("lat", "")
	form.Set("place_id", e.places["SA-03-MED-QBA"])
	form["skills"] = []string{"logistics"}
	form["languages"] = []string{"ar"}
	oppID := coord.post("/organisations/"+o.ID+"/opportunities/new", form).created(t, "opportunities")

	coord.get("/opportunities/"+oppID+"/shifts/new").check(t, 200, oppT(i18n.AR, "volunteer.shift.field.zone_hint"), `name="roles.4.slots"`, "قيادة السيارة")
	coord.get("/opportunities/"+oppID+"/series/new").check(t, 200, oppT(i18n.AR, "volunteer.series.new.intro"), `name="weekdays" value="6"`, `name="roles.0.name_ar"`)
	shiftForm := url.Values{"date": {e.day(4)}, "start": {"16:00"}, "end": {"15:00"}, "roles.0.name_ar": {"تعبئة"}, "roles.0.name_en": {"Packing"},
		"roles.0.slots": {"٦"}, "roles.1.name_ar": {"سائق توزيع"}, "roles.1.name_en": {"Delivery driver"}, "roles.1.slots": {"2"},
		"roles.1.skill_id": {"driving"}, "team_size": {"0"}, "signup_opens_days": {"14"}, "signup_closes_hours": {"2"}, "cancel_cutoff_hours": {"12"}}
	coord.post("/opportunities/"+oppID+"/shifts", shiftForm).check(t, 422, oppT(i18n.AR, "volunteer.shift.error.end_before_start"), `value="سائق توزيع"`)
	shiftForm.Set("end", "19:30")
	shiftID := coord.post("/opportunities/"+oppID+"/shifts", shiftForm).created(t, "shifts")
	seriesForm := url.Values{"weekdays": {"5", "6"}, "start": {"08:00"}, "duration_minutes": {"180"}, "from": {e.day(1)}, "until": {e.day(20)},
		"skip_dates": {e.day(2) + "\n"}, "roles.0.name_ar": {"تنظيف"}, "roles.0.slots": {"10"}, "signup_opens_days": {"7"}, "signup_closes_hours": {"0"},
		"cancel_cutoff_hours": {"0"}, "team_size": {"5"}}
	if r := coord.post("/opportunities/"+oppID+"/series", seriesForm); r.StatusCode != 303 || r.Header.Get("Location") != "/opportunities/"+oppID {
		t.Fatalf("series form: %d %s %.500s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	if n := e.count(`SELECT COUNT(*) FROM shifts WHERE opportunity_id = $1 AND series_id IS NOT NULL`, oppID); n < 4 {
		t.Fatalf("the weekly form made %d shifts", n)
	}

	sh, err := e.a.Volunteer.Shift(e.ctx, owner.Viewer(), shiftID)
	if err != nil {
		t.Fatal(err)
	}
	pack := sh.Roles[0]
	if pack.NameEn != "Packing" {
		pack = sh.Roles[1]
	}
	family := e.user("سارة", "sara@example.org", i18n.AR)
	e.signup(sh, pack.ID, family, "confirmed", 2)

	// Anonymous visitors, in both languages: roles, free places, requirements; no code.
	for _, lang := range []i18n.Lang{i18n.AR, i18n.EN} {
		loc := i18n.New(lang, i18n.Latin, nil)
		role, driver, skill := "تعبئة", "سائق توزيع", "تنظيم وتوزيع"
		if lang == i18n.EN {
			role, driver, skill = "Packing", "Delivery driver", "Logistics"
		}
		r := e.browser(nil, lang).get("/opportunities/" + oppID)
		r.check(t, 200, role, driver, skill, loc.N("volunteer.opportunity.free_places", 4),
			loc.N("volunteer.opportunity.places_taken", 6, "Taken", loc.Number(2)), loc.N("volunteer.opportunity.free_places", 2),
			loc.N("volunteer.opportunity.min_age_years", 16), loc.T("volunteer.gender_rule.any"), loc.T("volunteer.opportunity.show.sign_in"),
			loc.T("volunteer.opportunity.language_ar"), loc.DateTime(sh.StartsAt))
		if strings.Contains(r.body, sh.CheckinCode) {
			t.Errorf("%s: the check-in code is on the public page", lang)
		}
		if strings.Contains(r.body, `action="/shifts/`) {
			t.Errorf("%s: an anonymous visitor gets a sign-up form", lang)
		}
		rs := e.browser(nil, lang).get("/shifts/" + shiftID)
		rs.check(t, 200, role, loc.N("volunteer.opportunity.free_places", 4))
		if strings.Contains(rs.body, sh.CheckinCode) || strings.Contains(rs.body, loc.T("volunteer.shift.cancel.submit")) {
			t.Errorf("%s: the shift page shows the code or the cancel form to a visitor", lang)
		}
	}

	// A signed-in volunteer without the skill is told why, per role; one with it gets the form.
	lacking := e.user("John", "john@example.org", i18n.EN)
	e.oppProfile(lacking)
	r := e.browser(lacking, i18n.EN).get("/opportunities/" + oppID)
	r.check(t, 200, "This role needs the skill «Logistics», which is not in your profile.", "Not open to you")
	if strings.Contains(r.body, `name="role_id"`) {
		t.Error("a refused volunteer gets a sign-up form")
	}
	able := e.user("نورة", "noura@example.org", i18n.AR)
	e.oppProfile(able, "logistics")
	r = e.browser(able, i18n.AR).get("/opportunities/" + oppID)
	r.check(t, 200, oppT(i18n.AR, "volunteer.outcome.signed_up"), `action="/shifts/`+shiftID+`/signup"`, `name="role_id" value="`+pack.ID+`"`,
		`name="party_size"`, oppT(i18n.AR, "volunteer.opportunity.show.sign_up"),
		"يحتاج هذا الدور إلى مهارة «قيادة السيارة»، وهي ليست في ملفك.")
	if rs := e.browser(able, i18n.AR).get("/shifts/" + shiftID); strings.Contains(rs.body, sh.CheckinCode) {
		t.Error("a volunteer sees the check-in code")
	}
	noProfile := e.user("Omar", "omar@example.org", i18n.EN)
	e.browser(noProfile, i18n.EN).get("/opportunities/"+oppID).check(t, 200, "Fill in your volunteer profile to sign up")

	// The coordinator sees the code, the series and the list.
	coord.get("/shifts/"+shiftID).check(t, 200, sh.CheckinCode, oppT(i18n.AR, "volunteer.shift.cancel.submit"))
	coord.get("/opportunities/"+oppID).check(t, 200, oppT(i18n.AR, "volunteer.series.list.title"), "السبت، الجمعة", oppT(i18n.AR, "volunteer.opportunity.edit.link"))
	coord.get("/organisations/"+o.ID+"/opportunities").check(t, 200, "تعبئة السلال الغذائية", oppT(i18n.AR, "volunteer.opportunity.status.published"))

	// Edit: archiving closes sign-up on the page.
	edit := coord.get("/opportunities/" + oppID + "/edit")
	edit.check(t, 200, `value="تعبئة السلال الغذائية"`, `value="16"`)
	if strings.Contains(edit.body, `value="24.44"`) {
		t.Error("the place's centre is shown as if the coordinator had typed it")
	}
	form.Set("status", "archived")
	if r := coord.post("/opportunities/"+oppID+"/edit", form); r.StatusCode != 303 {
		t.Fatalf("edit: %d %.400s", r.StatusCode, r.body)
	}
	e.browser(able, i18n.AR).get("/opportunities/"+oppID).check(t, 200, oppT(i18n.AR, "volunteer.opportunity.show.archived_note"))
	form.Set("status", "published")
	coord.post("/opportunities/"+oppID+"/edit", form)

	// Cancelling through the page.
	if r := coord.post("/shifts/"+shiftID+"/cancel", url.Values{"reason": {"عطل في المستودع"}}); r.StatusCode != 303 || r.Header.Get("Location") != "/shifts/"+shiftID {
		t.Fatalf("cancel: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	coord.get("/shifts/"+shiftID).check(t, 200, oppT(i18n.AR, "volunteer.shift.flash.cancelled"), oppT(i18n.AR, "volunteer.shift.show.cancelled_note"))
	coord.post("/shifts/"+shiftID+"/cancel", url.Values{})
	coord.get("/shifts/"+shiftID).check(t, 200, oppT(i18n.AR, "volunteer.shift.error.already_cancelled"))
	if mails := e.mails(); len(mails) == 0 || mails[len(mails)-1].To != "sara@example.org" {
		t.Errorf("the family on the shift was not told: %+v", mails)
	}
}

// oppOpportunityPagesPermissions: drafts and coordinator screens are closed
// to everyone else.
func oppOpportunityPagesPermissions(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	member := e.user("منى", "mona@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	e.join(o, member, org.RoleMember)
	draft := e.opportunity(owner.Viewer(), o, oppInput(volunteer.OppDraft))
	m := e.browser(member, i18n.EN)
	m.get("/opportunities/"+draft.ID).check(t, 404)
	m.get("/organisations/"+o.ID+"/opportunities").check(t, 403)
	m.get("/organisations/"+o.ID+"/opportunities/new").check(t, 403)
	m.post("/organisations/"+o.ID+"/opportunities/new", url.Values{"title_ar": {"x"}, "category": {"food"}}).check(t, 403)
	if r := e.browser(nil, i18n.EN).get("/organisations/" + o.ID + "/opportunities/new"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
		t.Errorf("anonymous new form: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	e.browser(owner, i18n.EN).get("/opportunities/"+draft.ID).check(t, 200, "Draft", "only your organisation's coordinators can see it",
		"No shifts are planned at the moment.")
	// A pending organisation's coordinator is told why publishing is refused.
	other := e.user("ريم", "reem@example.org", i18n.AR)
	pending := e.org(other, "فريق الخير", "Al-Khair Team", false)
	r := e.browser(other, i18n.EN).post("/organisations/"+pending.ID+"/opportunities/new",
		url.Values{"title_ar": {"زيارة المسنين"}, "category": {"elderly"}, "status": {"published"}, "vetted_only": {"1"}})
	r.check(t, 422, "Only a verified organisation can publish", `name="vetted_only" value="1" checked`)
}

// TestOpportunityPages: the screens, through the real router.
func TestOpportunityPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := oppSetup(t, d)
		t.Run("journey", func(t *testing.T) { oppOpportunityPagesJourney(t, e) })
		t.Run("permissions", func(t *testing.T) { oppOpportunityPagesPermissions(t, e) })
	})
}
