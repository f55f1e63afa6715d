package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Attendance: check-in and check-out on a shift (by the volunteer with the
// shift's QR code or short code, or by a coordinator by hand), the automatic
// close of forgotten check-outs, and corrections with a recorded reason.
// Every check-out turns into an hours row (hours.go).

// CheckinOpensBefore is how long before a shift starts its check-in opens;
// it closes when the shift ends.
const CheckinOpensBefore = 30 * time.Minute

// doubleSubmit is how soon after checking in a second "check in" is taken
// for a double tap rather than a wish to check out.
const doubleSubmit = time.Minute

// MaxReasonRunes bounds the reasons coordinators type (corrections, declines, revocations).
const MaxReasonRunes = 500

// AttendanceMethod says how a check-in was made.
type AttendanceMethod string

const (
	MethodQR     AttendanceMethod = "qr"     // the volunteer followed the QR code's link
	MethodCode   AttendanceMethod = "code"   // the volunteer typed the short code
	MethodManual AttendanceMethod = "manual" // a coordinator checked them in
)

// Attendance is one sign-up's presence on its shift.
type Attendance struct {
	SignupID         string           `json:"signup_id"`
	ShiftID          string           `json:"shift_id"`
	UserID           string           `json:"user_id"`
	CheckedInAt      time.Time        `json:"checked_in_at"`
	CheckedOutAt     *time.Time       `json:"checked_out_at"`
	Method           AttendanceMethod `json:"method"`
	AutoClosed       bool             `json:"auto_closed"`
	CorrectedBy      string           `json:"corrected_by,omitempty"`
	CorrectionReason string           `json:"correction_reason,omitempty"`
	CorrectedAt      *time.Time       `json:"corrected_at,omitempty"`
	// SignupStatus is the sign-up's status: only a confirmed sign-up's
	// attendance earns hours (a withdrawn or declined one is closed without).
	SignupStatus SignupStatus `json:"signup_status"`
	// Minutes is the time attended, rounded to the minute; 0 while checked in.
	Minutes int `json:"minutes"`
}

// In reports whether the person is checked in and not yet out.
func (a *Attendance) In() bool { return a != nil && a.CheckedOutAt == nil }

func attendanceMinutes(in, out time.Time) int {
	return int(out.Sub(in).Round(time.Minute) / time.Minute)
}

// Refusals of a check-in or check-out, each told to the person as is.
var (
	ErrCheckinNotSignedUp  = &httpx.Error{Status: http.StatusForbidden, Type: "checkin-not-signed-up", MsgID: "volunteer.checkin.error.not_signed_up"}
	ErrCheckinNotConfirmed = &httpx.Error{Status: http.StatusConflict, Type: "checkin-not-confirmed", MsgID: "volunteer.checkin.error.not_confirmed"}
	ErrCheckinNotOpen      = &httpx.Error{Status: http.StatusConflict, Type: "checkin-not-open", MsgID: "volunteer.checkin.error.not_open"}
	ErrCheckinClosed       = &httpx.Error{Status: http.StatusConflict, Type: "checkin-closed", MsgID: "volunteer.checkin.error.closed"}
	ErrCheckinCancelled    = &httpx.Error{Status: http.StatusConflict, Type: "checkin-shift-cancelled", MsgID: "volunteer.checkin.error.cancelled"}
	ErrAlreadyCheckedIn    = &httpx.Error{Status: http.StatusConflict, Type: "already-checked-in", MsgID: "volunteer.checkin.error.already_in"}
	ErrAlreadyCheckedOut   = &httpx.Error{Status: http.StatusConflict, Type: "already-checked-out", MsgID: "volunteer.checkin.error.already_out"}
	ErrNotCheckedIn        = &httpx.Error{Status: http.StatusConflict, Type: "not-checked-in", MsgID: "volunteer.checkin.error.not_in"}
)

// errCheckinCode is a code that matches no shift (or not the shift named).
func errCheckinCode() *httpx.Error {
	return httpx.Invalid(map[string]string{"code": "volunteer.checkin.error.code"})
}

// NormalizeCheckinCode reads a code as people type it: lower or upper case,
// Arabic-Indic or Latin digits, with spaces or dashes.
func NormalizeCheckinCode(s string) string {
	s = i18n.NormalizeDigits(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// CheckinURL is the address a shift's QR code holds.
func (s *Service) CheckinURL(code string) string {
	return strings.TrimRight(s.baseURL, "/") + "/checkin?code=" + url.QueryEscape(code)
}

// CheckinWindow is when volunteers may check in on sh.
func CheckinWindow(sh *Shift) (opens, closes time.Time) {
	return sh.StartsAt.Add(-CheckinOpensBefore), sh.EndsAt
}

// attTarget is a sign-up with everything a check-in decision needs.
type attTarget struct {
	SignupID string
	UserID   string
	Status   SignupStatus
	Shift    *Shift
	Opp      *Opportunity
	Att      *Attendance // nil when never checked in
}

// decide says what a check-in attempt does now: "in", "out", or a refusal.
func (t *attTarget) decide(now time.Time) (string, error) {
	switch {
	case t.Status != Confirmed:
		return "", ErrCheckinNotConfirmed
	case t.Att != nil && t.Att.CheckedOutAt != nil:
		return "", ErrAlreadyCheckedOut
	case t.Att != nil:
		return "out", nil
	case t.Shift.Status == "cancelled":
		return "", ErrCheckinCancelled
	}
	opens, closes := CheckinWindow(t.Shift)
	switch {
	case now.Before(opens):
		return "", ErrCheckinNotOpen
	case now.After(closes):
		return "", ErrCheckinClosed
	}
	return "in", nil
}

const attendanceCols = `a.signup_id, g.shift_id, g.user_id, a.checked_in_at, a.checked_out_at, a.method, a.auto_closed,
	COALESCE(a.corrected_by, ''), a.correction_reason, a.corrected_at, g.status`

func scanAttendance(row interface{ Scan(...any) error }) (*Attendance, error) {
	a := &Attendance{}
	var out, corrected sql.NullTime
	var method, status string
	if err := row.Scan(&a.SignupID, &a.ShiftID, &a.UserID, &a.CheckedInAt, &out, &method, &a.AutoClosed,
		&a.CorrectedBy, &a.CorrectionReason, &corrected, &status); err != nil {
		return nil, db.Map(err)
	}
	a.Method, a.SignupStatus = AttendanceMethod(method), SignupStatus(status)
	a.CheckedInAt = a.CheckedInAt.UTC()
	if out.Valid {
		t := out.Time.UTC()
		a.CheckedOutAt = &t
		a.Minutes = max(0, attendanceMinutes(a.CheckedInAt, t))
	}
	if corrected.Valid {
		t := corrected.Time.UTC()
		a.CorrectedAt = &t
	}
	return a, nil
}

// loadAttendance reads a sign-up's attendance; nil without error when there is none.
func loadAttendance(ctx context.Context, q db.Querier, signupID string) (*Attendance, error) {
	a, err := scanAttendance(q.QueryRowContext(ctx, `SELECT `+attendanceCols+`
		FROM attendance a JOIN signups g ON g.id = a.signup_id WHERE a.signup_id = $1`, signupID))
	if errors.Is(err, db.ErrNotFound) {
		return nil, nil
	}
	return a, err
}

// loadAttTarget reads a sign-up, its shift, opportunity and attendance.
func loadAttTarget(ctx context.Context, q db.Querier, signupID string) (*attTarget, error) {
	t := &attTarget{SignupID: signupID}
	var shiftID, status string
	err := q.QueryRowContext(ctx, `SELECT shift_id, user_id, status FROM signups WHERE id = $1`, signupID).Scan(&shiftID, &t.UserID, &status)
	if err != nil {
		return nil, fmt.Errorf("sign-up %s: %w", signupID, db.Map(err))
	}
	t.Status = SignupStatus(status)
	if t.Shift, err = loadShift(ctx, q, shiftID); err != nil {
		return nil, fmt.Errorf("shift %s: %w", shiftID, err)
	}
	if t.Opp, err = loadOpportunity(ctx, q, t.Shift.OpportunityID); err != nil {
		return nil, fmt.Errorf("opportunity %s: %w", t.Shift.OpportunityID, err)
	}
	if t.Att, err = loadAttendance(ctx, q, signupID); err != nil {
		return nil, err
	}
	return t, nil
}

// attLiveSignupID is userID's live sign-up on shiftID (confirmed, waitlisted or
// pending), "" when there is none.
func attLiveSignupID(ctx context.Context, q db.Querier, shiftID, userID string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM signups WHERE shift_id = $1 AND user_id = $2
		AND status IN ('confirmed', 'waitlisted', 'pending') ORDER BY created_at DESC LIMIT 1`, shiftID, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find sign-up: %w", err)
	}
	return id, nil
}

// attShiftIDByCode finds the shift a check-in code belongs to.
func attShiftIDByCode(ctx context.Context, q db.Querier, code string) (string, error) {
	if code == "" || utf8.RuneCountInString(code) > 32 {
		return "", errCheckinCode()
	}
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM shifts WHERE checkin_code = $1`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errCheckinCode()
	}
	if err != nil {
		return "", fmt.Errorf("find shift by code: %w", err)
	}
	return id, nil
}

// attSelfTarget is the viewer's sign-up on the shift of code; ErrCheckinNotSignedUp
// when they have none.
func attSelfTarget(ctx context.Context, q db.Querier, viewer *httpx.Viewer, shiftID string) (*attTarget, error) {
	sid, err := attLiveSignupID(ctx, q, shiftID, viewer.ID)
	if err != nil {
		return nil, err
	}
	if sid == "" {
		return nil, ErrCheckinNotSignedUp
	}
	return loadAttTarget(ctx, q, sid)
}

func attRequireViewer(v *httpx.Viewer) error {
	if v == nil {
		return httpx.ErrUnauthorized
	}
	return nil
}

// CheckinView is what the volunteer's check-in screen shows for a code.
type CheckinView struct {
	Code        string
	Shift       *Shift
	Opportunity *Opportunity
	Attendance  *Attendance
	// Action is "in" or "out" when the person may act now, "" otherwise.
	Action string
	// Refusal says why they may not, in words they can read.
	Refusal *httpx.Error
	Opens   time.Time
}

// CheckinFor tells the viewer where they stand on the shift of code. Its
// error is for a code that matches no shift; refusals are in the view.
func (s *Service) CheckinFor(ctx context.Context, viewer *httpx.Viewer, code string) (*CheckinView, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	code = NormalizeCheckinCode(code)
	shiftID, err := attShiftIDByCode(ctx, s.db.R, code)
	if err != nil {
		return nil, err
	}
	sh, err := loadShift(ctx, s.db.R, shiftID)
	if err != nil {
		return nil, err
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return nil, err
	}
	v := &CheckinView{Code: code, Shift: sh, Opportunity: opp}
	v.Opens, _ = CheckinWindow(sh)
	t, err := attSelfTarget(ctx, s.db.R, viewer, shiftID)
	if err != nil {
		v.Refusal = httpx.As(err)
		if v.Refusal.Status >= 500 {
			return nil, err
		}
		return v, nil
	}
	v.Attendance = t.Att
	v.Action, err = t.decide(s.now())
	if err != nil {
		v.Refusal = httpx.As(err)
	}
	return v, nil
}

// CheckInOrOut is the volunteer's check-in by code (typed, or from the QR
// code's link): it checks them in, or out when they are already in. A second
// tap within a minute of checking in changes nothing (done is "already_in").
// done is "in", "out" or "already_in".
func (s *Service) CheckInOrOut(ctx context.Context, viewer *httpx.Viewer, code string, method AttendanceMethod) (att *Attendance, done string, err error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, "", err
	}
	if method != MethodQR && method != MethodCode {
		method = MethodCode
	}
	code = NormalizeCheckinCode(code)
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		shiftID, err := attShiftIDByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		t, err := attSelfTarget(ctx, tx, viewer, shiftID)
		if err != nil {
			return err
		}
		now := s.now()
		action, err := t.decide(now)
		if err != nil {
			return err
		}
		if action == "out" && now.Sub(t.Att.CheckedInAt) < doubleSubmit {
			att, done = t.Att, "already_in"
			return nil
		}
		done = action
		att, err = s.applyCheck(ctx, tx, t, viewer.ID, action, method, now)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return att, done, nil
}

// SelfCheckIn checks the viewer in on shiftID with its code (the API's
// checkIn). It refuses when they are already in.
func (s *Service) SelfCheckIn(ctx context.Context, viewer *httpx.Viewer, shiftID, code string, method AttendanceMethod) (*Attendance, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	if method != MethodQR && method != MethodCode {
		method = MethodCode
	}
	code = NormalizeCheckinCode(code)
	var att *Attendance
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		id, err := attShiftIDByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if id != shiftID {
			return errCheckinCode()
		}
		t, err := attSelfTarget(ctx, tx, viewer, shiftID)
		if err != nil {
			return err
		}
		now := s.now()
		action, err := t.decide(now)
		if err != nil {
			return err
		}
		if action != "in" {
			return ErrAlreadyCheckedIn
		}
		att, err = s.applyCheck(ctx, tx, t, viewer.ID, "in", method, now)
		return err
	})
	return att, err
}

