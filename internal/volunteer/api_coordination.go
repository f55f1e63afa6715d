package volunteer

import (
	"net/http"
	"strings"

	"sharaka/internal/platform/httpx"
)

// The JSON API of what coordinators do: decide sign-ups, mark no-shows, vet
// volunteers and verify their skills, message and cancel shifts, edit
// opportunities and settings, and download rosters and hours.

var coordinationOps = []httpx.Operation{
	{Method: "POST", Path: "/api/v1/signups/{id}/approve", ID: "approveSignup", Tag: "volunteering", Auth: true, Response: Signup{},
		Summary: "Approve a pending sign-up (coordinators): confirmed when the party fits in the role, else waitlisted; the person is told"},
	{Method: "POST", Path: "/api/v1/signups/{id}/decline", ID: "declineSignup", Tag: "volunteering", Auth: true, Response: Signup{},
		Summary: "Decline a pending sign-up (coordinators); the person is told"},
	{Method: "POST", Path: "/api/v1/signups/{id}/no-show", ID: "markNoShow", Tag: "volunteering", Auth: true, Body: NoShowRequest{}, Response: NoShowResult{},
		Summary: "Mark a confirmed person who did not come as a no-show with a required comment, once the shift has begun; clear=true takes the mark back"},
	{Method: "POST", Path: "/api/v1/organisations/{id}/vettings", ID: "vetVolunteer", Tag: "volunteering", Auth: true, Body: VetRequest{}, Response: VettingResult{},
		Summary: "Record that the organisation has vetted a volunteer (needed for vetted-only work); changed=false when already vetted"},
	{Method: "POST", Path: "/api/v1/organisations/{id}/vettings/{user_id}/revoke", ID: "revokeVetting", Tag: "volunteering", Auth: true, Response: VettingResult{},
		Summary: "Take back the organisation's vetting of a volunteer; 409 when the volunteer is not vetted"},
	{Method: "POST", Path: "/api/v1/organisations/{id}/volunteers/{user_id}/skills/{skill_id}/verify", ID: "verifyVolunteerSkill", Tag: "volunteering",
		Auth: true, Response: SkillVerification{},
		Summary: "Vouch, as the organisation, for a skill the volunteer has listed (coordinators); 409 when the volunteer has not listed it"},
	{Method: "POST", Path: "/api/v1/shifts/{id}/message", ID: "messageRoster", Tag: "volunteering", Auth: true, Body: RosterMessage{}, Response: RosterMessageResult{},
		Summary: "Email everyone confirmed on a shift (coordinators), in each person's language footer; returns how many it went to"},
	{Method: "POST", Path: "/api/v1/shifts/{id}/cancel", ID: "cancelShift", Tag: "volunteering", Auth: true, Body: CancelShiftRequest{}, Response: ShiftDetail{},
		Summary: "Cancel a shift that has not started (coordinators) with an optional reason; everyone signed up is told and reminders stop"},
	{Method: "PUT", Path: "/api/v1/opportunities/{id}", ID: "updateOpportunity", Tag: "volunteering", Auth: true, Body: OpportunityInput{}, Response: Opportunity{},
		Summary: "Replace an opportunity's details (the organisation's coordinators); same body as createOpportunity"},
	{Method: "GET", Path: "/api/v1/organisations/{id}/volunteering/settings", ID: "getVolunteerSettings", Tag: "volunteering", Auth: true,
		Response: OrgSettingsInput{}, Summary: "How the organisation runs its volunteering: hours approval, no-show limit and window, check-in grace (owners and admins who coordinate)"},
	{Method: "PUT", Path: "/api/v1/organisations/{id}/volunteering/settings", ID: "saveVolunteerSettings", Tag: "volunteering", Auth: true,
		Body: OrgSettingsInput{}, Response: OrgSettingsInput{}, Summary: "Save the organisation's volunteering settings (owners and admins who coordinate)"},
	{Method: "GET", Path: "/api/v1/shifts/{id}/roster/export", ID: "exportRoster", Tag: "volunteering", Auth: true, Query: []string{"format"}, Response: "",
		Summary: "Download a shift's roster as CSV (format=csv, the default) or Excel (format=xlsx), headers in the request's language (coordinators)"},
	{Method: "GET", Path: "/api/v1/organisations/{id}/hours/export", ID: "exportHours", Tag: "volunteering", Auth: true,
		Query: []string{"format", "from", "to", "status"}, Response: "",
		Summary: "Download the organisation's hours worked between from and to (YYYY-MM-DD, inclusive) with an optional status, as CSV or Excel (coordinators)"},
}

