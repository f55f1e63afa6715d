package volunteer

import (
	"net/http"
	"net/url"
	"slices"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// The hours screens: a volunteer's own hours and the form for work done
// off the platform; a coordinator's review queue with approve and decline.

func (p *Pages) hoursRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /volunteer/hours", h(p.myHours))
	mux.Handle("GET /volunteer/hours/new", h(p.newHoursForm))
	mux.Handle("POST /volunteer/hours/new", h(p.submitHours))
	mux.Handle("GET /organisations/{id}/hours", h(p.reviewHours))
	mux.Handle("POST /hours/{id}/approve", h(p.approveHours))
	mux.Handle("POST /hours/{id}/decline", h(p.declineHours))
}

// hoursStatusOptions are the choices of a status filter, "all" first.
func hoursStatusOptions(pg web.Page, current HoursStatus) []web.Option {
	out := []web.Option{{Value: "", Label: pg.T("volunteer.hours.filter.all"), Selected: current == ""}}
	for _, st := range HoursStatuses {
		out = append(out, web.Option{Value: string(st), Label: pg.T(st.MsgID()), Selected: st == current})
	}
	return out
}

// hoursListURL is a list's address with its filter and cursor.
func hoursListURL(base string, status HoursStatus, after string) string {
	q := url.Values{}
	if status != "" {
		q.Set("status", string(status))
	}
	if after != "" {
		q.Set("after", after)
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

type myHoursPage struct {
	attPage
	Totals       *HoursTotals
	Status       HoursStatus
	StatusOpts   []web.Option
	Items        []Hours
	Pager        web.Pager
	First        string // the first page, when this is a later one
	Certificates []Certificate
}

func (p *Pages) myHours(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	st := HoursStatus(q.Get("status"))
	list, err := p.svc.ListHours(ctx, v, HoursFilter{Status: st, After: q.Get("after")})
	if err != nil {
		return err
	}
	pg := myHoursPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.hours.mine.title")}, Status: st, Items: list.Items}
	pg.StatusOpts = hoursStatusOptions(pg.Page, st)
	next := ""
	if list.Next != "" {
		next = hoursListURL("/volunteer/hours", st, list.Next)
	}
	if q.Get("after") != "" {
		pg.First = hoursListURL("/volunteer/hours", st, "")
	}
	pg.Pager = pg.NewPager("", next)
	if pg.Totals, err = p.svc.VerifiedHours(ctx, v.ID); err != nil {
		return err
	}
	if pg.Certificates, err = p.svc.MyCertificates(ctx, v); err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "volunteer/hours_mine", pg)
}

type newHoursPage struct {
	attPage
	Form       *web.Form
	Mine       []web.Option
	Others     []web.Option
	Categories []string
	MaxDay     string
}

func (p *Pages) renderNewHours(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	mine, others, err := p.svc.HoursOrgChoices(r.Context(), v)
	if err != nil {
		return err
	}
	pg := newHoursPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.hours.new.title")}, Form: f, MaxDay: p.svc.attToday()}
	chosen := f.Get("org_id")
	// An organisation named in the address (a link from its page) is offered
	// even when the list of others stops before it.
	if chosen != "" && !slices.ContainsFunc(mine, func(o HoursOrg) bool { return o.ID == chosen }) &&
		!slices.ContainsFunc(others, func(o HoursOrg) bool { return o.ID == chosen }) {
		if o, err := p.svc.orgs.Org(r.Context(), v, chosen); err == nil && o.Status == org.Verified {
			others = append([]HoursOrg{{ID: o.ID, NameAr: o.NameAr, NameEn: o.NameEn}}, others...)
		}
	}
	for _, o := range mine {
		pg.Mine = append(pg.Mine, web.Option{Value: o.ID, Label: o.Name(pg.Lang), Selected: o.ID == chosen})
	}
	for _, o := range others {
		pg.Others = append(pg.Others, web.Option{Value: o.ID, Label: o.Name(pg.Lang), Selected: o.ID == chosen})
	}
	pg.Categories = append(pg.Categories, "", "volunteer.hours.field.category_choose")
	for _, c := range Categories {
		pg.Categories = append(pg.Categories, c, HoursCategoryMsgID(c))
	}
	return p.site.Render(w, status, "volunteer/hours_new", pg)
}

func (p *Pages) newHoursForm(w http.ResponseWriter, r *http.Request) error {
	f := web.EmptyForm()
	f.Values["org_id"] = r.URL.Query().Get("org")
	f.Values["worked_on"] = p.svc.attToday()
	return p.renderNewHours(w, r, http.StatusOK, f)
}

// attNumber reads a whole number typed with either digit form; "" is 0.
func attNumber(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	n, err := i18n.ParseInt(s)
	if err != nil || n < 0 || n > 100000 {
		return 0, false
	}
	return int(n), true
}

func (p *Pages) submitHours(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	bad := map[string]string{}
	hours, ok := attNumber(f.Get("hours"))
	if !ok {
		bad["hours"] = "volunteer.hours.error.number"
	}
	minutes, ok := attNumber(f.Get("minutes"))
	if !ok || minutes > 59 {
		bad["minutes"] = "volunteer.hours.error.number"
	}
	in := HoursInput{OrgID: f.Get("org_id"), WorkedOn: f.Get("worked_on"), Minutes: hours*60 + minutes, Category: f.Get("category"),
		Description: f.Get("description")}
	if len(bad) > 0 {
		f.SetErrors(bad)
		return p.renderNewHours(w, r, http.StatusUnprocessableEntity, f)
	}
	_, err = p.svc.SubmitHours(r.Context(), v, in)
	if he, ok := attFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderNewHours(w, r, he.Status, f)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.hours.flash.submitted")
	web.Redirect(w, r, "/volunteer/hours")
	return nil
}

type hoursReviewPage struct {
	attPage
	Org        *org.Org
	Status     HoursStatus
	StatusOpts []web.Option
	Items      []Hours
	Pager      web.Pager
	First      string // the first page, when this is a later one
	// Here is this page's address, where decisions come back to.
	Here string
}

func (p *Pages) reviewHours(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	ctx, q, id := r.Context(), r.URL.Query(), r.PathValue("id")
	st := HoursStatus(q.Get("status"))
	list, err := p.svc.ListHours(ctx, v, HoursFilter{OrgID: id, Status: st, After: q.Get("after")})
	if err != nil {
		return err
	}
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return err
	}
	base := "/organisations/" + id + "/hours"
	pg := hoursReviewPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.hours.review.title")}, Org: o, Status: st, Items: list.Items,
		Here: hoursListURL(base, st, q.Get("after"))}
	pg.StatusOpts = hoursStatusOptions(pg.Page, st)
	next := ""
	if list.Next != "" {
		next = hoursListURL(base, st, list.Next)
	}
	if q.Get("after") != "" {
		pg.First = hoursListURL(base, st, "")
	}
	pg.Pager = pg.NewPager("", next)
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, http.StatusOK, "volunteer/hours_review", pg)
}

// afterDecision goes back to the review page with the outcome.
func (p *Pages) afterDecision(w http.ResponseWriter, r *http.Request, h *Hours, err error, okMsg string) error {
	back := web.SafeNext(r.PostFormValue("next"), "")
	if back == "" && h != nil {
		back = "/organisations/" + h.OrgID + "/hours"
	}
	if back == "" {
		back = "/volunteer/hours"
	}
	if he, ok := attFieldErrors(err); ok {
		for _, m := range he.Fields {
			web.SetFlash(w, "error", m)
		}
		web.Redirect(w, r, back)
		return nil
	}
	if msg, ok := attRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, back)
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", okMsg)
	web.Redirect(w, r, back)
	return nil
}

func (p *Pages) approveHours(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	h, err := p.svc.ApproveHours(r.Context(), v, r.PathValue("id"))
	return p.afterDecision(w, r, h, err, "volunteer.hours.flash.approved")
}

func (p *Pages) declineHours(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	h, err := p.svc.DeclineHours(r.Context(), v, r.PathValue("id"), f.Get("reason"))
	return p.afterDecision(w, r, h, err, "volunteer.hours.flash.declined")
}