// SelfCheckOut checks the viewer out of shiftID.
func (s *Service) SelfCheckOut(ctx context.Context, viewer *httpx.Viewer, shiftID string) (*Attendance, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	var att *Attendance
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		if _, err := loadShift(ctx, tx, shiftID); err != nil {
			return err
		}
		t, err := attSelfTarget(ctx, tx, viewer, shiftID)
		if err != nil {
			return err
		}
		att, err = s.checkOut(ctx, tx, t, s.now())
		return err
	})
	return att, err
}

// coordinatorTarget loads a sign-up for a coordinator of its organisation.
func (s *Service) coordinatorTarget(ctx context.Context, q db.Querier, viewer *httpx.Viewer, signupID string) (*attTarget, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	t, err := loadAttTarget(ctx, q, signupID)
	if err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, t.Opp.OrgID); err != nil {
		return nil, err
	}
	return t, nil
}

// SignupOf is the id of userID's live sign-up on shiftID, for coordinators
// who check people in by person (the API); db.ErrNotFound when there is none.
func (s *Service) SignupOf(ctx context.Context, viewer *httpx.Viewer, shiftID, userID string) (string, error) {
	if err := attRequireViewer(viewer); err != nil {
		return "", err
	}
	sh, err := loadShift(ctx, s.db.R, shiftID)
	if err != nil {
		return "", err
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return "", err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, opp.OrgID); err != nil {
		return "", err
	}
	id, err := attLiveSignupID(ctx, s.db.R, shiftID, userID)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", ErrCheckinNotSignedUp
	}
	return id, nil
}

