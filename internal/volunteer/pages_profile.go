package volunteer

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

func (p *Pages) profileRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /volunteer/profile", h(p.profile))
	mux.Handle("POST /volunteer/profile", h(p.saveProfile))
	mux.Handle("POST /volunteer/profile/calendar-key", h(p.newCalendarKey))
	mux.Handle("POST /volunteer/profile/exceptions", h(p.addAway))
	mux.Handle("POST /volunteer/profile/exceptions/{id}/remove", h(p.removeAway))
	mux.Handle("GET /volunteer/shifts", h(p.myShifts))
	mux.Handle("GET /calendar/{file}", h(p.calendar))
	mux.Handle("GET /organisations/{id}/volunteering/settings", h(p.orgSettingsForm))
	mux.Handle("POST /organisations/{id}/volunteering/settings", h(p.saveOrgSettings))
}

// profFieldErrors returns the per-field messages of a validation failure,
// or false for any other error, which the caller passes on.
func profFieldErrors(err error) (*httpx.Error, bool) {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		return he, true
	}
	return nil, false
}

func profViewer(r *http.Request) (*httpx.Viewer, error) {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return v, nil
	}
	return nil, httpx.ErrUnauthorized
}

// profChoice is one checkbox of a group.
type profChoice struct {
	Value, Label string
	Checked      bool
	// Verified names the organisation that verified a skill ("" when none).
	Verified   bool
	VerifiedBy string
}

type awayRow struct {
	Away
	From, To time.Time
	Past     bool
}

// profileSel is what the checkbox groups had ticked.
type profileSel struct{ Skills, Languages, Interests []string }

type profilePage struct {
	web.Page
	Creating bool
	// CharterDue: the charter is shown with its checkbox (creation, or a new version).
	CharterDue bool
	Profile    *Profile
	Form       *web.Form
	Next       string
	Skills     []profChoice
	Languages  []profChoice
	Interests  []profChoice
	Days       []web.FieldData
	HomePlace  web.FieldData
	Gender     web.FieldData
	Aways      []awayRow
	AwayForm   *web.Form
	Calendar   string
	Webcal     template.URL
}

// dayOrder is the week as the platform counts it (see WeekStart), Saturday first.
var dayOrder = []time.Weekday{time.Saturday, time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func profCollator(lang i18n.Lang) *collate.Collator {
	tag := language.Arabic
	if lang == i18n.EN {
		tag = language.English
	}
	return collate.New(tag, collate.IgnoreCase)
}

// renderProfile shows the profile form: f and sel carry what was typed
// (nil: the saved profile, or the defaults of a new one), af the form for a
// period away.
func (p *Pages) renderProfile(w http.ResponseWriter, r *http.Request, status int, f *web.Form, sel *profileSel, af *web.Form) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	prof, err := p.svc.Profile(ctx, v.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	title := "volunteer.profile.title"
	if prof == nil {
		title = "volunteer.profile.create_title"
	}
	pg := profilePage{Page: p.site.NewPage(w, r, title), Creating: prof == nil, Profile: prof, AwayForm: af}
	pg.CharterDue = prof == nil || prof.CharterVersion != CharterVersion
	if pg.AwayForm == nil {
		pg.AwayForm = web.EmptyForm()
	}
	if f == nil {
		if f, sel, err = p.profileValues(r, pg.Locale, prof); err != nil {
			return err
		}
	}
	pg.Form = f
	pg.Next = web.SafeNext(f.Get("next"), "")
	if pg.Next == "" {
		pg.Next = web.SafeNext(r.URL.Query().Get("next"), "")
	}
	if err := p.profileChoices(r, &pg, sel); err != nil {
		return err
	}
	for _, d := range dayOrder {
		fd := pg.Field(f, AvailabilityField(d), "volunteer.profile.day."+strings.ToLower(d.String()), "text")
		pg.Days = append(pg.Days, fd)
	}
	places, err := p.svc.orgs.PlaceOptions(ctx, pg.Lang)
	if err != nil {
		return err
	}
	pg.HomePlace = pg.Field(f, "home_place_id", "volunteer.profile.home_place", "select")
	pg.HomePlace.Options = append(pg.HomePlace.Options, web.Option{Value: "", Label: pg.T("volunteer.profile.home_place_none")})
	for _, o := range places {
		o.Selected = o.Value == pg.HomePlace.Value && o.Value != ""
		pg.HomePlace.Options = append(pg.HomePlace.Options, o)
	}
	pg.Gender = pg.Select(f, "gender", "volunteer.profile.gender", []string{"", "volunteer.profile.gender_unset",
		string(Female), "volunteer.profile.gender_female", string(Male), "volunteer.profile.gender_male"}, "hint=volunteer.profile.gender_hint")
	if prof != nil {
		today := p.svc.profToday()
		for _, a := range prof.Exceptions {
			row := awayRow{Away: a}
			if _, from, ok := profParseDate(a.StartsOn); ok {
				row.From = time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, p.svc.zone)
			}
			if _, to, ok := profParseDate(a.EndsOn); ok {
				row.To = time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, p.svc.zone)
				row.Past = to.Before(today)
			}
			pg.Aways = append(pg.Aways, row)
		}
		pg.Calendar = p.svc.CalendarURL(prof.CalendarKey)
		pg.Webcal = webcalURL(pg.Calendar)
	}
	return p.site.Render(w, status, "volunteer/profile", pg)
}