// Request and response bodies of the coordinators' operations.
type (
	// NoShowRequest marks (or with Clear, unmarks) a no-show.
	NoShowRequest struct {
		Comment string `json:"comment"`
		Clear   bool   `json:"clear"`
	}
	// NoShowResult is the sign-up's no-show state after the change.
	NoShowResult struct {
		SignupID string `json:"signup_id"`
		NoShow   bool   `json:"no_show"`
		Comment  string `json:"no_show_comment"`
	}
	// VetRequest names the volunteer to vet.
	VetRequest struct {
		UserID string `json:"user_id"`
	}
	// VettingResult is whether the volunteer is vetted by the organisation
	// now, and whether this request changed it.
	VettingResult struct {
		OrgID   string `json:"org_id"`
		UserID  string `json:"user_id"`
		Vetted  bool   `json:"vetted"`
		Changed bool   `json:"changed"`
	}
	// SkillVerification is a skill the organisation vouches for.
	SkillVerification struct {
		OrgID    string `json:"org_id"`
		UserID   string `json:"user_id"`
		SkillID  string `json:"skill_id"`
		Verified bool   `json:"verified"`
	}
	// RosterMessage is a coordinator's message to a shift's roster.
	RosterMessage struct {
		Subject string `json:"subject"`
		Text    string `json:"text"`
	}
	// RosterMessageResult counts the people the message went to.
	RosterMessageResult struct {
		Sent int `json:"sent"`
	}
	// CancelShiftRequest carries the optional reason told to the people signed up.
	CancelShiftRequest struct {
		Reason string `json:"reason"`
	}
)

func (a *API) coordinationAPI(mux httpx.Router) {
	mux.Handle("POST /api/v1/signups/{id}/approve", httpx.API(a.approveSignup))
	mux.Handle("POST /api/v1/signups/{id}/decline", httpx.API(a.declineSignup))
	mux.Handle("POST /api/v1/signups/{id}/no-show", httpx.API(a.markNoShow))
	mux.Handle("POST /api/v1/organisations/{id}/vettings", httpx.API(a.vetVolunteer))
	mux.Handle("POST /api/v1/organisations/{id}/vettings/{user_id}/revoke", httpx.API(a.revokeVetting))
	mux.Handle("POST /api/v1/organisations/{id}/volunteers/{user_id}/skills/{skill_id}/verify", httpx.API(a.verifyVolunteerSkill))
	mux.Handle("POST /api/v1/shifts/{id}/message", httpx.API(a.messageRoster))
	mux.Handle("POST /api/v1/shifts/{id}/cancel", httpx.API(a.cancelShift))
	mux.Handle("PUT /api/v1/opportunities/{id}", httpx.API(a.updateOpportunity))
	mux.Handle("GET /api/v1/organisations/{id}/volunteering/settings", httpx.API(a.getVolunteerSettings))
	mux.Handle("PUT /api/v1/organisations/{id}/volunteering/settings", httpx.API(a.saveVolunteerSettings))
	mux.Handle("GET /api/v1/shifts/{id}/roster/export", httpx.API(a.exportRoster))
	mux.Handle("GET /api/v1/organisations/{id}/hours/export", httpx.API(a.exportHours))
}

