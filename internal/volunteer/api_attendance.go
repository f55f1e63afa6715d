package volunteer

import (
	"net/http"
	"strconv"
	"strings"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// The JSON API of attendance, hours and certificates.

var attendanceOps = []httpx.Operation{
	{Method: "POST", Path: "/api/v1/shifts/{id}/checkin", ID: "checkIn", Tag: "volunteering", Auth: true, Body: CheckInRequest{}, Response: Attendance{},
		Summary: "Check in on a shift: yourself with the shift's code (from 30 minutes before the start until the end), or, as a coordinator, a confirmed person by user_id"},
	{Method: "POST", Path: "/api/v1/shifts/{id}/checkout", ID: "checkOut", Tag: "volunteering", Auth: true, Body: CheckOutRequest{}, Response: Attendance{},
		Summary: "Check out of a shift: yourself, or, as a coordinator, a person by user_id; the hours are recorded (approved at once when the organisation approves automatically)"},
	{Method: "POST", Path: "/api/v1/attendance/{signup_id}/correct", ID: "correctAttendance", Tag: "volunteering", Auth: true, Body: Correction{}, Response: Attendance{},
		Summary: "Correct a sign-up's check-in and check-out times with a required reason (coordinators); pending hours follow"},
	{Method: "GET", Path: "/api/v1/hours", ID: "listHours", Tag: "volunteering", Auth: true, Query: []string{"org", "user", "status", "after", "limit"}, Response: HoursList{},
		Summary: "List your own hours, newest first, or with org an organisation's hours for its coordinators: pending first (oldest first), then decided (newest first)"},
	{Method: "POST", Path: "/api/v1/hours", ID: "submitHours", Tag: "volunteering", Auth: true, Body: HoursInput{}, Response: Hours{}, Status: http.StatusCreated,
		Summary: "Submit hours of work done off the platform (15 to 720 minutes, not in the future), pending a coordinator's review"},
	{Method: "POST", Path: "/api/v1/hours/{id}/approve", ID: "approveHours", Tag: "volunteering", Auth: true, Response: Hours{},
		Summary: "Approve pending hours (coordinators of the organisation, not for their own hours)"},
	{Method: "POST", Path: "/api/v1/hours/{id}/decline", ID: "declineHours", Tag: "volunteering", Auth: true, Body: DeclineRequest{}, Response: Hours{},
		Summary: "Decline pending hours with a required reason; the entry is kept and the volunteer told"},
	{Method: "POST", Path: "/api/v1/organisations/{id}/certificates", ID: "issueCertificate", Tag: "volunteering", Auth: true, Body: CertificateInput{}, Response: Certificate{},
		Status: http.StatusCreated, Summary: "Issue a certificate of a volunteer's approved hours with the organisation over a period (coordinators)"},
	{Method: "POST", Path: "/api/v1/certificates/{id}/revoke", ID: "revokeCertificate", Tag: "volunteering", Auth: true, Body: RevokeRequest{}, Response: Certificate{},
		Summary: "Revoke a certificate with a required reason (coordinators of its organisation)"},
	{Method: "GET", Path: "/api/v1/certificates/{code}/verify", ID: "verifyCertificate", Tag: "volunteering", Response: Verification{},
		Summary: "Verify a certificate by its code: the volunteer's name, the organisation, the hours and the dates, or that it was revoked"},
}

// Request bodies and list responses; named types give the OpenAPI schemas their names.
type (
	// CheckInRequest is a volunteer's code, or a coordinator's choice of person.
	CheckInRequest struct {
		Code   string `json:"code,omitempty"`
		UserID string `json:"user_id,omitempty"`
	}
	// CheckOutRequest names the person a coordinator checks out; empty for yourself.
	CheckOutRequest struct {
		UserID string `json:"user_id,omitempty"`
	}
	DeclineRequest struct {
		Reason string `json:"reason"`
	}
	RevokeRequest struct {
		Reason string `json:"reason"`
	}
	HoursList struct {
		Items []Hours `json:"items"`
		Next  string  `json:"next"`
	}
)

func (a *API) attendanceAPI(mux httpx.Router) {
	mux.Handle("POST /api/v1/shifts/{id}/checkin", httpx.API(a.checkIn))
	mux.Handle("POST /api/v1/shifts/{id}/checkout", httpx.API(a.checkOut))
	mux.Handle("POST /api/v1/attendance/{signup_id}/correct", httpx.API(a.correctAttendance))
	mux.Handle("GET /api/v1/hours", httpx.API(a.listHours))
	mux.Handle("POST /api/v1/hours", httpx.API(a.submitHours))
	mux.Handle("POST /api/v1/hours/{id}/approve", httpx.API(a.approveHours))
	mux.Handle("POST /api/v1/hours/{id}/decline", httpx.API(a.declineHours))
	mux.Handle("POST /api/v1/organisations/{id}/certificates", httpx.API(a.issueCertificate))
	mux.Handle("POST /api/v1/certificates/{id}/revoke", httpx.API(a.revokeCertificate))
	mux.Handle("GET /api/v1/certificates/{code}/verify", httpx.API(a.verifyCertificate))
}

// attDecodeOptional reads a JSON body when there is one; an empty body is the zero value.
func attDecodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return httpx.DecodeJSON(r, v)
}

