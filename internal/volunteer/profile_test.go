package volunteer_test

import (
	"errors"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// profValidForm is a complete profile as a person types it, Arabic-Indic
// digits included.
func profValidForm(e *profEnv) url.Values {
	return url.Values{
		"charter_accepted": {"1"},
		"skills":           {"first_aid", "cooking"},
		"languages":        {"ar", "en"},
		"interests":        {"food", "elderly"},
		"availability.0":   {"٠٩:٠٠–١٢:٠٠، ١٦:٠٠–٢٠:٠٠"},
		"availability.5":   {"08:00-11:00"},
		"home_place_id":    {e.places["SA-03-MED-QBA-N1"]},
		"travel_radius_km": {"١٥"},
		"max_hours_week":   {"10"},
		"max_shifts_week":  {"٣"},
		"gender":           {"female"},
		"birth_date":       {"١٩٩٥-٠٤-٢٣"},
		"emergency_name":   {"أم سارة"},
		"emergency_phone":  {"+966 ٥٠ ١٢٣ ٤٥٦٧"},
	}
}

var riyadh = func() *time.Location {
	z, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		return time.FixedZone("AST", 3*3600)
	}
	return z
}()

type profCase struct {
	name  string
	set   map[string][]string // nil value: field left out
	field string
	msgID string
}

func profCases() []profCase {
	today := time.Now().In(riyadh)
	day := func(t time.Time) []string { return []string{t.Format(time.DateOnly)} }
	return []profCase{
		{"charter not accepted", map[string][]string{"charter_accepted": nil}, "charter_accepted", "volunteer.charter.error.required"},
		{"unknown skill", map[string][]string{"skills": {"juggling"}}, "skills", "error.choice"},
		{"no language", map[string][]string{"languages": nil}, "languages", "volunteer.profile.error.languages_required"},
		{"unknown language", map[string][]string{"languages": {"xx"}}, "languages", "error.choice"},
		{"unknown interest", map[string][]string{"interests": {"music"}}, "interests", "error.choice"},
		{"window in words", map[string][]string{"availability.1": {"صباحًا"}}, "availability.1", "volunteer.profile.error.window_format"},
		{"window ends before it starts", map[string][]string{"availability.2": {"14:00-10:00"}}, "availability.2", "volunteer.profile.error.window_order"},
		{"windows overlap", map[string][]string{"availability.3": {"09:00-12:00, 11:00-13:00"}}, "availability.3", "volunteer.profile.error.window_overlap"},
		{"three windows", map[string][]string{"availability.4": {"06:00-07:00, 08:00-09:00, 10:00-11:00"}}, "availability.4", "volunteer.profile.error.window_count"},
		{"unknown place", map[string][]string{"home_place_id": {"nowhere"}}, "home_place_id", "error.choice"},
		{"latitude alone", map[string][]string{"lat": {"24.5"}}, "lon", "volunteer.profile.error.latlon_pair"},
		{"latitude out of range", map[string][]string{"lat": {"95"}, "lon": {"39"}}, "lat", "volunteer.profile.error.lat"},
		{"longitude out of range", map[string][]string{"lat": {"24"}, "lon": {"٢٠٠"}}, "lon", "volunteer.profile.error.lon"},
		{"latitude in words", map[string][]string{"lat": {"north"}, "lon": {"39"}}, "lat", "error.number"},
		{"no radius", map[string][]string{"travel_radius_km": nil}, "travel_radius_km", "error.required"},
		{"radius in words", map[string][]string{"travel_radius_km": {"far"}}, "travel_radius_km", "error.number"},
		{"radius zero", map[string][]string{"travel_radius_km": {"0"}}, "travel_radius_km", "volunteer.profile.error.radius"},
		{"radius too far", map[string][]string{"travel_radius_km": {"٥٠١"}}, "travel_radius_km", "volunteer.profile.error.radius"},
		{"too many hours", map[string][]string{"max_hours_week": {"169"}}, "max_hours_week", "volunteer.profile.error.max_hours"},
		{"negative hours", map[string][]string{"max_hours_week": {"-1"}}, "max_hours_week", "volunteer.profile.error.max_hours"},
		{"too many shifts", map[string][]string{"max_shifts_week": {"51"}}, "max_shifts_week", "volunteer.profile.error.max_shifts"},
		{"unknown gender", map[string][]string{"gender": {"other"}}, "gender", "error.choice"},
		{"no such day", map[string][]string{"birth_date": {"2001-02-30"}}, "birth_date", "volunteer.profile.error.date"},
		{"date written another way", map[string][]string{"birth_date": {"23/04/1995"}}, "birth_date", "volunteer.profile.error.date"},
		{"born tomorrow", map[string][]string{"birth_date": day(today.AddDate(0, 0, 1))}, "birth_date", "volunteer.profile.error.birth_future"},
		{"nine years old", map[string][]string{"birth_date": day(today.AddDate(-9, 0, 0))}, "birth_date", "volunteer.profile.error.too_young"},
		{"111 years old", map[string][]string{"birth_date": day(today.AddDate(-111, 0, 0))}, "birth_date", "volunteer.profile.error.too_old"},
		{"contact name too long", map[string][]string{"emergency_name": {strings.Repeat("س", 101)}}, "emergency_name", "volunteer.profile.error.name_long"},
		{"contact without phone", map[string][]string{"emergency_phone": nil}, "emergency_phone", "volunteer.profile.error.contact_pair"},
		{"phone without contact", map[string][]string{"emergency_name": nil}, "emergency_name", "volunteer.profile.error.contact_pair"},
		{"phone in words", map[string][]string{"emergency_phone": {"call my mother"}}, "emergency_phone", "volunteer.profile.error.phone"},
	}
}