// ManualCheckIn is a coordinator checking a confirmed person in by hand,
// within the same window as volunteers.
func (s *Service) ManualCheckIn(ctx context.Context, viewer *httpx.Viewer, signupID string) (*Attendance, error) {
	var att *Attendance
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		t, err := s.coordinatorTarget(ctx, tx, viewer, signupID)
		if err != nil {
			return err
		}
		now := s.now()
		action, err := t.decide(now)
		if err != nil {
			return err
		}
		if action != "in" {
			return ErrAlreadyCheckedIn
		}
		if att, err = s.applyCheck(ctx, tx, t, viewer.ID, "in", MethodManual, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.attendance_checkin", TargetType: "signup",
			TargetID: signupID, OrgID: t.Opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": t.UserID}})
	})
	return att, err
}

// ManualCheckOut is a coordinator checking a person out by hand.
func (s *Service) ManualCheckOut(ctx context.Context, viewer *httpx.Viewer, signupID string) (*Attendance, error) {
	var att *Attendance
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		t, err := s.coordinatorTarget(ctx, tx, viewer, signupID)
		if err != nil {
			return err
		}
		if att, err = s.checkOut(ctx, tx, t, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.attendance_checkout", TargetType: "signup",
			TargetID: signupID, OrgID: t.Opp.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": t.UserID}})
	})
	return att, err
}