// coordViewer is the signed-in caller, or the 401 every operation here answers without one.
func coordViewer(r *http.Request) (*httpx.Viewer, error) {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return nil, httpx.ErrUnauthorized
	}
	return v, nil
}

func (a *API) approveSignup(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	g, err := a.svc.ApproveSignup(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeSignup(w, g)
}

func (a *API) declineSignup(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	g, err := a.svc.DeclineSignup(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeSignup(w, g)
}

func writeSignup(w http.ResponseWriter, g *Signup) error {
	if g.Members == nil {
		g.Members = []string{}
	}
	return httpx.WriteJSON(w, http.StatusOK, g)
}

func (a *API) markNoShow(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in NoShowRequest
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := a.svc.MarkNoShow(r.Context(), v, id, in.Comment, in.Clear); err != nil {
		return err
	}
	out := NoShowResult{SignupID: id, NoShow: !in.Clear}
	if !in.Clear {
		out.Comment = strings.TrimSpace(in.Comment)
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) vetVolunteer(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in VetRequest
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	orgID := r.PathValue("id")
	added, err := a.svc.Vet(r.Context(), v, orgID, in.UserID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, VettingResult{OrgID: orgID, UserID: strings.TrimSpace(in.UserID), Vetted: true, Changed: added})
}

func (a *API) revokeVetting(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	orgID, userID := r.PathValue("id"), r.PathValue("user_id")
	if err := a.svc.RevokeVetting(r.Context(), v, orgID, userID); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, VettingResult{OrgID: orgID, UserID: userID, Vetted: false, Changed: true})
}

func (a *API) verifyVolunteerSkill(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	orgID, userID, skillID := r.PathValue("id"), r.PathValue("user_id"), r.PathValue("skill_id")
	if err := a.svc.VerifySkill(r.Context(), v, orgID, userID, skillID); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, SkillVerification{OrgID: orgID, UserID: userID, SkillID: skillID, Verified: true})
}

func (a *API) messageRoster(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in RosterMessage
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := a.svc.MessageRoster(r.Context(), v, r.PathValue("id"), in.Subject, in.Text)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, RosterMessageResult{Sent: n})
}

func (a *API) cancelShift(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in CancelShiftRequest
	if err := attDecodeOptional(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := a.svc.CancelShift(r.Context(), v, id, in.Reason); err != nil {
		return err
	}
	sh, err := a.svc.Shift(r.Context(), v, id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, shiftDetail(sh))
}

func (a *API) updateOpportunity(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in OpportunityInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := a.svc.UpdateOpportunity(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, o)
}

func (a *API) getVolunteerSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	st, err := a.svc.OrgSettings(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, st)
}

func (a *API) saveVolunteerSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in OrgSettingsInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	orgID := r.PathValue("id")
	if err := a.svc.SaveOrgSettings(r.Context(), v, orgID, in); err != nil {
		return err
	}
	st, err := a.svc.OrgSettings(r.Context(), v, orgID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, st)
}

func (a *API) exportRoster(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	format, err := ParseExportFormat(r.URL.Query().Get("format"))
	if err != nil {
		return err
	}
	sh, opp, err := a.svc.shiftForCoordinator(ctx, v, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := a.svc.ExportRoster(ctx, v, opp.OrgID, sh.ID, format, httpx.Locale(ctx))
	if err != nil {
		return err
	}
	return exchSend(w, f)
}

func (a *API) exportHours(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	format, err := ParseExportFormat(q.Get("format"))
	if err != nil {
		return err
	}
	f, err := a.svc.ExportHours(ctx, v, r.PathValue("id"), HoursExportFilter{From: q.Get("from"), To: q.Get("to"), Status: HoursStatus(q.Get("status"))},
		format, httpx.Locale(ctx))
	if err != nil {
		return err
	}
	return exchSend(w, f)
}
