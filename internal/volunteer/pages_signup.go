package volunteer

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

func (p *Pages) signupRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /opportunities", h(p.listing))
	mux.Handle("POST /shifts/{id}/signup", h(p.signUp))
	mux.Handle("GET /signups/{id}", h(p.signupShow))
	mux.Handle("POST /signups/{id}/withdraw", h(p.withdraw))
	mux.Handle("GET /shifts/{id}/roster", h(p.roster))
	mux.Handle("POST /signups/{id}/approve", h(p.approve))
	mux.Handle("POST /signups/{id}/decline", h(p.decline))
	mux.Handle("POST /signups/{id}/no-show", h(p.noShow))
	mux.Handle("POST /organisations/{id}/vettings", h(p.vet))
	mux.Handle("POST /shifts/{id}/message", h(p.messageRoster))
}

// signupFieldErrors returns the per-field messages of a validation failure.
func signupFieldErrors(err error) (*httpx.Error, bool) {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		return he, true
	}
	return nil, false
}

// signupRefusal reports whether err is a rule the person could not see
// coming from the page, told as a notice rather than an error page.
func signupRefusal(err error, rules ...*httpx.Error) (string, bool) {
	for _, e := range rules {
		if errors.Is(err, e) {
			return e.MsgID, true
		}
	}
	return "", false
}

// signupZone is the zone the page's times are written in.
func (p *Pages) signupZone(loc *i18n.Locale) *time.Location {
	if loc.Zone != nil {
		return loc.Zone
	}
	return p.svc.zone
}

// signupWhen writes a shift's time: the day and start, then the end (the
// end's day too when the shift runs past midnight).
func (p *Pages) signupWhen(pg web.Page, sh *Shift) string {
	z := p.signupZone(pg.Locale)
	start, end := sh.StartsAt.In(z), sh.EndsAt.In(z)
	if start.Format(time.DateOnly) == end.Format(time.DateOnly) {
		return pg.DateTime(start) + " – " + pg.Digitize(end.Format("15:04"))
	}
	return pg.DateTime(start) + " – " + pg.DateTime(end)
}

// outcomeBadge is the badge class of an outcome.
func outcomeBadge(o Outcome) string {
	switch o {
	case SignedUp:
		return "ok"
	case OnWaitlist, PendingReview:
		return "warn"
	}
	return "bad"
}

// bestOutcome is the most welcoming accepted answer among a shift's roles.
func bestOutcome(ds map[string]Decision) Outcome {
	best := OnWaitlist
	for _, d := range ds {
		switch {
		case d.Outcome == SignedUp:
			return SignedUp
		case d.Outcome == PendingReview:
			best = PendingReview
		}
	}
	return best
}

// --- sign-up ---

type signupResultPage struct {
	web.Page
	Opportunity *Opportunity
	Shift       *Shift
	OppTitle    string
	When        string
	OppURL      string
	// Message explains a refusal (nil Form) in the person's language.
	Message string
	Badge   string
	// Form is set when the input itself was wrong, to correct and send again.
	Form       *web.Form
	RoleField  web.FieldData
	PartyField web.FieldData
	Members    web.FieldData
}

