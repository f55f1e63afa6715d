package volunteer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// opportunityRoutes adds the screens of opportunities and their shifts.
func (p *Pages) opportunityRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /organisations/{id}/opportunities", h(p.oppList))
	mux.Handle("GET /organisations/{id}/opportunities/new", h(p.oppNewForm))
	mux.Handle("POST /organisations/{id}/opportunities/new", h(p.oppCreate))
	mux.Handle("GET /opportunities/{id}", h(p.oppShow))
	mux.Handle("GET /opportunities/{id}/edit", h(p.oppEditForm))
	mux.Handle("POST /opportunities/{id}/edit", h(p.oppEdit))
	mux.Handle("GET /opportunities/{id}/shifts/new", h(p.shiftNewForm))
	mux.Handle("POST /opportunities/{id}/shifts", h(p.shiftCreate))
	mux.Handle("GET /opportunities/{id}/series/new", h(p.seriesNewForm))
	mux.Handle("POST /opportunities/{id}/series", h(p.seriesCreate))
	mux.Handle("GET /shifts/{id}", h(p.shiftShow))
	mux.Handle("POST /shifts/{id}/cancel", h(p.shiftCancel))
}

// oppFieldErrors returns the per-field messages of a validation failure.
func oppFieldErrors(err error) (*httpx.Error, bool) {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		return he, true
	}
	return nil, false
}

// oppInt reads a whole number typed in any digits; empty is 0. A value that
// is not a number is recorded in errs.
func oppInt(f *web.Form, name string, errs map[string]string) int {
	s := f.Get(name)
	if s == "" {
		return 0
	}
	n, err := i18n.ParseInt(s)
	if err != nil || n < -1e6 || n > 1e6 {
		errs[name] = "error.number"
		return 0
	}
	return int(n)
}

// oppFloat reads an optional decimal typed in any digits.
func oppFloat(f *web.Form, name string, errs map[string]string) *float64 {
	s := f.Get(name)
	if s == "" {
		return nil
	}
	x, err := i18n.ParseFloat(s)
	if err != nil {
		errs[name] = "error.number"
		return nil
	}
	return &x
}

// oppZone is where the page shows times: the person's zone, else the platform's.
func (p *Pages) oppZone(pg web.Page) *time.Location {
	if pg.Locale != nil && pg.Zone != nil {
		return pg.Zone
	}
	return p.svc.zone
}

// OutcomeMessage explains a sign-up decision in loc's language, with what
// the message needs: the waitlist position, the missing skill or language,
// the sign-up window, the clashing shift.
func (s *Service) OutcomeMessage(ctx context.Context, loc *i18n.Locale, d Decision) string {
	skill, lang, clash := "", "", ""
	if d.Skill != "" {
		skill = d.Skill
		if ks, err := oppSkills(ctx, s.db.R); err == nil {
			for _, k := range ks {
				if k.ID == d.Skill {
					skill = k.Name(loc.Lang)
				}
			}
		}
	}
	if d.Language != "" {
		lang = loc.T(LanguageMsgID(d.Language))
	}
	if d.Clash != nil {
		clash = loc.T("volunteer.outcome.clash_with", "Title", "\u2068"+d.Clash.Title+"\u2069", "When", loc.DateTime(d.Clash.StartsAt))
	}
	return loc.T(d.Outcome.MsgID(), "Position", loc.Number(int64(d.Position)), "Skill", skill, "Language", lang,
		"Opens", loc.DateTime(d.OpensAt), "Closes", loc.DateTime(d.ClosesAt), "Clash", clash)
}

// ---- the coordinators' list ----

// oppPageURL links to a neighbouring page of a list; "" when there is none.
func oppPageURL(base, key, cursor string) string {
	if cursor == "" {
		return ""
	}
	return base + "?" + url.Values{key: {cursor}}.Encode()
}

type oppListPage struct {
	web.Page
	Org   *org.Org
	Items []OrgOpportunity
	Pager web.Pager
}

