package volunteer

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// The attendance screens: the coordinator's check-in page with its QR code
// and manual buttons, the kiosk page, the volunteer's check-in by code, and
// corrections. Hours and certificates are in pages_attendance_hours.go and
// pages_attendance_certificates.go.

func (p *Pages) attendanceRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /shifts/{id}/checkin", h(p.coordinatorCheckin))
	mux.Handle("GET /shifts/{id}/checkin.png", h(p.checkinQR))
	mux.Handle("GET /shifts/{id}/kiosk", h(p.kiosk))
	mux.Handle("POST /shifts/{id}/kiosk/renew", h(p.kioskRenew))
	mux.Handle("GET /kiosk/{key}", h(p.kioskByKey))
	mux.Handle("POST /attendance/{signup}/checkin", h(p.manualCheckIn))
	mux.Handle("POST /attendance/{signup}/checkout", h(p.manualCheckOut))
	mux.Handle("GET /attendance/{signup}/correct", h(p.correctForm))
	mux.Handle("POST /attendance/{signup}/correct", h(p.correct))
	mux.Handle("GET /checkin", h(p.volunteerCheckin))
	mux.Handle("POST /checkin", h(p.volunteerCheckinPost))
	mux.Handle("POST /checkout", h(p.volunteerCheckout))
	p.hoursRoutes(mux)
	p.certificateRoutes(mux)
}

// attZone is where times are shown when the request's locale names none.
var attZone = func() *time.Location {
	if z, err := time.LoadLocation("Asia/Riyadh"); err == nil {
		return z
	}
	return time.FixedZone("AST", 3*3600)
}()

// attPage is the base of the attendance, hours and certificate screens.
type attPage struct{ web.Page }

// Minutes writes a duration in the page's language ("3 hours 15 minutes").
func (p attPage) Minutes(m int) string { return FormatMinutes(p.Locale, m) }

// Clock writes the time of day of t in the page's zone and digits.
func (p attPage) Clock(t time.Time) string {
	z := p.Locale.Zone
	if z == nil {
		z = attZone
	}
	return p.Digitize(t.In(z).Format("15:04"))
}

// Num writes n in the page's digits.
func (p attPage) Num(n int) string { return p.Number(int64(n)) }

func attUser(r *http.Request) (*httpx.Viewer, error) {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return v, nil
	}
	return nil, httpx.ErrUnauthorized
}

// attFieldErrors returns the per-field messages of a validation failure.
func attFieldErrors(err error) (*httpx.Error, bool) {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		return he, true
	}
	return nil, false
}

// attRefusal reports whether err is a rule the person is told on the page
// they came from rather than on an error page.
func attRefusal(err error) (string, bool) {
	for _, e := range []*httpx.Error{ErrCheckinNotSignedUp, ErrCheckinNotConfirmed, ErrCheckinNotOpen, ErrCheckinClosed, ErrCheckinCancelled,
		ErrAlreadyCheckedIn, ErrAlreadyCheckedOut, ErrNotCheckedIn, ErrOwnHours, ErrHoursDecided, ErrCertificateNoHours, ErrCertificateOwn,
		ErrCertificateRevoked} {
		if errors.Is(err, e) {
			return e.MsgID, true
		}
	}
	return "", false
}

type coordinatorCheckinPage struct {
	attPage
	Shift      *Shift
	Opp        *Opportunity
	Rows       []AttendanceRow
	Code       string
	CheckinURL string
	Opens      time.Time
	// Open: people may be checked in now.
	Open      bool
	Cancelled bool
	InNow     int
	Done      int
}