func (p *Pages) signUp(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	sh, opp, err := p.svc.openShift(ctx, p.svc.db.R, id)
	if err != nil {
		return err
	}
	oppURL := "/opportunities/" + opp.ID
	v := httpx.ViewerFrom(ctx)
	if v == nil {
		web.Redirect(w, r, "/signin?next="+url.QueryEscape(oppURL))
		return nil
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	in := SignupInput{RoleID: f.Get("role_id"), Members: strings.Split(r.PostForm.Get("members"), "\n")}
	f.Values["members"] = strings.TrimSpace(r.PostForm.Get("members"))
	if s := f.Get("party_size"); s != "" {
		n, perr := i18n.ParseInt(s)
		if perr != nil || n < 1 || n > MaxPartySize {
			f.Errors["party_size"] = "volunteer.signup.error.party_size"
		}
		in.PartySize = int(n)
	}
	var g *Signup
	var d Decision
	if f.OK() {
		g, d, err = p.svc.SignUp(ctx, v, id, in)
	}
	if errors.Is(err, ErrSignupNeedsProfile) {
		web.SetFlash(w, "error", ErrSignupNeedsProfile.MsgID)
		web.Redirect(w, r, "/volunteer/profile?next="+url.QueryEscape(oppURL))
		return nil
	}
	if he, ok := signupFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		err = nil
	}
	if err != nil {
		return err
	}
	pg := signupResultPage{Page: p.site.NewPage(w, r, "volunteer.signup.refused.title"), Opportunity: opp, Shift: sh, OppURL: oppURL}
	pg.OppTitle, pg.When = opp.Title(pg.Lang), p.signupWhen(pg.Page, sh)
	if !f.OK() {
		pg.Title = "volunteer.signup.fix.title"
		pg.Form = f
		pg.RoleField = pg.Field(f, "role_id", "volunteer.signup.field.role", "select", "required")
		for _, role := range sh.Roles {
			pg.RoleField.Options = append(pg.RoleField.Options, web.Option{Value: role.ID, Label: role.Name(pg.Lang), Selected: role.ID == f.Get("role_id")})
		}
		pg.PartyField = pg.Field(f, "party_size", "volunteer.signup.field.party_size", "text", "hint=volunteer.signup.field.party_size_hint")
		pg.Members = pg.Field(f, "members", "volunteer.signup.field.members", "textarea", "hint=volunteer.signup.field.members_hint")
		return p.site.Render(w, http.StatusUnprocessableEntity, "volunteer/signup_result", pg)
	}
	if g == nil {
		skills, err := p.svc.signupSkillLabels(ctx, pg.Lang)
		if err != nil {
			return err
		}
		pg.Message, pg.Badge = signupOutcomeText(pg.Locale, d, skills), outcomeBadge(d.Outcome)
		return p.site.Render(w, http.StatusUnprocessableEntity, "volunteer/signup_result", pg)
	}
	web.SetFlash(w, "ok", "volunteer.signup.flash."+string(d.Outcome))
	web.Redirect(w, r, "/signups/"+g.ID)
	return nil
}

type signupShowPage struct {
	web.Page
	D           *SignupDetail
	OppTitle    string
	OrgName     string
	RoleName    string
	When        string
	OppURL      string
	StatusText  string
	StatusBadge string
	Cutoff      string
	// CutoffPassed: the sign-up is live but can no longer be withdrawn here.
	CutoffPassed bool
	// Refusal is the catalogue id of why a withdrawal was refused.
	Refusal string
}