// webcalURL is the subscription form of a feed address, which calendar apps open directly.
// It is built from the configured base address and a key of URL-safe
// characters only, so it is safe to put in an href.
func webcalURL(u string) template.URL {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		return template.URL("webcal://" + rest)
	}
	return template.URL(u)
}

// profileValues fills the form from the saved profile, or with the
// defaults of a new one (Arabic, 10 km, the account's home place).
func (p *Pages) profileValues(r *http.Request, loc *i18n.Locale, prof *Profile) (*web.Form, *profileSel, error) {
	ctx := r.Context()
	f := web.EmptyForm()
	num := func(n int) string { return loc.Digitize(strconv.Itoa(n)) }
	if prof == nil {
		home, err := accountHomePlace(ctx, p.svc.db.R, httpx.ViewerFrom(ctx).ID)
		if err != nil {
			return nil, nil, err
		}
		f.Values["home_place_id"] = home
		f.Values["travel_radius_km"] = num(defaultRadiusKm)
		f.Values["max_hours_week"], f.Values["max_shifts_week"] = num(0), num(0)
		return f, &profileSel{Languages: []string{"ar"}}, nil
	}
	for _, d := range dayOrder {
		f.Values[AvailabilityField(d)] = loc.Digitize(FormatDayWindows(prof.Availability, d))
	}
	f.Values["home_place_id"] = prof.HomePlaceID
	// A location that is only the neighbourhood's centre is left out, so
	// that a new neighbourhood brings its own centre.
	if prof.Lat != nil && prof.Lon != nil {
		own := true
		if prof.HomePlaceID != "" {
			lat, lon, err := p.svc.profileCentroid(ctx, prof.HomePlaceID)
			if err != nil {
				return nil, nil, err
			}
			own = lat == nil || *lat != *prof.Lat || *lon != *prof.Lon
		}
		if own {
			f.Values["lat"] = strconv.FormatFloat(*prof.Lat, 'f', -1, 64)
			f.Values["lon"] = strconv.FormatFloat(*prof.Lon, 'f', -1, 64)
		}
	}
	f.Values["travel_radius_km"] = num(prof.TravelRadiusKm)
	f.Values["max_hours_week"] = num(prof.MaxHoursWeek)
	f.Values["max_shifts_week"] = num(prof.MaxShiftsWeek)
	f.Values["gender"] = string(prof.Gender)
	f.Values["birth_date"] = prof.BirthDate
	f.Values["emergency_name"] = prof.EmergencyName
	f.Values["emergency_phone"] = prof.EmergencyPhone
	phone, err := loadProfilePhone(ctx, p.svc.db.R, prof.UserID)
	if err != nil {
		return nil, nil, err
	}
	f.Values["phone"] = phone
	if prof.RemindersOptOut {
		f.Values["reminders_opt_out"] = "on"
	}
	sel := &profileSel{Languages: prof.Languages, Interests: prof.Interests}
	for _, s := range prof.Skills {
		sel.Skills = append(sel.Skills, s.SkillID)
	}
	return f, sel, nil
}

// profileChoices builds the checkbox groups, skills sorted by name with
// their verification.
func (p *Pages) profileChoices(r *http.Request, pg *profilePage, sel *profileSel) error {
	ctx := r.Context()
	skills, err := p.svc.Skills(ctx)
	if err != nil {
		return err
	}
	verified := map[string]string{}
	if pg.Profile != nil {
		for _, s := range pg.Profile.Skills {
			if s.VerifiedBy != "" {
				verified[s.SkillID] = s.VerifiedBy
			}
		}
	}
	orgNames := map[string]string{}
	for _, k := range skills {
		c := profChoice{Value: k.ID, Label: k.Name(pg.Lang), Checked: slices.Contains(sel.Skills, k.ID)}
		if by, ok := verified[k.ID]; ok && c.Checked {
			c.Verified = true
			name, seen := orgNames[by]
			if !seen {
				if o, err := p.svc.orgs.Org(ctx, nil, by); err == nil {
					name = o.Name(pg.Lang)
				}
				orgNames[by] = name
			}
			c.VerifiedBy = name
		}
		pg.Skills = append(pg.Skills, c)
	}
	coll := profCollator(pg.Lang)
	slices.SortFunc(pg.Skills, func(a, b profChoice) int { return coll.CompareString(a.Label, b.Label) })
	for _, l := range Languages {
		pg.Languages = append(pg.Languages, profChoice{Value: l, Label: pg.T(LanguageMsgID(l)), Checked: slices.Contains(sel.Languages, l)})
	}
	for _, c := range Categories {
		pg.Interests = append(pg.Interests, profChoice{Value: c, Label: pg.T(CategoryMsgID(c)), Checked: slices.Contains(sel.Interests, c)})
	}
	return nil
}