// applyCheck performs a decided action. actorID is who acts (the volunteer
// or the coordinator), for the audit of a cleared no-show mark.
func (s *Service) applyCheck(ctx context.Context, tx db.Tx, t *attTarget, actorID, action string, method AttendanceMethod, now time.Time) (*Attendance, error) {
	if action == "out" {
		return s.checkOut(ctx, tx, t, now)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO attendance (signup_id, checked_in_at, method) VALUES ($1, $2, $3)`, t.SignupID, now, string(method))
	if err != nil {
		if errors.Is(db.Map(err), db.ErrConflict) {
			return nil, ErrAlreadyCheckedIn
		}
		return nil, fmt.Errorf("check in: %w", err)
	}
	if err := attClearNoShow(ctx, tx, t, actorID, "checkin", now); err != nil {
		return nil, err
	}
	if err := s.scheduleClose(ctx, tx, t); err != nil {
		return nil, err
	}
	return loadAttendance(ctx, tx, t.SignupID)
}

// scheduleClose enqueues the shift's auto-close at its end plus the
// organisation's grace; River keeps one such job per shift.
func (s *Service) scheduleClose(ctx context.Context, tx db.Tx, t *attTarget) error {
	if s.jobs == nil {
		return errors.New("schedule attendance close: the service has no job client (UseJobs)")
	}
	st, err := loadOrgSettings(ctx, tx, t.Opp.OrgID)
	if err != nil {
		return err
	}
	due := t.Shift.EndsAt.Add(time.Duration(st.CheckinGraceMinutes) * time.Minute)
	return s.jobs.Enqueue(ctx, tx, closeAttendanceArgs{ShiftID: t.Shift.ID}, &river.InsertOpts{
		ScheduledAt: due,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	})
}

// checkOut closes an open attendance at now, or at the shift's end (flagged
// as closed automatically) once the grace period has passed, and records
// the hours.
func (s *Service) checkOut(ctx context.Context, tx db.Tx, t *attTarget, now time.Time) (*Attendance, error) {
	switch {
	case t.Att == nil:
		return nil, ErrNotCheckedIn
	case t.Att.CheckedOutAt != nil:
		return nil, ErrAlreadyCheckedOut
	}
	st, err := loadOrgSettings(ctx, tx, t.Opp.OrgID)
	if err != nil {
		return nil, err
	}
	out, auto := now, false
	if now.After(t.Shift.EndsAt.Add(time.Duration(st.CheckinGraceMinutes) * time.Minute)) {
		out, auto = t.Shift.EndsAt, true
	}
	if out.Before(t.Att.CheckedInAt) {
		out = t.Att.CheckedInAt
	}
	return s.closeAttendance(ctx, tx, t, out, auto, st, now)
}

// attClearNoShow lifts a no-show mark from a sign-up whose person is now
// recorded as present (checked in, or times corrected), audited as
// "volunteer.no_show_clear"; nothing happens when there is no mark.
func attClearNoShow(ctx context.Context, tx db.Tx, t *attTarget, actorID, via string, now time.Time) error {
	var comment string
	err := tx.QueryRowContext(ctx, `SELECT no_show_comment FROM signups WHERE id = $1 AND no_show`, t.SignupID).Scan(&comment)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("no-show mark: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE signups SET no_show = FALSE, no_show_comment = '', updated_at = $2 WHERE id = $1`,
		t.SignupID, now); err != nil {
		return fmt.Errorf("clear no-show: %w", err)
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "volunteer.no_show_clear", TargetType: "signup",
		TargetID: t.SignupID, OrgID: t.Opp.OrgID, IP: httpx.ClientIP(ctx),
		Details: map[string]string{"user": t.UserID, "via": via, "comment": comment}})
}

