package volunteer

// The coordinator's distribution screens: the form (shifts, urgency,
// leaders) with the recent runs, and a run's page: progress while the job
// works, then the preview to adjust and run again, apply or discard.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"sharaka/internal/assign"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

func (p *Pages) distributeRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /opportunities/{id}/distribute", h(p.distForm))
	mux.Handle("POST /opportunities/{id}/distribute", h(p.distStart))
	mux.Handle("GET /opportunities/{id}/distributions/{run}", h(p.distShow))
	mux.Handle("GET /opportunities/{id}/distributions/{run}/progress", h(p.distProgressFragment))
	mux.Handle("POST /opportunities/{id}/distributions/{run}/rerun", h(p.distRerun))
	mux.Handle("POST /opportunities/{id}/distributions/{run}/apply", h(p.distApply))
	mux.Handle("POST /opportunities/{id}/distributions/{run}/discard", h(p.distDiscard))
}

// distRunURL is a run's page.
func distRunURL(oppID, runID string) string {
	return "/opportunities/" + oppID + "/distributions/" + runID
}

// ---- the form and the recent runs ----

type distFormPage struct {
	web.Page
	Opp        *Opportunity
	OppTitle   string
	Form       *web.Form
	Shifts     []distShiftChoice
	TeamLeader bool
	Pool       string
	HasPool    bool
	HasPlace   bool
	Archived   bool
	ImportURL  string
	Runs       []distRunRow
	Pager      web.Pager
}

type distShiftChoice struct {
	ID, When, Places string
	Checked          bool
	Urgency          []web.Option
}

type distRunRow struct {
	URL, When, By, Status, Badge, Filled string
}

func (p *Pages) distForm(w http.ResponseWriter, r *http.Request) error {
	return p.renderDistForm(w, r, http.StatusOK, nil, nil)
}

// renderDistForm shows the form; f and chosen carry a refused submission.
func (p *Pages) renderDistForm(w http.ResponseWriter, r *http.Request, status int, f *web.Form, in *DistributionInput) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	data, err := p.svc.DistributionFormData(ctx, v, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	runs, next, prev, err := p.svc.Distributions(ctx, v, id, q.Get("after"), q.Get("before"))
	if err != nil {
		return err
	}
	if f == nil {
		f = web.EmptyForm()
	}
	pg := distFormPage{Page: p.site.NewPage(w, r, "volunteer.distribute.title"), Opp: data.Opportunity, Form: f,
		HasPool: data.Pool > 0, HasPlace: data.HasPlace, Archived: data.Opportunity.Status == OppArchived,
		ImportURL: "/organisations/" + data.Opportunity.OrgID + "/volunteers/import", TeamLeader: in != nil && in.TeamLeader}
	pg.OppTitle = data.Opportunity.Title(pg.Lang)
	pg.Pool = pg.N("volunteer.distribute.pool", data.Pool)
	for _, sh := range data.Shifts {
		c := distShiftChoice{ID: sh.ID, When: p.signupWhen(pg.Page, sh), Checked: in == nil}
		free := 0
		for _, role := range sh.Roles {
			free += role.Free()
		}
		c.Places = pg.N("volunteer.listing.free", free)
		urgency := DefaultUrgency
		if in != nil {
			c.Checked = slices.Contains(in.Shifts, sh.ID)
			if u, ok := in.Urgency[sh.ID]; ok && u >= 1 && u <= 5 {
				urgency = u
			}
		}
		for u := 1; u <= 5; u++ {
			c.Urgency = append(c.Urgency, web.Option{Value: strconv.Itoa(u), Label: pg.T(fmt.Sprintf("volunteer.distribute.urgency.u%d", u)),
				Selected: u == urgency})
		}
		pg.Shifts = append(pg.Shifts, c)
	}
	for _, run := range runs {
		row := distRunRow{URL: distRunURL(id, run.ID), When: pg.DateTime(run.CreatedAt), By: run.CreatedByName,
			Status: pg.T(run.Status.MsgID()), Badge: distStatusBadge(run.Status)}
		if run.Result != nil {
			row.Filled = pg.T("volunteer.distribute.filled_of", "Filled", pg.Number(int64(run.Result.Engine.Filled)),
				"Slots", pg.Number(int64(run.Result.Engine.Slots)))
		}
		pg.Runs = append(pg.Runs, row)
	}
	base := "/opportunities/" + id + "/distribute"
	pg.Pager = pg.NewPager(oppPageURL(base, "before", prev), oppPageURL(base, "after", next))
	return p.site.Render(w, status, "volunteer/distribute_form", pg)
}

