package volunteer

import (
	"encoding/json"
	"net/http"
	"strings"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

var signupOps = []httpx.Operation{
	{Method: "GET", Path: "/api/v1/opportunities", ID: "listOpportunities", Tag: "volunteering",
		Query: []string{"q", "eligible_only", "category", "place", "from", "to", "after", "limit"}, Response: OpportunityList{},
		Summary: "List upcoming shifts in start order (q: words in any spelling, through the search index); for a volunteer with a profile only those they may sign up for unless eligible_only=false, with the reason each other one is closed to them"},
	{Method: "POST", Path: "/api/v1/shifts/{id}/signups", ID: "signUpForShift", Tag: "volunteering", Auth: true, Body: SignupInput{},
		Response: SignupResult{}, Status: http.StatusCreated,
		Summary: "Sign up for a shift (alone or with a party); 201 with the outcome (signed up, waitlisted, pending review) or 422 with the outcome that refused it"},
	{Method: "POST", Path: "/api/v1/signups/{id}/withdraw", ID: "withdrawFromShift", Tag: "volunteering", Auth: true, Response: Signup{},
		Summary: "Withdraw one's own sign-up before the shift's cancellation cut-off; a freed place goes to the waitlist"},
	{Method: "GET", Path: "/api/v1/shifts/{id}/roster", ID: "getShiftRoster", Tag: "volunteering", Auth: true, Response: Roster{},
		Summary: "A shift's roster for its coordinators: confirmed, pending and waitlisted people per role, with check-in and no-shows"},
}

func (a *API) signupAPI(mux httpx.Router) {
	mux.Handle("GET /api/v1/opportunities", httpx.API(a.listOpportunities))
	mux.Handle("POST /api/v1/shifts/{id}/signups", httpx.API(a.signUpForShift))
	mux.Handle("POST /api/v1/signups/{id}/withdraw", httpx.API(a.withdrawFromShift))
	mux.Handle("GET /api/v1/shifts/{id}/roster", httpx.API(a.getShiftRoster))
}

// OutcomeInfo is a decision as the API tells it: the outcome code and its
// explanation in the request's language.
type OutcomeInfo struct {
	Outcome  Outcome `json:"outcome"`
	Message  string  `json:"message"`
	Position int     `json:"waitlist_position,omitempty"`
}

// OpportunityListItem is one shift of the list. Eligible, Reason and
// Outcomes are null for anonymous callers and people without a profile.
type OpportunityListItem struct {
	Shift       *Shift       `json:"shift"`
	Opportunity *Opportunity `json:"opportunity"`
	Eligible    *bool        `json:"eligible"`
	// Reason is why the shift is closed to the caller.
	Reason *OutcomeInfo `json:"reason"`
	// Outcomes answers each role, by role id.
	Outcomes map[string]OutcomeInfo `json:"outcomes"`
}

// OpportunityList is a page of shifts.
type OpportunityList struct {
	Items []OpportunityListItem `json:"items"`
	Next  string                `json:"next"`
}

// SignupResult is an accepted sign-up with its outcome.
type SignupResult struct {
	Signup  *Signup `json:"signup"`
	Outcome Outcome `json:"outcome"`
	Message string  `json:"message"`
}

// SignupProblem is the 422 problem of a refused sign-up, carrying the outcome.
type SignupProblem struct {
	httpx.Problem
	Outcome Outcome `json:"outcome"`
}

func outcomeInfo(loc *i18n.Locale, d Decision, skills map[string]string) OutcomeInfo {
	info := OutcomeInfo{Outcome: d.Outcome, Message: signupOutcomeText(loc, d, skills)}
	if d.Outcome == OnWaitlist {
		info.Position = d.Position
	}
	return info
}

func (a *API) listOpportunities(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := ListFilter{Q: q.Get("q"), Category: q.Get("category"), PlaceID: q.Get("place"), From: q.Get("from"), To: q.Get("to"), After: q.Get("after")}
	switch strings.ToLower(strings.TrimSpace(q.Get("eligible_only"))) {
	case "", "true", "1":
	case "false", "0":
		f.All = true
	default:
		return httpx.Invalid(map[string]string{"eligible_only": "volunteer.listing.error.eligible_only"})
	}
	if s := strings.TrimSpace(q.Get("limit")); s != "" {
		n, err := i18n.ParseInt(s)
		if err != nil || n < 1 || n > ListMaxLimit {
			return httpx.Invalid(map[string]string{"limit": "volunteer.listing.error.limit"})
		}
		f.Limit = int(n)
	}
	pg, err := a.svc.ListOpportunities(r.Context(), httpx.ViewerFrom(r.Context()), f)
	if err != nil {
		return err
	}
	loc := httpx.Locale(r.Context())
	skills, err := a.svc.signupSkillLabels(r.Context(), loc.Lang)
	if err != nil {
		return err
	}
	out := OpportunityList{Items: make([]OpportunityListItem, 0, len(pg.Items)), Next: pg.Next}
	for _, it := range pg.Items {
		item := OpportunityListItem{Shift: it.Shift, Opportunity: it.Opportunity}
		if it.Shift.Roles == nil {
			it.Shift.Roles = []Role{}
		}
		if pg.Personal {
			eligible := it.Eligible
			item.Eligible = &eligible
			item.Outcomes = make(map[string]OutcomeInfo, len(it.Decisions))
			for id, d := range it.Decisions {
				item.Outcomes[id] = outcomeInfo(loc, d, skills)
			}
			if it.Reason != nil {
				info := outcomeInfo(loc, *it.Reason, skills)
				item.Reason = &info
			}
		}
		out.Items = append(out.Items, item)
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) signUpForShift(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in SignupInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	g, d, err := a.svc.SignUp(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	loc := httpx.Locale(r.Context())
	skills, err := a.svc.signupSkillLabels(r.Context(), loc.Lang)
	if err != nil {
		return err
	}
	info := outcomeInfo(loc, d, skills)
	if g == nil {
		p := SignupProblem{Problem: httpx.Problem{Type: httpx.ProblemBase + "signup-refused", Title: loc.T("volunteer.signup.refused.title"),
			Status: http.StatusUnprocessableEntity, Detail: info.Message}, Outcome: d.Outcome}
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Content-Language", string(loc.Lang))
		w.WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(w).Encode(p)
	}
	if g.Members == nil {
		g.Members = []string{}
	}
	return httpx.WriteJSON(w, http.StatusCreated, SignupResult{Signup: g, Outcome: d.Outcome, Message: info.Message})
}

func (a *API) withdrawFromShift(w http.ResponseWriter, r *http.Request) error {
	g, err := a.svc.Withdraw(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, g)
}

func (a *API) getShiftRoster(w http.ResponseWriter, r *http.Request) error {
	ro, err := a.svc.Roster(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, ro)
}
