package volunteer

import (
	"net/http"

	"sharaka/internal/platform/httpx"
)

// opportunityOps lists the opportunity and shift operations for the OpenAPI document.
var opportunityOps = []httpx.Operation{
	{Method: "POST", Path: "/api/v1/organisations/{id}/opportunities", ID: "createOpportunity", Tag: "volunteering", Auth: true,
		Body: OpportunityInput{}, Response: Opportunity{}, Status: http.StatusCreated,
		Summary: "Create an opportunity (the organisation's coordinators; only a verified organisation may publish)"},
	{Method: "GET", Path: "/api/v1/opportunities/{id}", ID: "getOpportunity", Tag: "volunteering", Query: []string{"after", "before"}, Response: OpportunityDetail{},
		Summary: "Get an opportunity with its upcoming shifts, a page at a time (drafts only for its coordinators)"},
	{Method: "POST", Path: "/api/v1/opportunities/{id}/shifts", ID: "createShift", Tag: "volunteering", Auth: true,
		Body: ShiftInput{}, Response: ShiftDetail{}, Status: http.StatusCreated,
		Summary: "Add a one-off shift with its roles; date and times are in the platform's zone (Asia/Riyadh)"},
	{Method: "GET", Path: "/api/v1/shifts/{id}", ID: "getShift", Tag: "volunteering", Response: ShiftDetail{},
		Summary: "Get a shift with its roles and taken places; the check-in code only for coordinators"},
	{Method: "POST", Path: "/api/v1/opportunities/{id}/series", ID: "createShiftSeries", Tag: "volunteering", Auth: true,
		Body: SeriesInput{}, Response: Series{}, Status: http.StatusCreated,
		Summary: "Add a weekly series of shifts; its shifts for the next eight weeks are made at once, later ones as time passes"},
}

// OpportunityDetail is an opportunity with a page of its upcoming shifts;
// ShiftsNext and ShiftsPrev are the cursors (after=, before=) of the
// neighbouring pages, "" when there is none.
type OpportunityDetail struct {
	*Opportunity
	Shifts     []ShiftDetail `json:"shifts"`
	ShiftsNext string        `json:"shifts_next"`
	ShiftsPrev string        `json:"shifts_prev"`
}

// ShiftDetail is a shift as the API shows it; CheckinCode only to coordinators.
type ShiftDetail struct {
	*Shift
	CheckinCode string `json:"checkin_code,omitempty"`
}

func shiftDetail(sh *Shift) ShiftDetail {
	if sh.Roles == nil {
		sh.Roles = []Role{}
	}
	return ShiftDetail{Shift: sh, CheckinCode: sh.CheckinCode}
}

// opportunityAPI adds the opportunity and shift endpoints.
func (a *API) opportunityAPI(mux httpx.Router) {
	mux.Handle("POST /api/v1/organisations/{id}/opportunities", httpx.API(a.createOpportunity))
	mux.Handle("GET /api/v1/opportunities/{id}", httpx.API(a.getOpportunity))
	mux.Handle("POST /api/v1/opportunities/{id}/shifts", httpx.API(a.createShift))
	mux.Handle("GET /api/v1/shifts/{id}", httpx.API(a.getShift))
	mux.Handle("POST /api/v1/opportunities/{id}/series", httpx.API(a.createSeries))
}

func (a *API) createOpportunity(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in OpportunityInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := a.svc.CreateOpportunity(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/opportunities/"+o.ID)
	return httpx.WriteJSON(w, http.StatusCreated, o)
}

func (a *API) getOpportunity(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := a.svc.Opportunity(ctx, v, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	shifts, next, prev, err := a.svc.UpcomingShifts(ctx, v, id, q.Get("after"), q.Get("before"))
	if err != nil {
		return err
	}
	out := OpportunityDetail{Opportunity: o, Shifts: []ShiftDetail{}, ShiftsNext: next, ShiftsPrev: prev}
	for _, sh := range shifts {
		out.Shifts = append(out.Shifts, shiftDetail(sh))
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createShift(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in ShiftInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	sh, err := a.svc.CreateShift(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/shifts/"+sh.ID)
	return httpx.WriteJSON(w, http.StatusCreated, shiftDetail(sh))
}

func (a *API) getShift(w http.ResponseWriter, r *http.Request) error {
	sh, err := a.svc.Shift(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, shiftDetail(sh))
}

func (a *API) createSeries(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in SeriesInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	ser, err := a.svc.CreateSeries(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, ser)
}