func (c profCase) form(e *profEnv) url.Values {
	f := profValidForm(e)
	for k, v := range c.set {
		if v == nil {
			delete(f, k)
		} else {
			f[k] = v
		}
	}
	return f
}

// TestProfilePart runs the profile part's journeys on each database, over
// one app and database per dialect: migrating a fresh database is most of
// a test's time.
func TestProfilePart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := profileSetup(t, d)
		for _, c := range []struct {
			name string
			fn   func(*testing.T, *profEnv)
		}{
			{"profile with every validation error", profProfileCreateAndEditWithEveryValidationError},
			{"time away", profProfileTimeAway},
			{"API", profProfileAPI},
			{"verified skills", profVerifySkill},
			{"calendar feed", profCalendarFeed},
			{"my shifts and hours", profMyShiftsPagesAndTotals},
			{"organisation settings", profOrgVolunteeringSettings},
		} {
			t.Run(c.name, func(t *testing.T) { c.fn(t, e.sub(t)) })
		}
	})
}

func profProfileCreateAndEditWithEveryValidationError(t *testing.T, e *profEnv) {
	u := e.user("سارة", "sara@example.org", i18n.AR)
	ar, en := e.browser(u, i18n.AR), e.browser(u, i18n.EN)

	// Anonymous people are sent to sign in first.
	if r := e.browser(nil, i18n.AR).get("/volunteer/profile"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
		t.Fatalf("anonymous: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r := ar.get("/volunteer/profile")
	if r.StatusCode != 200 || !strings.Contains(r.body, "أنشئ ملفك التطوعي") || !strings.Contains(r.body, "ميثاق المتطوع") ||
		!strings.Contains(r.body, `name="charter_accepted"`) {
		t.Fatalf("first visit does not offer to create the profile with the charter: %d", r.StatusCode)
	}

	// Creation, in Arabic: every problem is named on its field and nothing is saved.
	for _, c := range profCases() {
		r := ar.post("/volunteer/profile", c.form(e))
		if r.StatusCode != 422 {
			t.Errorf("%s: status %d, want 422", c.name, r.StatusCode)
			continue
		}
		profFieldError(t, r.body, c.field, c.msgID, i18n.AR)
	}
	if _, err := e.a.Volunteer.Profile(e.ctx, u.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("a refused form created a profile: %v", err)
	}
	// What was typed stays on the form.
	r = ar.post("/volunteer/profile", profCases()[0].form(e))
	if !strings.Contains(r.body, `value="أم سارة"`) || !regexp.MustCompile(`value="cooking" checked`).MatchString(r.body) {
		t.Error("the refused form lost what was typed")
	}

	// A good form creates the profile, charter version and time included.
	before := time.Now().Add(-time.Second)
	r = ar.post("/volunteer/profile", profValidForm(e))
	if r.StatusCode != 303 || r.Header.Get("Location") != "/volunteer/profile" {
		t.Fatalf("create: %d %s\n%.2000s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	p, err := e.a.Volunteer.Profile(e.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.CharterVersion != volunteer.CharterVersion || p.CharterAcceptedAt.Before(before) {
		t.Errorf("charter %s at %v", p.CharterVersion, p.CharterAcceptedAt)
	}
	want := []volunteer.Window{{Weekday: time.Sunday, StartMinute: 540, EndMinute: 720}, {Weekday: time.Sunday, StartMinute: 960, EndMinute: 1200},
		{Weekday: time.Friday, StartMinute: 480, EndMinute: 660}}
	if !reflect.DeepEqual(p.Availability, want) {
		t.Errorf("availability %v, want %v", p.Availability, want)
	}
	if !reflect.DeepEqual(p.Skills, []volunteer.ProfileSkill{{SkillID: "cooking"}, {SkillID: "first_aid"}}) ||
		!reflect.DeepEqual(p.Languages, []string{"ar", "en"}) || !reflect.DeepEqual(p.Interests, []string{"food", "elderly"}) {
		t.Errorf("skills %v languages %v interests %v", p.Skills, p.Languages, p.Interests)
	}
	// The neighbourhood has no centre of its own: its district's is used.
	if p.HomePlaceID != e.places["SA-03-MED-QBA-N1"] || p.Lat == nil || *p.Lat != 24.44 || *p.Lon != 39.62 {
		t.Errorf("home %s at %v,%v", p.HomePlaceID, p.Lat, p.Lon)
	}
	if p.TravelRadiusKm != 15 || p.MaxHoursWeek != 10 || p.MaxShiftsWeek != 3 || p.Gender != volunteer.Female || p.BirthDate != "1995-04-23" ||
		p.EmergencyName != "أم سارة" || p.EmergencyPhone != "+966 50 123 4567" || p.RemindersOptOut {
		t.Errorf("saved %+v", p)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(p.CalendarKey) {
		t.Errorf("calendar key %q is not a 256-bit URL-safe secret", p.CalendarKey)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.profile.create' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d audit entries for the creation", n)
	}

	// The page now edits the profile; the charter is not asked again.
	r = en.get("/volunteer/profile")
	if r.StatusCode != 200 || !strings.Contains(r.body, "My volunteer profile") || strings.Contains(r.body, `name="charter_accepted"`) ||
		!strings.Contains(r.body, "You accepted the volunteer charter (version "+volunteer.CharterVersion+")") {
		t.Fatalf("edit page: %d", r.StatusCode)
	}
	if !strings.Contains(r.body, `value="09:00–12:00، 16:00–20:00"`) || !strings.Contains(r.body, `value="15"`) {
		t.Error("the edit page does not show the saved availability and radius")
	}
	// The location that is only the neighbourhood's centre is not shown as typed.
	if strings.Contains(r.body, `value="24.44"`) {
		t.Error("the neighbourhood's centre is shown as the person's own location")
	}

	// Editing, in English: the same problems, in English, and nothing changes.
	for _, c := range profCases()[1:] {
		r := en.post("/volunteer/profile", c.form(e))
		if r.StatusCode != 422 {
			t.Errorf("edit %s: status %d, want 422", c.name, r.StatusCode)
			continue
		}
		profFieldError(t, r.body, c.field, c.msgID, i18n.EN)
	}
	if p2, _ := e.a.Volunteer.Profile(e.ctx, u.ID); !p2.Updated.Equal(p.Updated) {
		t.Error("a refused edit changed the profile")
	}

	// A good edit needs no charter; a new neighbourhood brings its centre.
	f := profValidForm(e)
	delete(f, "charter_accepted")
	f.Set("home_place_id", e.places["SA-03-MED-AZZ"])
	f.Set("travel_radius_km", "25")
	f.Set("reminders_opt_out", "1")
	f.Set("next", "/volunteer/shifts")
	r = en.post("/volunteer/profile", f)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/volunteer/shifts" {
		t.Fatalf("edit: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	p2, err := e.a.Volunteer.Profile(e.ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p2.TravelRadiusKm != 25 || !p2.RemindersOptOut || *p2.Lat != 24.40 || *p2.Lon != 39.58 || !p2.CharterAcceptedAt.Equal(p.CharterAcceptedAt) ||
		p2.CalendarKey != p.CalendarKey {
		t.Errorf("after edit %+v", p2)
	}
	// A location the person gives is kept and shown.
	f.Set("lat", "٢٤٫٤٥")
	f.Set("lon", "39.6")
	if r := en.post("/volunteer/profile", f); r.StatusCode != 303 {
		t.Fatalf("edit with a location: %d", r.StatusCode)
	}
	if p3, _ := e.a.Volunteer.Profile(e.ctx, u.ID); *p3.Lat != 24.45 || *p3.Lon != 39.6 {
		t.Errorf("own location %v,%v", *p3.Lat, *p3.Lon)
	}
	if r := en.get("/volunteer/profile"); !strings.Contains(r.body, `value="24.45"`) {
		t.Error("the person's own location is not shown")
	}
	// An open redirect is refused.
	f.Set("next", "https://evil.example/")
	if r := en.post("/volunteer/profile", f); r.Header.Get("Location") != "/volunteer/profile" {
		t.Errorf("next went to %s", r.Header.Get("Location"))
	}
}

func profProfileTimeAway(t *testing.T, e *profEnv) {
	u := e.user("Omar", "omar@example.org", i18n.EN)
	b := e.browser(u, i18n.EN)
	// Time away needs a profile first.
	if r := b.post("/volunteer/profile/exceptions", url.Values{"starts_on": {"2099-01-01"}, "ends_on": {"2099-01-05"}}); r.StatusCode != 409 ||
		!strings.Contains(r.body, "Create your volunteer profile first") {
		t.Fatalf("away without a profile: %d", r.StatusCode)
	}
	if r := b.post("/volunteer/profile", profValidForm(e)); r.StatusCode != 303 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	today := time.Now().In(riyadh)
	start, end := today.AddDate(0, 1, 0), today.AddDate(0, 1, 6)
	toArabic := strings.NewReplacer("0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤", "5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩")
	for _, c := range []struct {
		name        string
		form        url.Values
		field, msg  string
		lang        i18n.Lang
		arabicPosts bool
	}{
		{"no start", url.Values{"ends_on": {end.Format(time.DateOnly)}}, "starts_on", "error.required", i18n.EN, false},
		{"no such day", url.Values{"starts_on": {"2099-02-30"}, "ends_on": {"2099-03-02"}}, "starts_on", "volunteer.profile.error.date", i18n.EN, false},
		{"back to front", url.Values{"starts_on": {end.Format(time.DateOnly)}, "ends_on": {start.Format(time.DateOnly)}}, "ends_on", "volunteer.profile.error.away_order", i18n.AR, true},
		{"over", url.Values{"starts_on": {"2020-01-01"}, "ends_on": {"2020-01-03"}}, "ends_on", "volunteer.profile.error.away_past", i18n.AR, false},
		{"too long", url.Values{"starts_on": {start.Format(time.DateOnly)}, "ends_on": {start.AddDate(1, 1, 0).Format(time.DateOnly)}}, "ends_on", "volunteer.profile.error.away_long", i18n.EN, false},
		{"long note", url.Values{"starts_on": {start.Format(time.DateOnly)}, "ends_on": {end.Format(time.DateOnly)}, "note": {strings.Repeat("x", 201)}}, "note", "volunteer.profile.error.note_long", i18n.EN, false},
	} {
		br := e.browser(u, c.lang)
		r := br.post("/volunteer/profile/exceptions", c.form)
		if r.StatusCode != 422 {
			t.Errorf("%s: %d, want 422", c.name, r.StatusCode)
			continue
		}
		profFieldError(t, r.body, c.field, c.msg, c.lang)
	}
	// Dates typed in Arabic-Indic digits are read.
	r := b.post("/volunteer/profile/exceptions", url.Values{"starts_on": {toArabic.Replace(start.Format(time.DateOnly))},
		"ends_on": {toArabic.Replace(end.Format(time.DateOnly))}, "note": {"Umrah trip"}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/volunteer/profile#away" {
		t.Fatalf("add: %d\n%.1500s", r.StatusCode, r.body)
	}
	p, _ := e.a.Volunteer.Profile(e.ctx, u.ID)
	if len(p.Exceptions) != 1 || p.Exceptions[0].StartsOn != start.Format(time.DateOnly) || p.Exceptions[0].Note != "Umrah trip" {
		t.Fatalf("exceptions %+v", p.Exceptions)
	}
	r = b.get("/volunteer/profile")
	if !strings.Contains(r.body, "Umrah trip") || !strings.Contains(r.body, "From "+start.Weekday().String()) {
		t.Error("the page does not list the time away")
	}
	// Someone else cannot remove it.
	other := e.user("Huda", "huda@example.org", i18n.EN)
	if r := e.browser(other, i18n.EN).post("/volunteer/profile/exceptions/"+p.Exceptions[0].ID+"/remove", nil); r.StatusCode != 404 {
		t.Errorf("another person's removal: %d", r.StatusCode)
	}
	if r := b.post("/volunteer/profile/exceptions/"+p.Exceptions[0].ID+"/remove", nil); r.StatusCode != 303 {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	if p, _ := e.a.Volunteer.Profile(e.ctx, u.ID); len(p.Exceptions) != 0 {
		t.Fatal("not removed")
	}
	if r := b.get("/volunteer/profile"); !strings.Contains(r.body, "No time away recorded.") {
		t.Error("no empty state for time away")
	}
}

func profProfileAPI(t *testing.T, e *profEnv) {
	u := e.user("Lina", "lina@example.org", i18n.EN)
	tok := e.token(u)
	var problem httpx.Problem
	if r := e.api(tok, "GET", "/api/v1/volunteer/profile", nil, &problem); r.StatusCode != 404 {
		t.Fatalf("before creation: %d", r.StatusCode)
	}
	if r := e.api("", "GET", "/api/v1/volunteer/profile", nil, nil); r.StatusCode != 401 {
		t.Fatalf("anonymous: %d", r.StatusCode)
	}
	in := volunteer.ProfileInput{Skills: []string{"driving"}, Languages: []string{"ar"}, TravelRadiusKm: 5,
		Availability: []volunteer.WindowInput{{Weekday: 6, Start: "١٧:٠٠", End: "21:30"}},
		Exceptions:   []volunteer.AwayInput{{StartsOn: "2099-05-01", EndsOn: "2099-05-03", Note: "exams"}}}
	problem = httpx.Problem{}
	if r := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &problem); r.StatusCode != 422 ||
		problem.Errors["charter_accepted"] != "You must accept the volunteer charter" {
		t.Fatalf("creation without the charter: %d %+v", r.StatusCode, problem)
	}
	in.CharterAccepted = true
	var got volunteer.ProfileView
	if r := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &got); r.StatusCode != 201 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	if got.CharterVersion != volunteer.CharterVersion || !got.CharterCurrent || len(got.Availability) != 1 ||
		got.Availability[0] != (volunteer.WindowInput{Weekday: 6, Start: "17:00", End: "21:30"}) || len(got.Exceptions) != 1 ||
		!strings.HasPrefix(got.CalendarURL, "https://sharaka.test/calendar/") || !strings.HasSuffix(got.CalendarURL, ".ics") {
		t.Fatalf("created %+v", got)
	}
	// A later save needs no charter; without "exceptions" they are kept.
	in.CharterAccepted, in.Exceptions, in.TravelRadiusKm = false, nil, 30
	got = volunteer.ProfileView{}
	if r := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &got); r.StatusCode != 200 || got.TravelRadiusKm != 30 || len(got.Exceptions) != 1 {
		t.Fatalf("update: %d %+v", r.StatusCode, got)
	}
	in.Exceptions = []volunteer.AwayInput{}
	if r := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &got); r.StatusCode != 200 || len(got.Exceptions) != 0 {
		t.Fatalf("clearing exceptions: %d %+v", r.StatusCode, got.Exceptions)
	}
	in.Exceptions = []volunteer.AwayInput{{StartsOn: "2099-05-03", EndsOn: "2099-05-01"}}
	problem = httpx.Problem{}
	if r := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &problem); r.StatusCode != 422 || problem.Errors["exceptions[0].ends_on"] == "" {
		t.Fatalf("bad exception: %d %+v", r.StatusCode, problem)
	}
	var skills volunteer.SkillList
	if r := e.api("", "GET", "/api/v1/skills", nil, &skills); r.StatusCode != 200 || len(skills.Items) < 10 || skills.Items[0].NameAr == "" {
		t.Fatalf("skills: %d %+v", r.StatusCode, skills)
	}
	var list volunteer.MyShiftList
	if r := e.api(tok, "GET", "/api/v1/volunteer/shifts?when=past", nil, &list); r.StatusCode != 200 || list.Items == nil || len(list.Items) != 0 {
		t.Fatalf("my shifts: %d %+v", r.StatusCode, list)
	}
	if r := e.api(tok, "GET", "/api/v1/volunteer/shifts?when=someday", nil, nil); r.StatusCode != 422 {
		t.Fatalf("bad when: %d", r.StatusCode)
	}
	if r := e.api("", "GET", "/api/v1/volunteer/shifts", nil, nil); r.StatusCode != 401 {
		t.Fatalf("anonymous shifts: %d", r.StatusCode)
	}
}

func profVerifySkill(t *testing.T, e *profEnv) {
	owner := e.user("Owner", "owner@example.org", i18n.EN)
	coord := e.user("Coordinator", "coord@example.org", i18n.EN)
	member := e.user("Member", "member@example.org", i18n.EN)
	vol := e.user("Volunteer", "vol@example.org", i18n.EN)
	o := e.org(owner, "جمعية البر", "Al-Birr Society")
	e.join(o, coord, org.RoleCoordinator)
	e.join(o, member, org.RoleMember)
	b := e.browser(vol, i18n.EN)
	if r := b.post("/volunteer/profile", profValidForm(e)); r.StatusCode != 303 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	svc := e.a.Volunteer
	if err := svc.VerifySkill(e.ctx, member.Viewer(), o.ID, vol.ID, "first_aid"); !errors.Is(err, httpx.ErrForbidden) {
		t.Fatalf("a plain member verified a skill: %v", err)
	}
	if err := svc.VerifySkill(e.ctx, e.admin, o.ID, vol.ID, "first_aid"); !errors.Is(err, httpx.ErrForbidden) {
		t.Fatalf("a platform admin is not a coordinator: %v", err)
	}
	if err := svc.VerifySkill(e.ctx, coord.Viewer(), o.ID, vol.ID, "driving"); !errors.Is(err, volunteer.ErrSkillNotClaimed) {
		t.Fatalf("an unlisted skill: %v", err)
	}
	if err := svc.VerifySkill(e.ctx, coord.Viewer(), o.ID, vol.ID, "first_aid"); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.skill.verify' AND org_id = $1`, o.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	if r := b.get("/volunteer/profile"); !strings.Contains(r.body, "Verified by Al-Birr Society") {
		t.Error("the profile page shows no verification badge")
	}
	// Saving the profile keeps a verified skill verified; dropping it loses it.
	f := profValidForm(e)
	if r := b.post("/volunteer/profile", f); r.StatusCode != 303 {
		t.Fatalf("save: %d", r.StatusCode)
	}
	p, _ := svc.Profile(e.ctx, vol.ID)
	if !reflect.DeepEqual(p.Skills, []volunteer.ProfileSkill{{SkillID: "cooking"}, {SkillID: "first_aid", VerifiedBy: o.ID}}) {
		t.Fatalf("skills after save %v", p.Skills)
	}
	f["skills"] = []string{"cooking"}
	b.post("/volunteer/profile", f)
	f["skills"] = []string{"cooking", "first_aid"}
	b.post("/volunteer/profile", f)
	if p, _ := svc.Profile(e.ctx, vol.ID); !reflect.DeepEqual(p.Skills, []volunteer.ProfileSkill{{SkillID: "cooking"}, {SkillID: "first_aid"}}) {
		t.Fatalf("a skill dropped and listed again kept its verification: %v", p.Skills)
	}
}