// distStatusBadge is the badge class that shows a run's status.
func distStatusBadge(st DistributionStatus) string {
	switch st {
	case DistDone, DistApplied:
		return "ok"
	case DistFailed, DistDiscarded:
		return "bad"
	}
	return "warn"
}

func (p *Pages) distStart(w http.ResponseWriter, r *http.Request) error {
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	in := DistributionInput{Shifts: r.PostForm["shift"], Urgency: map[string]int{}, TeamLeader: f.Get("team_leader") != ""}
	for _, id := range in.Shifts {
		if s := f.Get("urgency_" + id); s != "" {
			n, err := i18n.ParseInt(s)
			if err != nil {
				n = -1 // refused by the validation with the right message
			}
			in.Urgency[id] = int(n)
		}
	}
	ctx := r.Context()
	run, err := p.svc.StartDistribution(ctx, httpx.ViewerFrom(ctx), r.PathValue("id"), in)
	if he, ok := oppFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderDistForm(w, r, he.Status, f, &in)
	}
	if err != nil {
		return err
	}
	web.Redirect(w, r, distRunURL(run.OpportunityID, run.ID))
	return nil
}

// ---- a run ----

type distRunPage struct {
	web.Page
	Opp       *Opportunity
	OppTitle  string
	Run       *DistributionRun
	Base      string
	FormURL   string
	Working   bool
	Percent   string
	Value     string
	Status    string
	Badge     string
	StartedBy string
	ErrorText string
	// The preview, once done (or applied).
	Preview   bool
	CanAdjust bool
	Nothing   bool
	Summary   string
	Compare   []distCompareRow
	Needs     []string
	Skipped   []distSkippedView
	Dropped   []string
	Shifts    []distShiftView
	Applied   *distAppliedView
	Settings  string
}

type distCompareRow struct{ Label, Engine, Baseline string }

type distSkippedView struct{ Text, Names string }

type distShiftView struct {
	ID, When, Urgency string
	Assignments       []distAssignView
	LeftOut           []distLeftView
	LeftOutMore       string
	Removed           []distLeftView
	Shortages         []distShortView
}

type distAssignView struct {
	Name, Role, Team, Reason string
	Pinned                   bool
	PinValue, RemoveValue    string
}

type distLeftView struct {
	Name, Reason, Value, PinValue string
}

type distShortView struct{ Line, Detail string }

type distAppliedView struct {
	Placed, Notified, When string
	Skipped                []distSkippedView
}

// distRun reads the run of the path for a coordinator: the run must belong
// to the opportunity named in the path.
func (p *Pages) distRun(r *http.Request) (*DistributionRun, *Opportunity, error) {
	ctx := r.Context()
	run, opp, err := p.svc.Distribution(ctx, httpx.ViewerFrom(ctx), r.PathValue("run"))
	if err != nil {
		return nil, nil, err
	}
	if run.OpportunityID != r.PathValue("id") {
		return nil, nil, httpx.ErrNotFound
	}
	return run, opp, nil
}

func (p *Pages) distShow(w http.ResponseWriter, r *http.Request) error {
	run, opp, err := p.distRun(r)
	if err != nil {
		return err
	}
	pg, err := p.distRunData(w, r, run, opp)
	if err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "volunteer/distribute_run", pg)
}

