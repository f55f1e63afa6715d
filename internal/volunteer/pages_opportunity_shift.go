package volunteer

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

// roleRow is one row of the roles table of a shift or series form.
type roleRow struct {
	Label                 string
	NameAr, NameEn, Slots web.FieldData
	Skill                 web.FieldData
}

type shiftFormPage struct {
	web.Page
	Opp      *Opportunity
	Form     *web.Form
	Roles    []roleRow // the first role
	More     []roleRow // roles 2 to MaxRoles, folded away until used
	MoreOpen bool
	RolesErr string
	Weekdays []web.Option
	Today    string
}

func roleKey(i int, field string) string { return fmt.Sprintf("roles.%d.%s", i, field) }

// roleRows builds the role rows of a form with their values and errors.
func (p *Pages) roleRows(pg web.Page, f *web.Form, skills []Skill) []roleRow {
	rows := make([]roleRow, MaxRoles)
	for i := range rows {
		rows[i] = roleRow{Label: pg.T("volunteer.shift.field.role_n", "Number", pg.Number(int64(i+1))),
			NameAr: pg.Field(f, roleKey(i, "name_ar"), "volunteer.shift.field.role_name_ar", "text"),
			NameEn: pg.Field(f, roleKey(i, "name_en"), "volunteer.shift.field.role_name_en", "text"),
			Slots:  pg.Field(f, roleKey(i, "slots"), "volunteer.shift.field.slots", "text"),
			Skill:  pg.Field(f, roleKey(i, "skill_id"), "volunteer.shift.field.role_skill", "select"),
		}
		rows[i].Skill.Options = append(rows[i].Skill.Options, web.Option{Value: "", Label: pg.T("volunteer.shift.field.no_skill")})
		for _, k := range skills {
			rows[i].Skill.Options = append(rows[i].Skill.Options, web.Option{Value: k.ID, Label: k.Name(pg.Lang), Selected: rows[i].Skill.Value == k.ID})
		}
	}
	return rows
}

func (p *Pages) renderShiftForm(w http.ResponseWriter, r *http.Request, status int, opp *Opportunity, f *web.Form, series bool) error {
	title, name := "volunteer.shift.new.title", "volunteer/shift_form"
	if series {
		title, name = "volunteer.series.new.title", "volunteer/shift_series_form"
	}
	pg := shiftFormPage{Page: p.site.NewPage(w, r, title), Opp: opp, Form: f, RolesErr: f.Err("roles"),
		Today: p.svc.now().In(p.svc.zone).Format("2006-01-02")}
	skills, err := oppSkillsSorted(r.Context(), p.svc.db.R, pg.Lang)
	if err != nil {
		return err
	}
	rows := p.roleRows(pg.Page, f, skills)
	pg.Roles, pg.More = rows[:1], rows[1:]
	for i := 1; i < MaxRoles; i++ {
		for _, k := range []string{"name_ar", "name_en", "slots", "skill_id"} {
			if f.Get(roleKey(i, k)) != "" || f.Err(roleKey(i, k)) != "" {
				pg.MoreOpen = true
			}
		}
	}
	if series {
		ticked := map[string]bool{}
		for _, d := range strings.Split(f.Get("weekdays"), ",") {
			ticked[d] = true
		}
		for _, d := range []int{6, 0, 1, 2, 3, 4, 5} {
			v := strconv.Itoa(d)
			pg.Weekdays = append(pg.Weekdays, web.Option{Value: v, Label: pg.T(fmt.Sprintf("volunteer.series.weekday.d%d", d)), Selected: ticked[v]})
		}
	}
	return p.site.Render(w, status, name, pg)
}

// planDefaults are the values a new shift or series form starts with.
func planDefaults() map[string]string {
	return map[string]string{"signup_opens_days": strconv.Itoa(DefaultOpensDays), "signup_closes_hours": "2", "cancel_cutoff_hours": "12",
		"team_size": "0", roleKey(0, "slots"): ""}
}

// readPlan reads the roles, team and window of a shift or series form.
func readPlan(f *web.Form, errs map[string]string) ShiftPlan {
	plan := ShiftPlan{TeamSize: oppInt(f, "team_size", errs), SignupOpensDays: oppInt(f, "signup_opens_days", errs),
		SignupClosesHours: oppInt(f, "signup_closes_hours", errs), CancelCutoffHours: oppInt(f, "cancel_cutoff_hours", errs)}
	for i := 0; i < MaxRoles; i++ {
		plan.Roles = append(plan.Roles, RoleInput{NameAr: f.Get(roleKey(i, "name_ar")), NameEn: f.Get(roleKey(i, "name_en")),
			SkillID: f.Get(roleKey(i, "skill_id")), Slots: oppInt(f, roleKey(i, "slots"), errs)})
	}
	return plan
}

// mergeErrs adds to errs the problems of the input that errs does not name yet.
func mergeErrs(errs, more map[string]string) {
	for k, m := range more {
		if _, ok := errs[k]; !ok {
			errs[k] = m
		}
	}
}