func (a *API) checkIn(w http.ResponseWriter, r *http.Request) error {
	ctx, v, shiftID := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in CheckInRequest
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	var att *Attendance
	var err error
	switch {
	case strings.TrimSpace(in.UserID) != "":
		var signupID string
		if signupID, err = a.svc.SignupOf(ctx, v, shiftID, strings.TrimSpace(in.UserID)); err != nil {
			return err
		}
		att, err = a.svc.ManualCheckIn(ctx, v, signupID)
	case strings.TrimSpace(in.Code) != "":
		att, err = a.svc.SelfCheckIn(ctx, v, shiftID, in.Code, MethodCode)
	default:
		return httpx.Invalid(map[string]string{"code": "volunteer.checkin.error.code_or_user"})
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, att)
}

func (a *API) checkOut(w http.ResponseWriter, r *http.Request) error {
	ctx, v, shiftID := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in CheckOutRequest
	if err := attDecodeOptional(r, &in); err != nil {
		return err
	}
	var att *Attendance
	var err error
	if user := strings.TrimSpace(in.UserID); user != "" && user != v.ID {
		var signupID string
		if signupID, err = a.svc.SignupOf(ctx, v, shiftID, user); err != nil {
			return err
		}
		att, err = a.svc.ManualCheckOut(ctx, v, signupID)
	} else {
		att, err = a.svc.SelfCheckOut(ctx, v, shiftID)
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, att)
}

func (a *API) correctAttendance(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in Correction
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	att, err := a.svc.CorrectAttendance(r.Context(), v, r.PathValue("signup_id"), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, att)
}

func (a *API) listHours(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	q := r.URL.Query()
	f := HoursFilter{OrgID: q.Get("org"), UserID: q.Get("user"), Status: HoursStatus(q.Get("status")), After: q.Get("after")}
	if s := strings.TrimSpace(i18n.NormalizeDigits(q.Get("limit"))); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return httpx.Invalid(map[string]string{"limit": "volunteer.hours.error.limit"})
		}
		f.Limit = n
	}
	pg, err := a.svc.ListHours(r.Context(), v, f)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, HoursList{Items: pg.Items, Next: pg.Next})
}

func (a *API) submitHours(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in HoursInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	h, err := a.svc.SubmitHours(r.Context(), v, in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, h)
}

func (a *API) approveHours(w http.ResponseWriter, r *http.Request) error {
	h, err := a.svc.ApproveHours(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, h)
}

func (a *API) declineHours(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) == nil {
		return httpx.ErrUnauthorized
	}
	var in DeclineRequest
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	h, err := a.svc.DeclineHours(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, h)
}

func (a *API) issueCertificate(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) == nil {
		return httpx.ErrUnauthorized
	}
	var in CertificateInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := a.svc.IssueCertificate(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, c)
}

func (a *API) revokeCertificate(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) == nil {
		return httpx.ErrUnauthorized
	}
	var in RevokeRequest
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := a.svc.RevokeCertificate(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, c)
}

func (a *API) verifyCertificate(w http.ResponseWriter, r *http.Request) error {
	vr, err := a.svc.VerifyCertificate(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpx.WriteJSON(w, http.StatusOK, vr)
}