// distProgressFragment is what the run page polls while the job works: the
// progress block alone. Once the run is finished it tells htmx to reload the
// whole page, which then shows the preview, and stops polling.
func (p *Pages) distProgressFragment(w http.ResponseWriter, r *http.Request) error {
	run, opp, err := p.distRun(r)
	if err != nil {
		return err
	}
	pg, err := p.distRunData(w, r, run, opp)
	if err != nil {
		return err
	}
	if !pg.Working && r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Refresh", "true")
	}
	return p.site.Render(w, http.StatusOK, "volunteer/distribute_progress", pg)
}

// distRunData prepares a run's page in the reader's language.
func (p *Pages) distRunData(w http.ResponseWriter, r *http.Request, run *DistributionRun, opp *Opportunity) (*distRunPage, error) {
	pg := &distRunPage{Page: p.site.NewPage(w, r, "volunteer.distribute.run_title"), Opp: opp, Run: run,
		Base: distRunURL(opp.ID, run.ID), FormURL: "/opportunities/" + opp.ID + "/distribute", Working: run.Status.Working(),
		Badge: distStatusBadge(run.Status)}
	pg.Status = pg.T(run.Status.MsgID())
	pg.OppTitle = opp.Title(pg.Lang)
	pg.StartedBy = pg.T("volunteer.distribute.started_by", "Name", "\u2068"+run.CreatedByName+"\u2069", "When", pg.DateTime(run.CreatedAt))
	percent := int(run.Progress*100 + 0.5)
	pg.Value, pg.Percent = strconv.Itoa(percent), pg.T("volunteer.distribute.percent", "Percent", pg.Number(int64(percent)))
	if run.Status == DistFailed {
		pg.ErrorText = pg.T(cmpOr(run.Error, distFailedMsg))
	}
	leader := ""
	if run.Settings.TeamLeader {
		leader = " " + pg.T("volunteer.distribute.with_leaders")
	}
	pg.Settings = pg.N("volunteer.distribute.settings", len(run.Settings.Shifts)) + leader
	if run.Result == nil {
		return pg, nil
	}
	if err := p.distPreview(r, pg, run.Result); err != nil {
		return nil, err
	}
	return pg, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// distPreview fills the preview's part of a run's page.
func (p *Pages) distPreview(r *http.Request, pg *distRunPage, res *DistributionResult) error {
	skills, err := p.skillNames(r.Context(), pg.Lang)
	if err != nil {
		return err
	}
	run := pg.Run
	pg.Preview = true
	pg.CanAdjust = run.Status == DistDone
	pg.Nothing = res.Placed() == 0
	pg.Summary = pg.T("volunteer.distribute.summary", "Placed", pg.N("volunteer.distribute.placed", res.Placed()),
		"Filled", pg.Number(int64(res.Engine.Filled)), "Slots", pg.Number(int64(res.Engine.Slots)),
		"Considered", pg.Number(int64(res.Considered)))
	zone := p.signupZone(pg.Locale)
	label := func(id string) string {
		if s := res.Shift(id); s != nil {
			return pg.DateTime(s.StartsAt) + " – " + pg.Digitize(s.EndsAt.In(zone).Format("15:04"))
		}
		return ""
	}
	num := func(n int) string { return pg.Number(int64(n)) }
	dec := func(x float64, digits int) string { return pg.Digitize(strconv.FormatFloat(x, 'f', digits, 64)) }
	e, b := res.Engine, res.Baseline
	pg.Compare = []distCompareRow{
		{pg.T("volunteer.distribute.compare.filled"), pg.T("volunteer.distribute.filled_of", "Filled", num(e.Filled), "Slots", num(e.Slots)),
			pg.T("volunteer.distribute.filled_of", "Filled", num(b.Filled), "Slots", num(b.Slots))},
		{pg.T("volunteer.distribute.compare.km"), distKm(pg.Locale, e.TotalKm), distKm(pg.Locale, b.TotalKm)},
		{pg.T("volunteer.distribute.compare.volunteers"), num(e.Volunteers), num(b.Volunteers)},
		{pg.T("volunteer.distribute.compare.load_max"), num(e.LoadMax), num(b.LoadMax)},
		{pg.T("volunteer.distribute.compare.load_p90"), dec(e.LoadP90, 1), dec(b.LoadP90, 1)},
		{pg.T("volunteer.distribute.compare.gini"), dec(e.LoadGini, 2), dec(b.LoadGini, 2)},
	}
	skill := func(id string) string {
		if n := skills[id]; n != "" {
			return n
		}
		return id
	}
	for _, n := range res.Needs {
		pg.Needs = append(pg.Needs, pg.N(n.MessageID(), n.Slots, "Skill", skill(n.Skill))+" "+pg.N(assign.NeedShiftsID, n.Shifts))
	}
	sep := "، "
	if pg.Lang == i18n.EN {
		sep = ", "
	}
	for _, sk := range res.Skipped {
		v := distSkippedView{Text: pg.T("volunteer.distribute.skipped."+sk.Reason, "Count", pg.Number(int64(sk.Count))), Names: strings.Join(sk.Names, sep)}
		if more := sk.Count - len(sk.Names); more > 0 {
			v.Names += sep + pg.T("volunteer.distribute.and_more", "Count", pg.Number(int64(more)))
		}
		pg.Skipped = append(pg.Skipped, v)
	}
	for _, d := range res.DroppedPins {
		name := res.Names[d.Volunteer]
		if name == "" {
			name = pg.T("volunteer.distribute.someone")
		}
		pg.Dropped = append(pg.Dropped, pg.T("volunteer.distribute.dropped_pin", "Name", "\u2068"+name+"\u2069", "Shift", label(d.Shift)))
	}
	for _, ds := range res.Shifts {
		sv := distShiftView{ID: ds.ID, When: label(ds.ID), Urgency: pg.T("volunteer.distribute.urgency_label",
			"Urgency", pg.T(fmt.Sprintf("volunteer.distribute.urgency.u%d", min(max(ds.Priority, 1), 5))))}
		roleName := func(id string) string {
			for _, role := range ds.Roles {
				if role.ID == id {
					return pickTitle(pg.Lang, role.NameAr, role.NameEn)
				}
			}
			return ""
		}
		for _, a := range ds.Assignments {
			sv.Assignments = append(sv.Assignments, distAssignView{Name: a.Name, Role: pickTitle(pg.Lang, a.RoleNameAr, a.RoleNameEn),
				Team: distTeamText(pg.Locale, a.Team, a.Leader), Reason: distReasonText(pg.Locale, a.Reason, skills, label), Pinned: a.Pinned,
				PinValue: a.Volunteer + ":" + ds.ID + ":" + a.Role, RemoveValue: a.Volunteer + ":" + ds.ID})
		}
		for _, l := range ds.LeftOut {
			lv := distLeftView{Name: l.Name, Reason: distReasonText(pg.Locale, l.Reason, skills, label)}
			if l.Role != "" && distPinnable[l.Reason.Code] {
				lv.PinValue = l.Volunteer + ":" + ds.ID + ":" + l.Role
			}
			sv.LeftOut = append(sv.LeftOut, lv)
		}
		if more := ds.LeftOutTotal - len(ds.LeftOut); more > 0 {
			sv.LeftOutMore = pg.T("volunteer.distribute.left_out_more", "Count", pg.Number(int64(more)))
		}
		for _, l := range ds.Removed {
			sv.Removed = append(sv.Removed, distLeftView{Name: l.Name, Reason: pg.T(l.Reason.MessageID()), Value: l.Volunteer + ":" + ds.ID})
		}
		for _, s := range res.Shortages {
			if s.Shift != ds.ID {
				continue
			}
			line := pg.N(s.MessageID(), s.Empty, "Skill", skill(s.Skill))
			if name := roleName(s.Role); name != "" {
				line = name + ": " + line
			}
			sv.Shortages = append(sv.Shortages, distShortView{Line: line, Detail: pg.N(assign.ShortageEligibleID, s.Eligible, "Busy", num(s.Busy))})
		}
		pg.Shifts = append(pg.Shifts, sv)
	}
	if a := res.Applied; a != nil {
		av := &distAppliedView{Placed: pg.N("volunteer.distribute.applied_placed", a.Placed), Notified: pg.N("volunteer.distribute.applied_notified", a.Notified)}
		if run.AppliedAt != nil {
			av.When = pg.DateTime(*run.AppliedAt)
		}
		for _, k := range a.Skipped {
			av.Skipped = append(av.Skipped, distSkippedView{Text: pg.T(k.MessageID()), Names: k.Name + " — " + label(k.Shift)})
		}
		pg.Applied = av
	}
	return nil
}

// distPinnable are the left-out reasons under which a coordinator may still
// put the volunteer on the shift: the engine then makes room (moves them off
// the other shift, or gives the place to them). Someone out of reach or not
// available then could not be placed at all.
var distPinnable = map[string]bool{assign.ReasonCouldFill: true, assign.ReasonFull: true, assign.ReasonOverlap: true,
	assign.ReasonLimitShifts: true, assign.ReasonLimitHours: true}

// distTicked reads ticked "volunteer:shift[:role]" values.
func distTicked(values []string, withRole bool) []DistributionPin {
	var out []DistributionPin
	for _, v := range values {
		parts := strings.Split(v, ":")
		switch {
		case withRole && len(parts) == 3:
			out = append(out, DistributionPin{Volunteer: parts[0], Shift: parts[1], Role: parts[2]})
		case !withRole && len(parts) >= 2:
			out = append(out, DistributionPin{Volunteer: parts[0], Shift: parts[1]})
		}
	}
	return out
}

func (p *Pages) distRerun(w http.ResponseWriter, r *http.Request) error {
	if _, err := web.NewForm(r); err != nil {
		return httpx.ErrBadRequest
	}
	run, _, err := p.distRun(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	adj := Adjustments{Pin: distTicked(r.PostForm["pin"], true), Remove: distTicked(r.PostForm["remove"], false),
		Restore: distTicked(r.PostForm["restore"], false)}
	next, err := p.svc.RerunDistribution(ctx, httpx.ViewerFrom(ctx), run.ID, adj)
	if he, ok := oppFieldErrors(err); ok {
		// The shifts of the earlier run have all begun: back to the form.
		web.SetFlash(w, "error", he.Fields[firstKey(he.Fields)])
		web.Redirect(w, r, "/opportunities/"+run.OpportunityID+"/distribute")
		return nil
	}
	if err != nil {
		return err
	}
	web.Redirect(w, r, distRunURL(next.OpportunityID, next.ID))
	return nil
}

func firstKey(m map[string]string) string {
	for _, k := range []string{"shifts", "urgency", "pins"} {
		if _, ok := m[k]; ok {
			return k
		}
	}
	for k := range m {
		return k
	}
	return ""
}

func (p *Pages) distApply(w http.ResponseWriter, r *http.Request) error {
	run, _, err := p.distRun(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	back := distRunURL(run.OpportunityID, run.ID)
	_, err = p.svc.ApplyDistribution(ctx, httpx.ViewerFrom(ctx), run.ID)
	var he *httpx.Error
	switch {
	case errors.As(err, &he) && he.Status == http.StatusConflict:
		web.SetFlash(w, "error", he.MsgID)
	case err != nil:
		return err
	default:
		web.SetFlash(w, "ok", "volunteer.distribute.flash.applied")
	}
	web.Redirect(w, r, back)
	return nil
}

func (p *Pages) distDiscard(w http.ResponseWriter, r *http.Request) error {
	run, _, err := p.distRun(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = p.svc.DiscardDistribution(ctx, httpx.ViewerFrom(ctx), run.ID)
	var he *httpx.Error
	switch {
	case errors.As(err, &he) && he.Status == http.StatusConflict:
		web.SetFlash(w, "error", he.MsgID)
		web.Redirect(w, r, distRunURL(run.OpportunityID, run.ID))
		return nil
	case err != nil:
		return err
	}
	web.SetFlash(w, "ok", "volunteer.distribute.flash.discarded")
	web.Redirect(w, r, "/opportunities/"+run.OpportunityID+"/distribute")
	return nil
}