func (p *Pages) coordinatorCheckin(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	sh, opp, rows, err := p.svc.ShiftAttendance(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	pg := coordinatorCheckinPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.checkin.coordinator.title")}, Shift: sh, Opp: opp, Rows: rows,
		Code: sh.CheckinCode, CheckinURL: p.svc.CheckinURL(sh.CheckinCode), Cancelled: sh.Status == "cancelled"}
	now := p.svc.now()
	var closes time.Time
	pg.Opens, closes = CheckinWindow(sh)
	pg.Open = !pg.Cancelled && !now.Before(pg.Opens) && !now.After(closes)
	for _, row := range rows {
		switch {
		case row.Attendance.In():
			pg.InNow++
		case row.Attendance != nil:
			pg.Done++
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, http.StatusOK, "volunteer/attendance_checkin", pg)
}

// checkinQR is the PNG of a shift's QR code, for its coordinators only: the
// code lets anyone signed up check in, so it is never cached.
func (p *Pages) checkinQR(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	sh, _, err := p.svc.shiftForCoordinator(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	png, err := QRPNG(p.svc.CheckinURL(sh.CheckinCode))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(png)
	return err
}

type kioskPage struct {
	attPage
	// QR is the check-in link as an image: the kiosk has no session to fetch the coordinator's PNG.
	QR         template.URL
	Shift      *Shift
	Opp        *Opportunity
	Code       string
	CheckinURL string
	TypeURL    string
	InNow      int
}

// kiosk sends a coordinator to the shift's kiosk link (made on first use):
// the big-screen page left at the door, which needs nobody signed in.
func (p *Pages) kiosk(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	key, err := p.svc.KioskKey(r.Context(), v, r.PathValue("id"), false)
	if err != nil {
		return err
	}
	web.Redirect(w, r, "/kiosk/"+key)
	return nil
}

// kioskRenew retires the kiosk link and makes a new one.
func (p *Pages) kioskRenew(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	if _, err := p.svc.KioskKey(r.Context(), v, r.PathValue("id"), true); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.checkin.kiosk.renewed")
	web.Redirect(w, r, "/shifts/"+r.PathValue("id")+"/checkin")
	return nil
}

// kioskByKey is the kiosk itself: the QR code, the code and how many are present.
func (p *Pages) kioskByKey(w http.ResponseWriter, r *http.Request) error {
	k, err := p.svc.Kiosk(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	pg := kioskPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.checkin.kiosk.title")}, Shift: k.Shift, Opp: k.Opp, Code: k.Shift.CheckinCode,
		CheckinURL: p.svc.CheckinURL(k.Shift.CheckinCode), TypeURL: strings.TrimRight(p.svc.baseURL, "/") + "/checkin", InNow: k.InNow}
	if pg.QR, err = QRDataURI(pg.CheckinURL); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Refresh", "60")
	return p.site.Render(w, http.StatusOK, "volunteer/attendance_kiosk", pg)
}

// afterManual tells the coordinator the outcome of a manual check-in or out
// on the shift's check-in page.
func (p *Pages) afterManual(w http.ResponseWriter, r *http.Request, att *Attendance, err error, okMsg string) error {
	if msg, ok := attRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, "/shifts/"+r.FormValue("shift")+"/checkin")
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", okMsg)
	web.Redirect(w, r, "/shifts/"+att.ShiftID+"/checkin")
	return nil
}

func (p *Pages) manualCheckIn(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	att, err := p.svc.ManualCheckIn(r.Context(), v, r.PathValue("signup"))
	return p.afterManual(w, r, att, err, "volunteer.checkin.flash.manual_in")
}

func (p *Pages) manualCheckOut(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	att, err := p.svc.ManualCheckOut(r.Context(), v, r.PathValue("signup"))
	msg := "volunteer.checkin.flash.manual_out"
	switch {
	case err == nil && att != nil && att.SignupStatus != Confirmed:
		// A withdrawn or declined sign-up's attendance earns no hours.
		msg = "volunteer.checkin.flash.manual_out_not_confirmed"
	case err == nil && att != nil && att.Minutes == 0:
		// Under a minute records no hours; say so, and how to put it right.
		msg = "volunteer.checkin.flash.manual_out_none"
	}
	return p.afterManual(w, r, att, err, msg)
}

type correctPage struct {
	attPage
	Target *CorrectionTarget
	Form   *web.Form
}

// attReqZone is the zone the request's times are read and shown in.
func attReqZone(r *http.Request) *time.Location {
	if z := httpx.Locale(r.Context()).Zone; z != nil {
		return z
	}
	return attZone
}

// attDatetimeLocal is the value format of <input type="datetime-local">.
const attDatetimeLocal = "2006-01-02T15:04"

func (p *Pages) renderCorrect(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	ct, err := p.svc.CorrectionFor(r.Context(), v, r.PathValue("signup"))
	if err != nil {
		return err
	}
	if f == nil {
		f = web.EmptyForm()
		zone := attReqZone(r)
		in := ct.Shift.StartsAt
		if ct.Attendance != nil {
			in = ct.Attendance.CheckedInAt
		}
		f.Values["checked_in_at"] = in.In(zone).Format(attDatetimeLocal)
		switch {
		case ct.Attendance != nil && ct.Attendance.CheckedOutAt != nil:
			f.Values["checked_out_at"] = ct.Attendance.CheckedOutAt.In(zone).Format(attDatetimeLocal)
		case ct.Attendance == nil || p.svc.now().After(ct.Shift.EndsAt):
			f.Values["checked_out_at"] = ct.Shift.EndsAt.In(zone).Format(attDatetimeLocal)
		}
	}
	pg := correctPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.attendance.correct.title")}, Target: ct, Form: f}
	return p.site.Render(w, status, "volunteer/attendance_correct", pg)
}

func (p *Pages) correctForm(w http.ResponseWriter, r *http.Request) error {
	return p.renderCorrect(w, r, http.StatusOK, nil)
}

// attParseLocalTime reads a datetime-local value (either digit form) in zone.
func attParseLocalTime(v string, zone *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(i18n.NormalizeDigits(v))
	for _, layout := range []string{attDatetimeLocal, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (p *Pages) correct(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	c := Correction{Reason: f.Get("reason")}
	bad := map[string]string{}
	if s := f.Get("checked_in_at"); s != "" {
		t, ok := attParseLocalTime(s, attReqZone(r))
		if !ok {
			bad["checked_in_at"] = "volunteer.attendance.error.time"
		}
		c.CheckedInAt = t
	}
	if s := f.Get("checked_out_at"); s != "" {
		t, ok := attParseLocalTime(s, attReqZone(r))
		if !ok {
			bad["checked_out_at"] = "volunteer.attendance.error.time"
		}
		c.CheckedOutAt = &t
	}
	att, err := p.svc.CorrectAttendance(r.Context(), v, r.PathValue("signup"), c)
	if he, ok := attFieldErrors(err); ok || len(bad) > 0 {
		if he != nil {
			f.SetErrors(he.Fields)
		}
		f.SetErrors(bad)
		return p.renderCorrect(w, r, http.StatusUnprocessableEntity, f)
	}
	if msg, ok := attRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, "/attendance/"+r.PathValue("signup")+"/correct")
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.attendance.flash.corrected")
	web.Redirect(w, r, "/shifts/"+att.ShiftID+"/checkin")
	return nil
}

type volunteerCheckinPage struct {
	attPage
	Form *web.Form
	View *CheckinView
	// Message is the refusal or the outcome to tell, a catalogue id.
	Message string
	Bad     bool
}

func (p *Pages) renderVolunteerCheckin(w http.ResponseWriter, r *http.Request, status int, code string, f *web.Form, msg string) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	pg := volunteerCheckinPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.checkin.title")}, Form: f, Message: msg}
	if pg.Form == nil {
		pg.Form = web.EmptyForm()
	}
	if code != "" {
		view, err := p.svc.CheckinFor(r.Context(), v, code)
		if he, ok := attFieldErrors(err); ok {
			pg.Form.Values["code"] = code
			pg.Form.SetErrors(he.Fields)
			if status == http.StatusOK {
				status = he.Status
			}
		} else if err != nil {
			return err
		} else {
			pg.View = view
			if view.Refusal != nil && pg.Message == "" {
				pg.Message, pg.Bad = view.Refusal.MsgID, true
				if status == http.StatusOK {
					status = view.Refusal.Status
				}
			}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, status, "volunteer/attendance_volunteer", pg)
}

// volunteerCheckin is where the QR code's link lands (?code=…), and the
// form to type a code.
func (p *Pages) volunteerCheckin(w http.ResponseWriter, r *http.Request) error {
	return p.renderVolunteerCheckin(w, r, http.StatusOK, r.URL.Query().Get("code"), nil, "")
}

func (p *Pages) volunteerCheckinPost(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	method := MethodCode
	if f.Get("via") == "qr" {
		method = MethodQR
	}
	code := f.Get("code")
	_, done, err := p.svc.CheckInOrOut(r.Context(), v, code, method)
	if he, ok := attFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderVolunteerCheckin(w, r, he.Status, "", f, "")
	}
	if msg, ok := attRefusal(err); ok {
		return p.renderVolunteerCheckin(w, r, httpx.As(err).Status, code, f, msg)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.checkin.flash."+done)
	web.Redirect(w, r, "/checkin?code="+NormalizeCheckinCode(code))
	return nil
}

func (p *Pages) volunteerCheckout(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	code := NormalizeCheckinCode(f.Get("code"))
	view, err := p.svc.CheckinFor(r.Context(), v, code)
	if he, ok := attFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderVolunteerCheckin(w, r, he.Status, "", f, "")
	}
	if err != nil {
		return err
	}
	att, err := p.svc.SelfCheckOut(r.Context(), v, view.Shift.ID)
	if msg, ok := attRefusal(err); ok {
		return p.renderVolunteerCheckin(w, r, httpx.As(err).Status, code, f, msg)
	}
	if err != nil {
		return err
	}
	if att != nil && att.Minutes == 0 {
		web.SetFlash(w, "ok", "volunteer.checkin.flash.out_none")
	} else {
		web.SetFlash(w, "ok", "volunteer.checkin.flash.out")
	}
	web.Redirect(w, r, "/checkin?code="+code)
	return nil
}