func (p *Pages) shiftNewForm(w http.ResponseWriter, r *http.Request) error {
	opp, err := p.svc.manageOpportunity(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if opp.Status == OppArchived {
		return ErrOppArchived
	}
	f := web.EmptyForm()
	f.Values = planDefaults()
	return p.renderShiftForm(w, r, http.StatusOK, opp, f, false)
}

func (p *Pages) shiftCreate(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), httpx.ViewerFrom(r.Context())
	opp, err := p.svc.manageOpportunity(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	errs := map[string]string{}
	in := ShiftInput{Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"), ShiftPlan: readPlan(f, errs)}
	var sh *Shift
	if len(errs) == 0 {
		sh, err = p.svc.CreateShift(ctx, v, opp.ID, in)
	} else {
		mergeErrs(errs, in.Validate(p.svc.now(), p.svc.zone))
		err = httpx.Invalid(errs)
	}
	if he, ok := oppFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderShiftForm(w, r, he.Status, opp, f, false)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.shift.flash.created")
	web.Redirect(w, r, "/shifts/"+sh.ID)
	return nil
}

func (p *Pages) seriesNewForm(w http.ResponseWriter, r *http.Request) error {
	opp, err := p.svc.manageOpportunity(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if opp.Status == OppArchived {
		return ErrOppArchived
	}
	f := web.EmptyForm()
	f.Values = planDefaults()
	f.Values["duration_minutes"] = "120"
	return p.renderShiftForm(w, r, http.StatusOK, opp, f, true)
}

func (p *Pages) seriesCreate(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), httpx.ViewerFrom(r.Context())
	opp, err := p.svc.manageOpportunity(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	errs := map[string]string{}
	in := SeriesInput{Start: f.Get("start"), DurationMinutes: oppInt(f, "duration_minutes", errs), From: f.Get("from"), Until: f.Get("until"),
		SkipDates: ParseSkipDates(f.Get("skip_dates")), ShiftPlan: readPlan(f, errs)}
	for _, d := range r.PostForm["weekdays"] {
		n, err := strconv.Atoi(d)
		if err != nil {
			errs["weekdays"] = "error.choice"
			continue
		}
		in.Weekdays = append(in.Weekdays, n)
	}
	// The ticked days go back to the form if it has to be shown again.
	f.Values["weekdays"] = strings.Join(r.PostForm["weekdays"], ",")
	if len(errs) == 0 {
		_, err = p.svc.CreateSeries(ctx, v, opp.ID, in)
	} else {
		mergeErrs(errs, in.Validate(p.svc.now(), p.svc.zone))
		err = httpx.Invalid(errs)
	}
	if he, ok := oppFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderShiftForm(w, r, he.Status, opp, f, true)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.series.flash.created")
	web.Redirect(w, r, "/opportunities/"+opp.ID)
	return nil
}

// ---- one shift ----

type shiftShowPage struct {
	web.Page
	Opp         *Opportunity
	Card        shiftCard
	CanManage   bool
	CheckinCode string
	Series      *seriesLine
	CancelForm  *web.Form
	SignInURL   string
	Opens       string
	Closes      string
	Cutoff      string
}

func (p *Pages) renderShift(w http.ResponseWriter, r *http.Request, status int, cancelForm *web.Form) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	sh, err := p.svc.Shift(ctx, v, id)
	if err != nil {
		return err
	}
	opp, err := p.svc.Opportunity(ctx, v, sh.OpportunityID)
	if err != nil {
		return err
	}
	pg := shiftShowPage{Page: p.site.NewPage(w, r, "volunteer.shift.show.title"), Opp: opp, CheckinCode: sh.CheckinCode, CancelForm: cancelForm,
		SignInURL: "/signin?next=" + url.QueryEscape("/shifts/"+id)}
	if pg.CanManage, err = p.svc.CanManage(ctx, v, opp.OrgID); err != nil {
		return err
	}
	if !pg.CanManage {
		pg.CheckinCode = ""
	}
	skills, err := p.skillNames(ctx, pg.Lang)
	if err != nil {
		return err
	}
	cards, err := p.shiftCards(ctx, pg.Page, opp, []*Shift{sh}, skills)
	if err != nil {
		return err
	}
	pg.Card = cards[0]
	opens, closes := sh.Window()
	pg.Opens, pg.Closes = pg.DateTime(opens), pg.DateTime(closes)
	pg.Cutoff = pg.DateTime(sh.StartsAt.Add(-time.Duration(sh.CancelCutoffHours) * time.Hour))
	if sh.SeriesID != "" && pg.CanManage {
		if ser, err := seriesByID(ctx, p.svc.db.R, sh.SeriesID); err == nil {
			line := newSeriesLine(pg.Page, ser)
			pg.Series = &line
		}
	}
	if pg.CancelForm == nil {
		pg.CancelForm = web.EmptyForm()
	}
	return p.site.Render(w, status, "volunteer/shift_show", pg)
}

func (p *Pages) shiftShow(w http.ResponseWriter, r *http.Request) error {
	return p.renderShift(w, r, http.StatusOK, nil)
}

func (p *Pages) shiftCancel(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	if v == nil {
		return httpx.ErrUnauthorized
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	err = p.svc.CancelShift(ctx, v, id, f.Get("reason"))
	if he, ok := oppFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderShift(w, r, he.Status, f)
	}
	for _, e := range []*httpx.Error{ErrShiftCancelTwice, ErrShiftCancelPast} {
		if errors.Is(err, e) {
			web.SetFlash(w, "error", e.MsgID)
			web.Redirect(w, r, "/shifts/"+id)
			return nil
		}
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.shift.flash.cancelled")
	web.Redirect(w, r, "/shifts/"+id)
	return nil
}