func (p *Pages) oppList(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	res, err := p.svc.OrgOpportunities(ctx, v, id, q.Get("after"), q.Get("before"))
	if err != nil {
		return err
	}
	pg := oppListPage{Page: p.site.NewPage(w, r, "volunteer.opportunity.list.title"), Org: o, Items: res.Items}
	base := "/organisations/" + id + "/opportunities"
	pg.Pager = pg.NewPager(oppPageURL(base, "before", res.Prev), oppPageURL(base, "after", res.Next))
	return p.site.Render(w, http.StatusOK, "volunteer/opportunity_list", pg)
}

// ---- new and edit ----

type oppFormPage struct {
	web.Page
	Form            *web.Form
	Action, Back    string
	Org             *org.Org
	Opp             *Opportunity
	Verified        bool
	CategoryChoices []string
	GenderChoices   []string
	ApprovalChoices []string
	StatusChoices   []string
	Place           web.FieldData
	Skills          []web.Option
	Languages       []web.Option
}

func (p *Pages) renderOppForm(w http.ResponseWriter, r *http.Request, status int, o *org.Org, opp *Opportunity, f *web.Form, skills, langs []string) error {
	ctx := r.Context()
	title, action, back := "volunteer.opportunity.new.title", "/organisations/"+o.ID+"/opportunities/new", "/organisations/"+o.ID+"/opportunities"
	if opp != nil {
		title, action, back = "volunteer.opportunity.edit.title", "/opportunities/"+opp.ID+"/edit", "/opportunities/"+opp.ID
	}
	pg := oppFormPage{Page: p.site.NewPage(w, r, title), Form: f, Action: action, Back: back, Org: o, Opp: opp, Verified: o.Status == org.Verified}
	pg.CategoryChoices = []string{"", "volunteer.opportunity.field.category_choose"}
	for _, c := range Categories {
		pg.CategoryChoices = append(pg.CategoryChoices, c, CategoryMsgID(c))
	}
	for _, g := range GenderRules {
		pg.GenderChoices = append(pg.GenderChoices, string(g), g.MsgID())
	}
	for _, a := range []Approval{AutoApproval, ReviewApproval} {
		pg.ApprovalChoices = append(pg.ApprovalChoices, string(a), a.MsgID())
	}
	for _, s := range OppStatuses {
		pg.StatusChoices = append(pg.StatusChoices, s, OppStatusMsgID(s))
	}
	places, err := p.svc.orgs.PlaceOptions(ctx, pg.Lang)
	if err != nil {
		return err
	}
	pg.Place = pg.Field(f, "place_id", "volunteer.opportunity.field.place", "select", "hint=volunteer.opportunity.field.place_hint")
	pg.Place.Options = append(pg.Place.Options, web.Option{Value: "", Label: pg.T("volunteer.opportunity.field.no_place")})
	for _, o := range places {
		o.Selected = o.Value == pg.Place.Value && o.Value != ""
		pg.Place.Options = append(pg.Place.Options, o)
	}
	ks, err := oppSkillsSorted(ctx, p.svc.db.R, pg.Lang)
	if err != nil {
		return err
	}
	for _, k := range ks {
		pg.Skills = append(pg.Skills, web.Option{Value: k.ID, Label: k.Name(pg.Lang), Selected: slices.Contains(skills, k.ID)})
	}
	for _, l := range Languages {
		pg.Languages = append(pg.Languages, web.Option{Value: l, Label: pg.T(LanguageMsgID(l)), Selected: slices.Contains(langs, l)})
	}
	return p.site.Render(w, status, "volunteer/opportunity_form", pg)
}

// readOppForm reads the opportunity form; number problems are field errors.
func readOppForm(r *http.Request) (*web.Form, OpportunityInput, map[string]string, error) {
	f, err := web.NewForm(r)
	if err != nil {
		return nil, OpportunityInput{}, nil, httpx.ErrBadRequest
	}
	errs := map[string]string{}
	in := OpportunityInput{TitleAr: f.Get("title_ar"), TitleEn: f.Get("title_en"), DescriptionAr: f.Get("description_ar"),
		DescriptionEn: f.Get("description_en"), Category: f.Get("category"), PlaceID: f.Get("place_id"),
		Lat: oppFloat(f, "lat", errs), Lon: oppFloat(f, "lon", errs), Skills: r.PostForm["skills"], GenderRule: GenderRule(f.Get("gender_rule")),
		MinAge: oppInt(f, "min_age", errs), VettedOnly: f.Get("vetted_only") != "", Languages: r.PostForm["languages"],
		Approval: Approval(f.Get("approval")), Status: f.Get("status")}
	return f, in, errs, nil
}