// closeAttendance writes the check-out and the hours it earns; a sign-up
// that is no longer confirmed (withdrawn, declined) earns none.
func (s *Service) closeAttendance(ctx context.Context, tx db.Tx, t *attTarget, out time.Time, auto bool, st orgSettings, now time.Time) (*Attendance, error) {
	res, err := tx.ExecContext(ctx, `UPDATE attendance SET checked_out_at = $2, auto_closed = $3
		WHERE signup_id = $1 AND checked_out_at IS NULL`, t.SignupID, out, auto)
	if err != nil {
		return nil, fmt.Errorf("check out: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrAlreadyCheckedOut
	}
	if t.Status == Confirmed {
		if err := s.recordAttendanceHours(ctx, tx, t, t.Att.CheckedInAt, out, st, now); err != nil {
			return nil, err
		}
	}
	return loadAttendance(ctx, tx, t.SignupID)
}

// CloseAttendance closes every check-in on a shift still open at its end plus
// the organisation's grace: checked out at the shift's end, flagged, hours
// recorded (for confirmed sign-ups only). Before that time it does nothing and says how long to wait.
func (s *Service) CloseAttendance(ctx context.Context, shiftID string) (wait time.Duration, closed int, err error) {
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		sh, err := loadShift(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		opp, err := loadOpportunity(ctx, tx, sh.OpportunityID)
		if err != nil {
			return err
		}
		st, err := loadOrgSettings(ctx, tx, opp.OrgID)
		if err != nil {
			return err
		}
		now := s.now()
		due := sh.EndsAt.Add(time.Duration(st.CheckinGraceMinutes) * time.Minute)
		if now.Before(due) {
			wait = due.Sub(now)
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT a.signup_id FROM attendance a JOIN signups g ON g.id = a.signup_id
			WHERE g.shift_id = $1 AND a.checked_out_at IS NULL ORDER BY a.signup_id`, shiftID)
		if err != nil {
			return fmt.Errorf("open check-ins: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			t, err := loadAttTarget(ctx, tx, id)
			if err != nil {
				return err
			}
			out := sh.EndsAt
			if out.Before(t.Att.CheckedInAt) {
				out = t.Att.CheckedInAt
			}
			if _, err := s.closeAttendance(ctx, tx, t, out, true, st, now); err != nil {
				return err
			}
			closed++
		}
		return nil
	})
	if errors.Is(err, db.ErrNotFound) {
		return 0, 0, nil // the shift is gone: nothing left to close
	}
	if err != nil {
		return 0, 0, fmt.Errorf("close attendance of shift %s: %w", shiftID, err)
	}
	return wait, closed, nil
}

// AttendanceRow is one confirmed person on a shift's check-in list.
type AttendanceRow struct {
	SignupID   string
	UserID     string
	Name       string
	PartySize  int
	RoleNameAr string
	RoleNameEn string
	NoShow     bool
	Attendance *Attendance // nil when not checked in
}

// RoleName is the role's name in lang.
func (r AttendanceRow) RoleName(lang i18n.Lang) string {
	if lang == i18n.EN && r.RoleNameEn != "" {
		return r.RoleNameEn
	}
	return r.RoleNameAr
}

// ShiftAttendance lists a shift's confirmed people with their check-in and
// check-out (flags: closed automatically, corrected), for its coordinators.
func (s *Service) ShiftAttendance(ctx context.Context, viewer *httpx.Viewer, shiftID string) (*Shift, *Opportunity, []AttendanceRow, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, nil, nil, err
	}
	sh, err := loadShift(ctx, s.db.R, shiftID)
	if err != nil {
		return nil, nil, nil, err
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, opp.OrgID); err != nil {
		return nil, nil, nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT g.id, g.user_id, u.name, g.party_size, r.name_ar, r.name_en, g.no_show,
			a.signup_id, a.checked_in_at, a.checked_out_at, a.method, a.auto_closed, a.corrected_by, a.correction_reason, a.corrected_at
		FROM signups g JOIN users u ON u.id = g.user_id JOIN shift_roles r ON r.id = g.role_id
		LEFT JOIN attendance a ON a.signup_id = g.id
		WHERE g.shift_id = $1 AND g.status = 'confirmed' ORDER BY u.name, g.id`, shiftID)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("shift attendance: %w", err)
	}
	defer rows.Close()
	var out []AttendanceRow
	for rows.Next() {
		var r AttendanceRow
		var attID, method, correctedBy, reason sql.NullString
		var in, outAt, correctedAt sql.NullTime
		var auto sql.NullBool
		if err := rows.Scan(&r.SignupID, &r.UserID, &r.Name, &r.PartySize, &r.RoleNameAr, &r.RoleNameEn, &r.NoShow,
			&attID, &in, &outAt, &method, &auto, &correctedBy, &reason, &correctedAt); err != nil {
			return nil, nil, nil, err
		}
		if attID.Valid {
			a := &Attendance{SignupID: r.SignupID, ShiftID: shiftID, UserID: r.UserID, CheckedInAt: in.Time.UTC(), SignupStatus: Confirmed,
				Method: AttendanceMethod(method.String), AutoClosed: auto.Bool, CorrectedBy: correctedBy.String, CorrectionReason: reason.String}
			if outAt.Valid {
				t := outAt.Time.UTC()
				a.CheckedOutAt = &t
				a.Minutes = max(0, attendanceMinutes(a.CheckedInAt, t))
			}
			if correctedAt.Valid {
				t := correctedAt.Time.UTC()
				a.CorrectedAt = &t
			}
			r.Attendance = a
		}
		out = append(out, r)
	}
	return sh, opp, out, rows.Err()
}

// Correction is a coordinator's fix of someone's check-in and check-out times.
type Correction struct {
	CheckedInAt  time.Time  `json:"checked_in_at"`
	CheckedOutAt *time.Time `json:"checked_out_at"`
	Reason       string     `json:"reason"`
}

// correctionSlack bounds how far from the shift corrected times may be.
const correctionSlack = 12 * time.Hour

func (c *Correction) validate(sh *Shift, hadOut bool, now time.Time) map[string]string {
	errs := map[string]string{}
	c.Reason = strings.TrimSpace(c.Reason)
	switch {
	case c.Reason == "":
		errs["reason"] = "volunteer.attendance.error.reason_required"
	case utf8.RuneCountInString(c.Reason) > MaxReasonRunes:
		errs["reason"] = "volunteer.attendance.error.reason_long"
	}
	switch {
	case c.CheckedInAt.IsZero():
		errs["checked_in_at"] = "volunteer.attendance.error.in_required"
	case c.CheckedInAt.After(now):
		errs["checked_in_at"] = "volunteer.attendance.error.future"
	case c.CheckedInAt.Before(sh.StartsAt.Add(-correctionSlack)) || c.CheckedInAt.After(sh.EndsAt.Add(correctionSlack)):
		errs["checked_in_at"] = "volunteer.attendance.error.far"
	}
	if c.CheckedOutAt == nil {
		if hadOut || now.After(sh.EndsAt) {
			errs["checked_out_at"] = "volunteer.attendance.error.out_required"
		}
		return errs
	}
	out := *c.CheckedOutAt
	switch {
	case out.After(now):
		errs["checked_out_at"] = "volunteer.attendance.error.future"
	case out.Before(sh.StartsAt.Add(-correctionSlack)) || out.After(sh.EndsAt.Add(correctionSlack)):
		errs["checked_out_at"] = "volunteer.attendance.error.far"
	case !c.CheckedInAt.IsZero() && out.Sub(c.CheckedInAt) < time.Minute:
		errs["checked_out_at"] = "volunteer.attendance.error.out_before_in"
	case !c.CheckedInAt.IsZero() && out.Sub(c.CheckedInAt) > 24*time.Hour:
		errs["checked_out_at"] = "volunteer.attendance.error.too_long"
	}
	return errs
}

// CorrectAttendance sets someone's check-in and check-out times with a
// reason (also for a person who never checked in), and lifts a no-show
// mark. Their hours follow (see recomputeHours): pending and automatically
// approved hours take the new minutes, hours a coordinator approved go back
// to pending for review, declined hours stay declined.
func (s *Service) CorrectAttendance(ctx context.Context, viewer *httpx.Viewer, signupID string, c Correction) (*Attendance, error) {
	var att *Attendance
	c.CheckedInAt = c.CheckedInAt.UTC().Truncate(time.Second)
	if c.CheckedOutAt != nil {
		out := c.CheckedOutAt.UTC().Truncate(time.Second)
		c.CheckedOutAt = &out
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		t, err := s.coordinatorTarget(ctx, tx, viewer, signupID)
		if err != nil {
			return err
		}
		if t.Status != Confirmed {
			return ErrCheckinNotConfirmed
		}
		now := s.now()
		if errs := c.validate(t.Shift, t.Att != nil && t.Att.CheckedOutAt != nil, now); len(errs) > 0 {
			return httpx.Invalid(errs)
		}
		var out sql.NullTime
		if c.CheckedOutAt != nil {
			out = sql.NullTime{Time: *c.CheckedOutAt, Valid: true}
		}
		before := map[string]string{"in": "", "out": ""}
		if t.Att == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO attendance (signup_id, checked_in_at, checked_out_at, method, corrected_by, correction_reason, corrected_at)
				VALUES ($1, $2, $3, 'manual', $4, $5, $6)`, signupID, c.CheckedInAt, out, viewer.ID, c.Reason, now)
		} else {
			before["in"] = t.Att.CheckedInAt.Format(time.RFC3339)
			if t.Att.CheckedOutAt != nil {
				before["out"] = t.Att.CheckedOutAt.Format(time.RFC3339)
			}
			_, err = tx.ExecContext(ctx, `UPDATE attendance SET checked_in_at = $2, checked_out_at = $3, corrected_by = $4,
				correction_reason = $5, corrected_at = $6 WHERE signup_id = $1`, signupID, c.CheckedInAt, out, viewer.ID, c.Reason, now)
		}
		if err != nil {
			return fmt.Errorf("correct attendance: %w", err)
		}
		if err := attClearNoShow(ctx, tx, t, viewer.ID, "correction", now); err != nil {
			return err
		}
		hours := ""
		if c.CheckedOutAt == nil {
			if err := s.scheduleClose(ctx, tx, t); err != nil {
				return err
			}
		} else if hours, err = s.recomputeHours(ctx, tx, t, c.CheckedInAt, *c.CheckedOutAt, now); err != nil {
			return err
		}
		details := map[string]string{"user": t.UserID, "reason": c.Reason, "from_in": before["in"], "from_out": before["out"],
			"to_in": c.CheckedInAt.Format(time.RFC3339), "to_out": "", "hours": hours}
		if c.CheckedOutAt != nil {
			details["to_out"] = c.CheckedOutAt.Format(time.RFC3339)
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.attendance_correct", TargetType: "signup",
			TargetID: signupID, OrgID: t.Opp.OrgID, IP: httpx.ClientIP(ctx), Details: details}); err != nil {
			return err
		}
		att, err = loadAttendance(ctx, tx, signupID)
		return err
	})
	return att, err
}

// CorrectionTarget is what the correction form shows: the person, the
// shift, their attendance and the state of their hours.
type CorrectionTarget struct {
	SignupID    string
	UserName    string
	Shift       *Shift
	Opportunity *Opportunity
	Attendance  *Attendance
	// HoursStatus is the status of the hours the attendance earned, "" when none.
	HoursStatus HoursStatus
	// HoursByCoordinator is true when a coordinator decided the hours (not
	// the organisation's automatic approval).
	HoursByCoordinator bool
}

// CorrectionFor loads a sign-up for its correction form (coordinators only).
func (s *Service) CorrectionFor(ctx context.Context, viewer *httpx.Viewer, signupID string) (*CorrectionTarget, error) {
	t, err := s.coordinatorTarget(ctx, s.db.R, viewer, signupID)
	if err != nil {
		return nil, err
	}
	ct := &CorrectionTarget{SignupID: signupID, Shift: t.Shift, Opportunity: t.Opp, Attendance: t.Att}
	if err := s.db.R.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, t.UserID).Scan(&ct.UserName); err != nil {
		return nil, db.Map(err)
	}
	var status string
	err = s.db.R.QueryRowContext(ctx, `SELECT status, decided_by IS NOT NULL FROM hours WHERE signup_id = $1`, signupID).Scan(&status, &ct.HoursByCoordinator)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	ct.HoursStatus = HoursStatus(status)
	return ct, nil
}