// readProfileForm reads the profile form; numbers that cannot be read set
// their field's error on f.
func readProfileForm(r *http.Request, f *web.Form) (ProfileInput, *profileSel) {
	in := ProfileInput{
		CharterAccepted: f.Get("charter_accepted") != "",
		Skills:          r.PostForm["skills"],
		Languages:       r.PostForm["languages"],
		Interests:       r.PostForm["interests"],
		HomePlaceID:     f.Get("home_place_id"),
		TravelRadiusKm:  profFormInt(f, "travel_radius_km", true),
		MaxHoursWeek:    profFormInt(f, "max_hours_week", false),
		MaxShiftsWeek:   profFormInt(f, "max_shifts_week", false),
		Gender:          Gender(f.Get("gender")),
		BirthDate:       f.Get("birth_date"),
		EmergencyName:   f.Get("emergency_name"),
		EmergencyPhone:  f.Get("emergency_phone"),
		Phone:           f.Get("phone"),
		RemindersOptOut: f.Get("reminders_opt_out") != "",
	}
	for _, d := range dayOrder {
		in.Availability = append(in.Availability, ParseDayWindows(d, f.Get(AvailabilityField(d)))...)
	}
	in.Lat, in.Lon = profFormFloat(f, "lat"), profFormFloat(f, "lon")
	return in, &profileSel{Skills: in.Skills, Languages: in.Languages, Interests: in.Interests}
}

// profFormFloat reads an optional decimal typed with either digits.
func profFormFloat(f *web.Form, name string) *float64 {
	s := f.Get(name)
	if s == "" {
		return nil
	}
	x, err := i18n.ParseFloat(s)
	if err != nil {
		f.Errors[name] = "error.number"
		return nil
	}
	return &x
}

func (p *Pages) profile(w http.ResponseWriter, r *http.Request) error {
	return p.renderProfile(w, r, http.StatusOK, nil, nil, nil)
}

func (p *Pages) saveProfile(w http.ResponseWriter, r *http.Request) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	ctx := r.Context()
	in, sel := readProfileForm(r, f)
	if !f.OK() {
		// Numbers that could not be read: report every other problem too.
		existing, err := p.svc.Profile(ctx, v.ID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		errs, _, err := p.svc.checkProfile(ctx, &in, existing)
		if err != nil {
			return err
		}
		for k, id := range errs {
			if _, ok := f.Errors[k]; !ok {
				f.Errors[k] = id
			}
		}
		return p.renderProfile(w, r, http.StatusUnprocessableEntity, f, sel, nil)
	}
	existed := true
	if _, err := p.svc.Profile(ctx, v.ID); errors.Is(err, db.ErrNotFound) {
		existed = false
	}
	_, err = p.svc.SaveProfile(ctx, v, in)
	if he, ok := profFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderProfile(w, r, he.Status, f, sel, nil)
	}
	if err != nil {
		return err
	}
	if existed {
		web.SetFlash(w, "ok", "volunteer.profile.saved")
	} else {
		web.SetFlash(w, "ok", "volunteer.profile.created")
	}
	web.Redirect(w, r, web.SafeNext(f.Get("next"), "/volunteer/profile"))
	return nil
}

func (p *Pages) newCalendarKey(w http.ResponseWriter, r *http.Request) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	if _, err := p.svc.RegenerateCalendarKey(r.Context(), v); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.profile.calendar.regenerated")
	web.Redirect(w, r, web.SafeNext(f.Get("next"), "/volunteer/profile")+"#calendar")
	return nil
}

func (p *Pages) addAway(w http.ResponseWriter, r *http.Request) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	af, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	_, err = p.svc.AddAway(r.Context(), v, AwayInput{StartsOn: af.Get("starts_on"), EndsOn: af.Get("ends_on"), Note: af.Get("note")})
	if he, ok := profFieldErrors(err); ok {
		af.SetErrors(he.Fields)
		return p.renderProfile(w, r, he.Status, nil, nil, af)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.profile.away.added")
	web.Redirect(w, r, "/volunteer/profile#away")
	return nil
}

func (p *Pages) removeAway(w http.ResponseWriter, r *http.Request) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	if err := p.svc.RemoveAway(r.Context(), v, r.PathValue("id")); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.profile.away.removed")
	web.Redirect(w, r, "/volunteer/profile#away")
	return nil
}