func (p *Pages) oppNewForm(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return err
	}
	if err := p.svc.orgs.Require(ctx, v, org.ManageVolunteering, id); err != nil {
		return err
	}
	f := web.EmptyForm()
	f.Values = map[string]string{"gender_rule": string(AnyGender), "approval": string(AutoApproval), "status": OppDraft, "place_id": o.HomePlaceID}
	if o.Status == org.Verified {
		f.Values["status"] = OppPublished
	}
	return p.renderOppForm(w, r, http.StatusOK, o, nil, f, nil, []string{})
}

func (p *Pages) oppCreate(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return err
	}
	if err := p.svc.orgs.Require(ctx, v, org.ManageVolunteering, id); err != nil {
		return err
	}
	f, in, errs, err := readOppForm(r)
	if err != nil {
		return err
	}
	var opp *Opportunity
	if len(errs) == 0 {
		opp, err = p.svc.CreateOpportunity(ctx, v, id, in)
	} else {
		for k, m := range in.Validate() {
			if _, ok := errs[k]; !ok {
				errs[k] = m
			}
		}
		err = httpx.Invalid(errs)
	}
	if he, ok := oppFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderOppForm(w, r, he.Status, o, nil, f, in.Skills, in.Languages)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.opportunity.flash.created")
	web.Redirect(w, r, "/opportunities/"+opp.ID)
	return nil
}

func (p *Pages) oppEditForm(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), httpx.ViewerFrom(r.Context())
	opp, err := p.svc.manageOpportunity(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	o, err := p.svc.orgs.Org(ctx, v, opp.OrgID)
	if err != nil {
		return err
	}
	f := web.EmptyForm()
	f.Values = map[string]string{"title_ar": opp.TitleAr, "title_en": opp.TitleEn, "description_ar": opp.DescriptionAr,
		"description_en": opp.DescriptionEn, "category": opp.Category, "place_id": opp.PlaceID, "gender_rule": string(opp.GenderRule),
		"min_age": strconv.Itoa(opp.MinAge), "approval": string(opp.Approval), "status": opp.Status}
	if opp.Lat != nil && opp.Lon != nil {
		// A location that is only the place's centre is left empty, so it
		// follows the place if the coordinator picks another one.
		lat, lon, err := p.svc.placeCentre(ctx, opp.PlaceID)
		if opp.PlaceID == "" || err != nil || lat == nil || *lat != *opp.Lat || *lon != *opp.Lon {
			f.Values["lat"] = strconv.FormatFloat(*opp.Lat, 'f', -1, 64)
			f.Values["lon"] = strconv.FormatFloat(*opp.Lon, 'f', -1, 64)
		}
	}
	if opp.VettedOnly {
		f.Values["vetted_only"] = "1"
	}
	return p.renderOppForm(w, r, http.StatusOK, o, opp, f, opp.Skills, opp.Languages)
}

func (p *Pages) oppEdit(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), httpx.ViewerFrom(r.Context())
	opp, err := p.svc.manageOpportunity(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, in, errs, err := readOppForm(r)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		_, err = p.svc.UpdateOpportunity(ctx, v, opp.ID, in)
	} else {
		for k, m := range in.Validate() {
			if _, ok := errs[k]; !ok {
				errs[k] = m
			}
		}
		err = httpx.Invalid(errs)
	}
	if he, ok := oppFieldErrors(err); ok {
		o, oerr := p.svc.orgs.Org(ctx, v, opp.OrgID)
		if oerr != nil {
			return oerr
		}
		f.SetErrors(he.Fields)
		return p.renderOppForm(w, r, he.Status, o, opp, f, in.Skills, in.Languages)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.opportunity.flash.saved")
	web.Redirect(w, r, "/opportunities/"+opp.ID)
	return nil
}

// ---- the opportunity page ----