func (p *Pages) renderSignupShow(w http.ResponseWriter, r *http.Request, status int, refusal string) error {
	sd, err := p.svc.MySignup(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	pg := signupShowPage{Page: p.site.NewPage(w, r, "volunteer.signup.show.title"), D: sd, Refusal: refusal}
	pg.OppTitle, pg.OrgName, pg.When = sd.Opportunity.Title(pg.Lang), rosterOrgName(sd.Opportunity, pg.Lang), p.signupWhen(pg.Page, sd.Shift)
	pg.OppURL = "/opportunities/" + sd.Opportunity.ID
	if sd.Role != nil {
		pg.RoleName = sd.Role.Name(pg.Lang)
	}
	pg.Cutoff = pg.DateTime(sd.CutoffAt.In(p.signupZone(pg.Locale)))
	pg.CutoffPassed = sd.Signup.live() && !sd.CanWithdraw
	g := sd.Signup
	switch g.Status {
	case Confirmed:
		pg.StatusText, pg.StatusBadge = pg.T("volunteer.signup.status.confirmed"), "ok"
	case Waitlisted:
		pg.StatusText, pg.StatusBadge = pg.T("volunteer.signup.status.waitlisted", "Position", pg.Number(int64(g.WaitlistNumber))), "warn"
	case Pending:
		pg.StatusText, pg.StatusBadge = pg.T("volunteer.signup.status.pending"), "warn"
	case Withdrawn:
		pg.StatusText, pg.StatusBadge = pg.T("volunteer.signup.status.withdrawn"), "bad"
	case Declined:
		pg.StatusText, pg.StatusBadge = pg.T("volunteer.signup.status.declined"), "bad"
	}
	return p.site.Render(w, status, "volunteer/signup_show", pg)
}

func (p *Pages) signupShow(w http.ResponseWriter, r *http.Request) error {
	return p.renderSignupShow(w, r, http.StatusOK, "")
}

func (p *Pages) withdraw(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	_, err := p.svc.Withdraw(ctx, httpx.ViewerFrom(ctx), id)
	if msg, ok := signupRefusal(err, ErrCutoffPassed, ErrSignupNotLive); ok {
		return p.renderSignupShow(w, r, http.StatusConflict, msg)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.signup.flash.withdrawn")
	web.Redirect(w, r, "/signups/"+id)
	return nil
}

// --- roster ---

type rosterPage struct {
	web.Page
	R           *Roster
	OppTitle    string
	OrgName     string
	When        string
	OppURL      string
	RosterURL   string
	Roles       []rosterRoleView
	MessageForm *web.Form
	Subject     web.FieldData
	Text        web.FieldData
	// Skills lists each confirmed person's skills, by user id.
	Skills map[string][]CoordSkill
}

type rosterRoleView struct {
	ID, Name, Taken string
	Confirmed       []rosterEntryView
	Pending         []rosterEntryView
	Waitlisted      []rosterEntryView
}

type rosterEntryView struct {
	RosterEntry
	CheckedIn   bool
	CheckInText string
	Position    string
	// TeamText is "team 2 (leader)" for people a distribution placed.
	TeamText string
}

func (p *Pages) rosterEntries(pg web.Page, es []RosterEntry) []rosterEntryView {
	out := make([]rosterEntryView, 0, len(es))
	z := p.signupZone(pg.Locale)
	for _, e := range es {
		v := rosterEntryView{RosterEntry: e, Position: pg.Number(int64(e.Position)), TeamText: distTeamText(pg.Locale, e.Team, e.TeamLeader)}
		if e.CheckedInAt != nil {
			v.CheckedIn = true
			v.CheckInText = pg.T("volunteer.roster.checked_in_at", "Time", pg.Digitize(e.CheckedInAt.In(z).Format("15:04")))
			if e.CheckedOutAt != nil {
				v.CheckInText += " — " + pg.T("volunteer.roster.checked_out_at", "Time", pg.Digitize(e.CheckedOutAt.In(z).Format("15:04")))
			}
		}
		out = append(out, v)
	}
	return out
}

func (p *Pages) renderRoster(w http.ResponseWriter, r *http.Request, status int, msg *web.Form) error {
	ctx, id := r.Context(), r.PathValue("id")
	ro, err := p.svc.Roster(ctx, httpx.ViewerFrom(ctx), id)
	if err != nil {
		return err
	}
	pg := rosterPage{Page: p.site.NewPage(w, r, "volunteer.roster.title"), R: ro, MessageForm: msg}
	pg.OppTitle, pg.OrgName, pg.When = ro.Opportunity.Title(pg.Lang), rosterOrgName(ro.Opportunity, pg.Lang), p.signupWhen(pg.Page, ro.Shift)
	pg.OppURL, pg.RosterURL = "/opportunities/"+ro.Opportunity.ID, "/shifts/"+ro.Shift.ID+"/roster"
	for _, role := range ro.Roles {
		pg.Roles = append(pg.Roles, rosterRoleView{ID: role.ID, Name: role.Name(pg.Lang),
			Taken:     pg.T("volunteer.roster.taken", "Taken", pg.Number(int64(role.Taken)), "Slots", pg.Number(int64(role.Slots))),
			Confirmed: p.rosterEntries(pg.Page, role.Confirmed), Pending: p.rosterEntries(pg.Page, role.Pending),
			Waitlisted: p.rosterEntries(pg.Page, role.Waitlisted)})
	}
	var confirmed []string
	for _, role := range ro.Roles {
		for _, e := range role.Confirmed {
			confirmed = append(confirmed, e.UserID)
		}
	}
	if pg.Skills, err = p.svc.coordSkillsOf(ctx, confirmed, pg.Lang); err != nil {
		return err
	}
	pg.Subject = pg.Field(msg, "subject", "volunteer.roster.message.subject", "text", "required")
	pg.Text = pg.Field(msg, "text", "volunteer.roster.message.text", "textarea", "required")
	return p.site.Render(w, status, "volunteer/roster", pg)
}

func (p *Pages) roster(w http.ResponseWriter, r *http.Request) error {
	return p.renderRoster(w, r, http.StatusOK, web.EmptyForm())
}

// backToRoster redirects to the roster of the sign-up's shift with a notice.
func (p *Pages) backToRoster(w http.ResponseWriter, r *http.Request, signupID, kind, msgID string) error {
	g, err := signupByID(r.Context(), p.svc.db.R, signupID)
	if err != nil {
		return err
	}
	web.SetFlash(w, kind, msgID)
	web.Redirect(w, r, "/shifts/"+g.ShiftID+"/roster")
	return nil
}

// coordinatorRules are the refusals told on the roster as a notice.
var coordinatorRules = []*httpx.Error{ErrSignupNotPending, ErrSignupNotConfirmed, ErrNoShowTooEarly, ErrApprovalTooLate, ErrNoShowCheckedIn}

func (p *Pages) approve(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	g, err := p.svc.ApproveSignup(ctx, httpx.ViewerFrom(ctx), id)
	if msg, ok := signupRefusal(err, coordinatorRules...); ok {
		return p.backToRoster(w, r, id, "error", msg)
	}
	if err != nil {
		return err
	}
	msg := "volunteer.roster.flash.approved"
	if g.Status == Waitlisted {
		msg = "volunteer.roster.flash.approved_waitlisted"
	}
	return p.backToRoster(w, r, id, "ok", msg)
}

func (p *Pages) decline(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	_, err := p.svc.DeclineSignup(ctx, httpx.ViewerFrom(ctx), id)
	if msg, ok := signupRefusal(err, coordinatorRules...); ok {
		return p.backToRoster(w, r, id, "error", msg)
	}
	if err != nil {
		return err
	}
	return p.backToRoster(w, r, id, "ok", "volunteer.roster.flash.declined")
}

func (p *Pages) noShow(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	clear := f.Get("clear") != ""
	err = p.svc.MarkNoShow(ctx, httpx.ViewerFrom(ctx), id, f.Get("comment"), clear)
	if he, ok := signupFieldErrors(err); ok {
		// Only the comment can be wrong; say so on the roster.
		return p.backToRoster(w, r, id, "error", he.Fields["comment"])
	}
	if msg, ok := signupRefusal(err, coordinatorRules...); ok {
		return p.backToRoster(w, r, id, "error", msg)
	}
	if err != nil {
		return err
	}
	msg := "volunteer.roster.flash.no_show"
	if clear {
		msg = "volunteer.roster.flash.no_show_cleared"
	}
	return p.backToRoster(w, r, id, "ok", msg)
}

func (p *Pages) vet(w http.ResponseWriter, r *http.Request) error {
	ctx, orgID := r.Context(), r.PathValue("id")
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	back := web.SafeNext(f.Get("next"), "/organisations/"+orgID)
	added, err := p.svc.Vet(ctx, httpx.ViewerFrom(ctx), orgID, f.Get("user_id"))
	if he, ok := signupFieldErrors(err); ok {
		web.SetFlash(w, "error", he.Fields["user_id"])
		web.Redirect(w, r, back)
		return nil
	}
	if err != nil {
		return err
	}
	msg := "volunteer.roster.flash.vetted"
	if !added {
		msg = "volunteer.roster.flash.already_vetted"
	}
	web.SetFlash(w, "ok", msg)
	web.Redirect(w, r, back)
	return nil
}

func (p *Pages) messageRoster(w http.ResponseWriter, r *http.Request) error {
	ctx, id := r.Context(), r.PathValue("id")
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	_, err = p.svc.MessageRoster(ctx, httpx.ViewerFrom(ctx), id, f.Get("subject"), r.PostForm.Get("text"))
	if he, ok := signupFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderRoster(w, r, he.Status, f)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.roster.flash.message_sent")
	web.Redirect(w, r, "/shifts/"+id+"/roster")
	return nil
}

// --- listing ---

type listingPage struct {
	web.Page
	Filter        *web.Form
	Words         web.FieldData
	Category      web.FieldData
	Place         web.FieldData
	From, To      web.FieldData
	List          *ListPage
	Cards         []listingCard
	Filtered      bool
	AllURL        string
	EligibleURL   string
	ShowAll       bool
	Pager         web.Pager
	ProfileURL    string
	FilterProblem bool
}

type listingCard struct {
	URL, Title, OrgName, Category, Place, When string
	ShiftID                                    string
	Free                                       int
	// Status is the viewer's answer in a word ("" when not personal); Reason
	// explains why the shift is closed to them.
	Status      string
	StatusBadge string
	Reason      string
	Roles       []listingRole
}

type listingRole struct {
	Name        string
	Free, Slots int
	SlotsText   string
	Status      string
	StatusBadge string
	Reason      string
}

// listingAnswer is a decision as a short label, its badge and, for a refusal, the reason.
func listingAnswer(pg web.Page, d Decision, skills map[string]string) (label, badge, reason string) {
	if d.Outcome.Accepted() {
		return pg.T("volunteer.listing.can." + string(d.Outcome)), outcomeBadge(d.Outcome), ""
	}
	return pg.T("volunteer.listing.closed"), "bad", signupOutcomeText(pg.Locale, d, skills)
}

// listingURL is /opportunities with the filter and the given changes.
func listingURL(f ListFilter, set map[string]string) string {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "category": f.Category, "place": f.PlaceID, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.All {
		v.Set("all", "1")
	}
	for k, s := range set {
		if s == "" {
			v.Del(k)
		} else {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return "/opportunities"
	}
	return "/opportunities?" + v.Encode()
}

func (p *Pages) listing(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	f := ListFilter{Q: q.Get("q"), Category: q.Get("category"), PlaceID: q.Get("place"), From: q.Get("from"), To: q.Get("to"), After: q.Get("after"),
		All: q.Get("all") == "1"}
	pg := listingPage{Page: p.site.NewPage(w, r, "volunteer.listing.title"), ShowAll: f.All, ProfileURL: "/volunteer/profile"}
	pg.Filter = &web.Form{Values: map[string]string{"q": f.Q, "category": f.Category, "place": f.PlaceID, "from": f.From, "to": f.To}, Errors: map[string]string{}}
	pg.Filtered = f.Q != "" || f.Category != "" || f.PlaceID != "" || f.From != "" || f.To != ""
	res, err := p.svc.ListOpportunities(ctx, httpx.ViewerFrom(ctx), f)
	if he, ok := signupFieldErrors(err); ok {
		// A bad filter shows the form with the problem and the unfiltered list.
		pg.Filter.SetErrors(he.Fields)
		pg.FilterProblem = true
		res, err = p.svc.ListOpportunities(ctx, httpx.ViewerFrom(ctx), ListFilter{All: f.All})
	}
	if err != nil {
		return err
	}
	pg.List = res
	choices := []string{"", "volunteer.listing.any_category"}
	for _, c := range Categories {
		choices = append(choices, c, CategoryMsgID(c))
	}
	pg.Category = pg.Select(pg.Filter, "category", "volunteer.listing.field.category", choices)
	places, err := p.svc.orgs.PlaceOptions(ctx, pg.Lang)
	if err != nil {
		return err
	}
	pg.Place = pg.Field(pg.Filter, "place", "volunteer.listing.field.place", "select")
	pg.Place.Options = append(pg.Place.Options, web.Option{Value: "", Label: pg.T("volunteer.listing.any_place")})
	placeName := map[string]string{}
	for _, o := range places {
		o.Selected = o.Value == f.PlaceID && f.PlaceID != ""
		pg.Place.Options = append(pg.Place.Options, o)
		placeName[o.Value] = o.Label
	}
	pg.Words = pg.Field(pg.Filter, "q", "volunteer.listing.field.q", "search")
	pg.From = pg.Field(pg.Filter, "from", "volunteer.listing.field.from", "date")
	pg.To = pg.Field(pg.Filter, "to", "volunteer.listing.field.to", "date")
	pg.AllURL = listingURL(f, map[string]string{"all": "1"})
	pg.EligibleURL = listingURL(f, map[string]string{"all": ""})
	skillName, err := p.svc.signupSkillLabels(ctx, pg.Lang)
	if err != nil {
		return err
	}
	for _, it := range res.Items {
		card := listingCard{URL: "/opportunities/" + it.Opportunity.ID, ShiftID: it.Shift.ID, Title: it.Opportunity.Title(pg.Lang),
			OrgName: rosterOrgName(it.Opportunity, pg.Lang), Category: pg.T(CategoryMsgID(it.Opportunity.Category)), When: p.signupWhen(pg.Page, it.Shift)}
		if id := it.Opportunity.PlaceID; id != "" {
			card.Place = placeName[id]
			if card.Place == "" {
				if pl, err := p.svc.orgs.Place(ctx, id); err == nil {
					card.Place, placeName[id] = pl.Name(pg.Lang), pl.Name(pg.Lang)
				}
			}
		}
		for _, role := range it.Shift.Roles {
			lr := listingRole{Name: role.Name(pg.Lang), Free: role.Free(), Slots: role.Slots, SlotsText: pg.Number(int64(role.Slots))}
			card.Free += role.Free()
			if d, ok := it.Decisions[role.ID]; ok {
				lr.Status, lr.StatusBadge, lr.Reason = listingAnswer(pg.Page, d, skillName)
			}
			card.Roles = append(card.Roles, lr)
		}
		if res.Personal {
			if it.Eligible {
				card.Status, card.StatusBadge, _ = listingAnswer(pg.Page, Decision{Outcome: bestOutcome(it.Decisions)}, skillName)
			} else if it.Reason != nil {
				card.Status, card.StatusBadge, card.Reason = listingAnswer(pg.Page, *it.Reason, skillName)
			}
		}
		pg.Cards = append(pg.Cards, card)
	}
	next := ""
	if res.Next != "" {
		next = listingURL(f, map[string]string{"after": res.Next})
	}
	pg.Pager = pg.NewPager("", next)
	return p.site.Render(w, http.StatusOK, "volunteer/listing", pg)
}