// roleCard is one role of a shift as the page shows it, with what signing
// up would answer the viewer.
type roleCard struct {
	Role
	Label     string
	SkillName string
	// FreeText and TakenText say how many places are left and taken.
	FreeText, TakenText string
	// Message explains the decision for the viewer ("" when there is none).
	Message string
	// Badge and BadgeID label the decision: ok, warn (a waitlist) or bad.
	Badge, BadgeID string
	// CanSignUp shows the sign-up form.
	CanSignUp bool
	// NeedProfile: the viewer is signed in but has no volunteer profile yet.
	NeedProfile bool
}

// shiftCard is a shift as a list shows it.
type shiftCard struct {
	*Shift
	EndClock  string
	Cancelled bool
	Roles     []roleCard
	// Upcoming: the shift has not started and is not cancelled.
	Upcoming bool
	// Open: upcoming, and its opportunity takes sign-ups (published).
	Open bool
}

type seriesLine struct {
	*Series
	Text string
}

// newSeriesLine describes a series in a sentence of the page's language.
func newSeriesLine(pg web.Page, ser *Series) seriesLine {
	text := pg.T("volunteer.series.list.line", "Days", weekdayNames(pg, ser.Weekdays), "Start", pg.Digitize(ser.Start),
		"Minutes", pg.Number(int64(ser.DurationMinutes)), "From", pg.Date(seriesDay(ser.From)))
	if ser.Until != "" {
		text += " " + pg.T("volunteer.series.list.until", "Until", pg.Date(seriesDay(ser.Until)))
	}
	return seriesLine{Series: ser, Text: text}
}

// seriesDay is noon of a YYYY-MM-DD day in UTC, which is that same day in
// every zone near the region's, for writing it with Date.
func seriesDay(s string) time.Time {
	d, _ := shiftParseDate(s)
	return d.Add(12 * time.Hour)
}

type oppShowPage struct {
	web.Page
	Opp          *Opportunity
	OrgVerified  bool
	PlaceName    string
	MapURL       string
	Coordinates  string
	SkillNames   []string
	LangNames    []string
	CanManage    bool
	Shifts       []shiftCard
	Series       []seriesLine
	Pager        web.Pager
	SignInURL    string
	ShiftsFrom   bool // a later page of shifts
	MinAgeText   string
	TakesSignups bool
}

// skillNames maps skill ids to their names in lang.
func (p *Pages) skillNames(ctx context.Context, lang i18n.Lang) (map[string]string, error) {
	ks, err := oppSkills(ctx, p.svc.db.R)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(ks))
	for _, k := range ks {
		m[k.ID] = k.Name(lang)
	}
	return m, nil
}

// shiftCards prepares shifts for display, with the viewer's decision per role.
func (p *Pages) shiftCards(ctx context.Context, pg web.Page, opp *Opportunity, shifts []*Shift, skills map[string]string) ([]shiftCard, error) {
	zone := p.oppZone(pg)
	now := p.svc.now()
	var out []shiftCard
	for _, sh := range shifts {
		c := shiftCard{Shift: sh, EndClock: pg.Digitize(sh.EndsAt.In(zone).Format("15:04")), Cancelled: sh.Status == "cancelled"}
		c.Upcoming = !c.Cancelled && now.Before(sh.StartsAt)
		c.Open = c.Upcoming && opp.Status == OppPublished
		var decisions map[string]Decision
		if pg.Viewer != nil && c.Open {
			var err error
			if decisions, err = p.svc.Preview(ctx, pg.Viewer.ID, sh, opp); err != nil {
				return nil, err
			}
		}
		for _, r := range sh.Roles {
			rc := roleCard{Role: r, Label: r.Name(pg.Lang), SkillName: skills[r.SkillID], FreeText: pg.N("volunteer.opportunity.free_places", r.Free()),
				TakenText: pg.N("volunteer.opportunity.places_taken", r.Slots, "Taken", pg.Number(int64(r.Taken)))}
			if d, ok := decisions[r.ID]; ok {
				rc.Message = p.svc.OutcomeMessage(ctx, pg.Locale, d)
				switch {
				case d.Outcome == OnWaitlist:
					rc.Badge, rc.BadgeID, rc.CanSignUp = "warn", "volunteer.opportunity.badge.waitlist", true
				case d.Outcome.Accepted():
					rc.Badge, rc.BadgeID, rc.CanSignUp = "ok", "volunteer.opportunity.badge.open", true
				case d.Outcome == RefusedAlready:
					rc.Badge, rc.BadgeID = "ok", "volunteer.opportunity.badge.yours"
				default:
					rc.Badge, rc.BadgeID = "bad", "volunteer.opportunity.badge.closed"
				}
			} else if pg.Viewer != nil && c.Open {
				rc.NeedProfile = true
			}
			c.Roles = append(c.Roles, rc)
		}
		out = append(out, c)
	}
	return out, nil
}

// weekdayNames writes weekdays in the page's language, Saturday first as the
// region's week runs.
func weekdayNames(pg web.Page, days []int) string {
	var names []string
	for _, d := range []int{6, 0, 1, 2, 3, 4, 5} {
		if slices.Contains(days, d) {
			names = append(names, pg.T(fmt.Sprintf("volunteer.series.weekday.d%d", d)))
		}
	}
	sep := "، "
	if pg.Lang == i18n.EN {
		sep = ", "
	}
	return strings.Join(names, sep)
}

func (p *Pages) oppShow(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	opp, err := p.svc.Opportunity(ctx, v, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	shifts, next, prev, err := p.svc.UpcomingShifts(ctx, v, id, q.Get("after"), q.Get("before"))
	if err != nil {
		return err
	}
	pg := oppShowPage{Page: p.site.NewPage(w, r, "volunteer.opportunity.show.title"), Opp: opp, ShiftsFrom: q.Get("after") != "" || q.Get("before") != "",
		SignInURL: "/signin?next=" + url.QueryEscape("/opportunities/"+id), TakesSignups: opp.Status == OppPublished}
	if pg.CanManage, err = p.svc.CanManage(ctx, v, opp.OrgID); err != nil {
		return err
	}
	if pg.OrgVerified, err = p.svc.orgs.Can(ctx, nil, org.ViewOrg, opp.OrgID); err != nil {
		return err
	}
	if opp.PlaceID != "" {
		places, err := p.svc.orgs.PlaceOptions(ctx, pg.Lang)
		if err != nil {
			return err
		}
		for _, o := range places {
			if o.Value == opp.PlaceID {
				pg.PlaceName = o.Label
			}
		}
		if pg.PlaceName == "" {
			if pl, err := p.svc.orgs.Place(ctx, opp.PlaceID); err == nil {
				pg.PlaceName = pl.Name(pg.Lang)
			}
		}
	}
	if opp.Lat != nil && opp.Lon != nil {
		lat, lon := strconv.FormatFloat(*opp.Lat, 'f', -1, 64), strconv.FormatFloat(*opp.Lon, 'f', -1, 64)
		pg.MapURL = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=16/" + lat + "/" + lon
		pg.Coordinates = pg.Digitize(lat + ", " + lon)
	}
	skills, err := p.skillNames(ctx, pg.Lang)
	if err != nil {
		return err
	}
	for _, k := range opp.Skills {
		pg.SkillNames = append(pg.SkillNames, skills[k])
	}
	for _, l := range opp.Languages {
		pg.LangNames = append(pg.LangNames, pg.T(LanguageMsgID(l)))
	}
	if opp.MinAge > 0 {
		pg.MinAgeText = pg.N("volunteer.opportunity.min_age_years", opp.MinAge)
	}
	if pg.Shifts, err = p.shiftCards(ctx, pg.Page, opp, shifts, skills); err != nil {
		return err
	}
	if pg.CanManage {
		series, err := opportunitySeries(ctx, p.svc.db.R, opp.ID)
		if err != nil {
			return err
		}
		for _, s := range series {
			pg.Series = append(pg.Series, newSeriesLine(pg.Page, s))
		}
	}
	base := "/opportunities/" + id
	pg.Pager = pg.NewPager(oppPageURL(base, "before", prev), oppPageURL(base, "after", next))
	return p.site.Render(w, http.StatusOK, "volunteer/opportunity_show", pg)
}
