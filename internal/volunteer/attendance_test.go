package volunteer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// attArabicDigits writes the ASCII digits of s as Arabic-Indic digits and its
// letters in lower case, the way a volunteer may type a code on a phone.
func attArabicDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, strings.ToLower(s))
}

func attWantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
}

func attWantField(t *testing.T, err error, field, msgID string) {
	t.Helper()
	var he *httpx.Error
	if !errors.As(err, &he) || he.Fields[field] != msgID {
		t.Fatalf("error %v, want %s on %q", err, msgID, field)
	}
}

func TestCheckInWindowAndRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol, late, stranger, waiting := f.user("منسقة", "ar"), f.user("سارة", "ar"), f.user("خالد", "ar"), f.user("غريب", "ar"), f.user("منتظر", "ar")
		orgID := f.org(coord, "جمعية البر", "Birr Society")
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		sh := f.shift(orgID, coord, start, start.Add(2*time.Hour))
		signup := f.signup(sh, vol, Confirmed)
		f.signup(sh, late, Confirmed)
		f.signup(sh, waiting, Waitlisted)
		ctx := f.ctx

		// Too early: 31 minutes before the start.
		f.clock.Set(start.Add(-31 * time.Minute))
		_, _, err := f.svc.CheckInOrOut(ctx, vol, sh.code, MethodCode)
		attWantErr(t, err, ErrCheckinNotOpen)
		view, err := f.svc.CheckinFor(ctx, vol, sh.code)
		if err != nil || view.Action != "" || view.Refusal == nil || view.Refusal.MsgID != ErrCheckinNotOpen.MsgID || !view.Opens.Equal(start.Add(-30*time.Minute)) {
			t.Fatalf("view before opening: %+v, %v", view, err)
		}

		f.clock.Set(start.Add(-29 * time.Minute))
		_, _, err = f.svc.CheckInOrOut(ctx, vol, "ZZZZZZ", MethodCode)
		attWantField(t, err, "code", "volunteer.checkin.error.code")
		_, _, err = f.svc.CheckInOrOut(ctx, stranger, sh.code, MethodCode)
		attWantErr(t, err, ErrCheckinNotSignedUp)
		_, _, err = f.svc.CheckInOrOut(ctx, waiting, sh.code, MethodCode)
		attWantErr(t, err, ErrCheckinNotConfirmed)
		if _, _, err := f.svc.CheckInOrOut(ctx, nil, sh.code, MethodCode); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Fatalf("anonymous: %v", err)
		}

		// Lower case and Arabic-Indic digits, from the QR link.
		typed := attArabicDigits(sh.code)
		if typed == strings.ToUpper(typed) {
			t.Fatalf("the typed code %q does not exercise case folding", typed)
		}
		att, done, err := f.svc.CheckInOrOut(ctx, vol, " "+typed+" ", MethodQR)
		if err != nil || done != "in" || att.Method != MethodQR || !att.CheckedInAt.Equal(f.clock.Now()) || att.CheckedOutAt != nil {
			t.Fatalf("check in: %+v %q %v", att, done, err)
		}
		// A double tap does not check out.
		f.clock.Set(start.Add(-28*time.Minute - 30*time.Second))
		if _, done, err := f.svc.CheckInOrOut(ctx, vol, sh.code, MethodCode); err != nil || done != "already_in" {
			t.Fatalf("double tap: %q %v", done, err)
		}
		// The API's check-in refuses a second one outright.
		_, err = f.svc.SelfCheckIn(ctx, vol, sh.id, sh.code, MethodCode)
		attWantErr(t, err, ErrAlreadyCheckedIn)

		// One close job per shift, at its end plus the default grace (30 minutes).
		if _, _, err := f.svc.CheckInOrOut(ctx, late, sh.code, MethodCode); err != nil {
			t.Fatal(err)
		}
		var jobs int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_close_attendance'`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		var due time.Time
		if err := d.R.QueryRowContext(ctx, `SELECT scheduled_at FROM river_job WHERE kind = 'volunteer_close_attendance'`).Scan(&due); err != nil {
			t.Fatal(err)
		}
		if jobs != 1 || !due.Equal(start.Add(2*time.Hour+30*time.Minute)) {
			t.Fatalf("close jobs: %d due %v", jobs, due)
		}

		// A second check-in an hour later checks out, and records the hours.
		f.clock.Set(start.Add(time.Hour))
		att, done, err = f.svc.CheckInOrOut(ctx, vol, sh.code, MethodCode)
		if err != nil || done != "out" || att.CheckedOutAt == nil || att.Minutes != 89 || att.AutoClosed {
			t.Fatalf("check out: %+v %q %v", att, done, err)
		}
		h := f.hoursOf(signup)
		if h.Minutes != 89 || h.Status != HoursPending || h.Source != HoursFromAttendance || h.Category != "food" || h.OrgID != orgID || h.WorkedOn != "2026-11-26" {
			t.Fatalf("hours: %+v", h)
		}
		_, _, err = f.svc.CheckInOrOut(ctx, vol, sh.code, MethodCode)
		attWantErr(t, err, ErrAlreadyCheckedOut)
		_, err = f.svc.SelfCheckOut(ctx, vol, sh.id)
		attWantErr(t, err, ErrAlreadyCheckedOut)

		// After the end nobody new checks in.
		f.clock.Set(start.Add(2*time.Hour + time.Minute))
		_, err = f.svc.SelfCheckIn(ctx, stranger, sh.id, sh.code, MethodCode)
		attWantErr(t, err, ErrCheckinNotSignedUp)
		other := f.user("متأخرة", "ar")
		f.signup(sh, other, Confirmed)
		_, _, err = f.svc.CheckInOrOut(ctx, other, sh.code, MethodCode)
		attWantErr(t, err, ErrCheckinClosed)
		_, err = f.svc.SelfCheckOut(ctx, other, sh.id)
		attWantErr(t, err, ErrNotCheckedIn)
		// The code must belong to the shift named.
		sh2 := f.shift(orgID, coord, start, start.Add(2*time.Hour))
		_, err = f.svc.SelfCheckIn(ctx, other, sh.id, sh2.code, MethodCode)
		attWantField(t, err, "code", "volunteer.checkin.error.code")

		// A cancelled shift refuses check-in.
		if _, err := d.W.ExecContext(ctx, `UPDATE shifts SET status = 'cancelled' WHERE id = $1`, sh2.id); err != nil {
			t.Fatal(err)
		}
		f.signup(sh2, other, Confirmed)
		f.clock.Set(start)
		_, _, err = f.svc.CheckInOrOut(ctx, other, sh2.code, MethodCode)
		attWantErr(t, err, ErrCheckinCancelled)
	})
}

func TestAutoCloseFlagsAndRecordsHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, stays, leaves := f.user("منسق", "ar"), f.user("نورة", "ar"), f.user("فهد", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		f.settings(orgID, ReviewApproval, 15)
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		end := start.Add(3 * time.Hour)
		sh := f.shift(orgID, coord, start, end)
		sStays, sLeaves := f.signup(sh, stays, Confirmed), f.signup(sh, leaves, Confirmed)
		ctx := f.ctx

		f.clock.Set(start.Add(5 * time.Minute))
		for _, v := range []*httpx.Viewer{stays, leaves} {
			if _, _, err := f.svc.CheckInOrOut(ctx, v, sh.code, MethodCode); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Set(start.Add(2 * time.Hour))
		if _, err := f.svc.SelfCheckOut(ctx, leaves, sh.id); err != nil {
			t.Fatal(err)
		}

		// Before end + grace the job waits (River snoozes it).
		f.clock.Set(end.Add(10 * time.Minute))
		w := &closeAttendanceWorker{svc: f.svc}
		err := w.Work(ctx, &river.Job[closeAttendanceArgs]{Args: closeAttendanceArgs{ShiftID: sh.id}})
		var snooze *river.JobSnoozeError
		if !errors.As(err, &snooze) || snooze.Duration != 5*time.Minute {
			t.Fatalf("early run: %v", err)
		}
		if a, _ := loadAttendance(ctx, d.R, sStays); a.CheckedOutAt != nil {
			t.Fatal("closed before end + grace")
		}

		f.clock.Set(end.Add(15 * time.Minute))
		if err := w.Work(ctx, &river.Job[closeAttendanceArgs]{Args: closeAttendanceArgs{ShiftID: sh.id}}); err != nil {
			t.Fatal(err)
		}
		a, err := loadAttendance(ctx, d.R, sStays)
		if err != nil || a.CheckedOutAt == nil || !a.CheckedOutAt.Equal(end) || !a.AutoClosed || a.Minutes != 175 {
			t.Fatalf("auto-closed attendance: %+v %v", a, err)
		}
		h := f.hoursOf(sStays)
		if h.Minutes != 175 || h.Status != HoursPending || !h.AutoClosed {
			t.Fatalf("hours of the auto-closed: %+v", h)
		}
		// The one who checked out is untouched.
		if a, _ := loadAttendance(ctx, d.R, sLeaves); a.AutoClosed || a.Minutes != 115 {
			t.Fatalf("checked-out attendance changed: %+v", a)
		}
		// Running again changes nothing; a missing shift is no error.
		if _, closed, err := f.svc.CloseAttendance(ctx, sh.id); err != nil || closed != 0 {
			t.Fatalf("second run: %d %v", closed, err)
		}
		if _, _, err := f.svc.CloseAttendance(ctx, db.NewID()); err != nil {
			t.Fatalf("unknown shift: %v", err)
		}
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM hours WHERE signup_id IN ($1, $2)`, sStays, sLeaves).Scan(&n); err != nil || n != 2 {
			t.Fatalf("hours rows: %d %v", n, err)
		}
		// The auto-close is flagged in the coordinator's list.
		_, _, rows, err := f.svc.ShiftAttendance(ctx, coord, sh.id)
		if err != nil || len(rows) != 2 {
			t.Fatalf("attendance list: %v %v", rows, err)
		}
		for _, r := range rows {
			if (r.SignupID == sStays) != r.Attendance.AutoClosed {
				t.Errorf("flag of %s: %+v", r.Name, r.Attendance)
			}
		}
	})
}

func TestHoursApprovalAutoOrReview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol := f.user("منسق", "ar"), f.user("ريم", "ar")
		autoOrg, reviewOrg := f.org(coord, "آلية", "Auto"), f.org(coord, "مراجعة", "Review")
		f.settings(autoOrg, AutoApproval, 30)
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		shAuto, shReview := f.shift(autoOrg, coord, start, start.Add(time.Hour)), f.shift(reviewOrg, coord, start, start.Add(time.Hour))
		sAuto, sReview := f.signup(shAuto, vol, Confirmed), f.signup(shReview, vol, Confirmed)

		f.clock.Set(start)
		for _, s := range []string{sAuto, sReview} {
			if _, err := f.svc.ManualCheckIn(f.ctx, coord, s); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Set(start.Add(45*time.Minute + 40*time.Second))
		for _, s := range []string{sAuto, sReview} {
			if _, err := f.svc.ManualCheckOut(f.ctx, coord, s); err != nil {
				t.Fatal(err)
			}
		}
		if h := f.hoursOf(sAuto); h.Status != HoursApproved || h.DecidedAt == nil || h.Minutes != 46 {
			t.Fatalf("auto organisation: %+v", h)
		}
		if h := f.hoursOf(sReview); h.Status != HoursPending || h.DecidedAt != nil || h.Minutes != 46 {
			t.Fatalf("reviewing organisation: %+v", h)
		}
		if a, _ := loadAttendance(f.ctx, d.R, sAuto); a.Method != MethodManual {
			t.Fatalf("method: %s", a.Method)
		}
		if f.auditCount("volunteer.attendance_checkin", sAuto) != 1 || f.auditCount("volunteer.attendance_checkout", sAuto) != 1 {
			t.Error("manual check-in and out are not audited")
		}
	})
}

func TestDeclineNeedsReasonAndKeepsTheRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol := f.user("منسق", "ar"), f.user("Sam", "en")
		orgID := f.org(coord, "جمعية الخير", "Khair Society")
		id := f.addHours(vol.ID, orgID, "2026-11-20", 90, HoursPending)

		_, err := f.svc.DeclineHours(f.ctx, coord, id, "   ")
		attWantField(t, err, "reason", "volunteer.hours.error.reason_required")
		h, err := f.svc.DeclineHours(f.ctx, coord, id, "لم نجد سجل هذا اليوم")
		if err != nil || h.Status != HoursDeclined || h.DeclineReason != "لم نجد سجل هذا اليوم" || h.DecidedBy != coord.ID || h.DecidedAt == nil {
			t.Fatalf("declined: %+v %v", h, err)
		}
		// Kept, and no second decision.
		if _, err := loadHours(f.ctx, d.R, id); err != nil {
			t.Fatalf("declined hours gone: %v", err)
		}
		_, err = f.svc.ApproveHours(f.ctx, coord, id)
		attWantErr(t, err, ErrHoursDecided)
		if f.auditCount("volunteer.hours_decline", id) != 1 {
			t.Error("decline not audited")
		}
		// The volunteer is told, in their language, with the reason.
		m := f.mail.last(t)
		if m.to != vol.Email || m.subject != "Your volunteering hours were declined" || !strings.Contains(m.text, "لم نجد سجل هذا اليوم") ||
			!strings.Contains(m.text, "Khair Society") || !strings.Contains(m.text, "1 hour 30 minutes") {
			t.Fatalf("mail: %+v", m)
		}
		// The volunteer sees it with the reason in their own list.
		pg, err := f.svc.ListHours(f.ctx, vol, HoursFilter{Status: HoursDeclined})
		if err != nil || len(pg.Items) != 1 || pg.Items[0].DeclineReason == "" {
			t.Fatalf("own list: %+v %v", pg, err)
		}
	})
}

func TestHoursPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, coord2, other, vol := f.user("منسق", "ar"), f.user("منسق ثان", "ar"), f.user("منسق آخر", "ar"), f.user("متطوع", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		f.member(orgID, coord2, org.RoleCoordinator)
		otherOrg := f.org(other, "جهة أخرى", "Other")
		volHours := f.addHours(vol.ID, orgID, "2026-11-20", 60, HoursPending)
		coordHours := f.addHours(coord.ID, orgID, "2026-11-20", 60, HoursPending)

		// A volunteer cannot approve their own hours.
		_, err := f.svc.ApproveHours(f.ctx, vol, volHours)
		attWantErr(t, err, httpx.ErrForbidden)
		// Nor a coordinator theirs; another coordinator of the organisation can.
		_, err = f.svc.ApproveHours(f.ctx, coord, coordHours)
		attWantErr(t, err, ErrOwnHours)
		if h, err := f.svc.ApproveHours(f.ctx, coord2, coordHours); err != nil || h.Status != HoursApproved {
			t.Fatalf("second coordinator: %+v %v", h, err)
		}
		// Another organisation's coordinator cannot, nor see the queue.
		_, err = f.svc.ApproveHours(f.ctx, other, volHours)
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.DeclineHours(f.ctx, other, volHours, "لا")
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.ListHours(f.ctx, other, HoursFilter{OrgID: orgID})
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.ListHours(f.ctx, vol, HoursFilter{OrgID: orgID})
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.ApproveHours(f.ctx, nil, volHours)
		attWantErr(t, err, httpx.ErrUnauthorized)
		// Attendance and certificates are guarded the same way.
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		sh := f.shift(orgID, coord, start, start.Add(time.Hour))
		s := f.signup(sh, vol, Confirmed)
		f.clock.Set(start)
		_, err = f.svc.ManualCheckIn(f.ctx, other, s)
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.ManualCheckIn(f.ctx, vol, s)
		attWantErr(t, err, httpx.ErrForbidden)
		_, _, _, err = f.svc.ShiftAttendance(f.ctx, other, sh.id)
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.CorrectAttendance(f.ctx, other, s, Correction{CheckedInAt: start, Reason: "x"})
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.IssueCertificate(f.ctx, other, orgID, CertificateInput{UserID: vol.ID, From: "2026-01-01", To: "2026-11-25"})
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.SignupOf(f.ctx, other, sh.id, vol.ID)
		attWantErr(t, err, httpx.ErrForbidden)
		// Their own organisation's queue is theirs to see.
		if _, err := f.svc.ListHours(f.ctx, other, HoursFilter{OrgID: otherOrg}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCorrectAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol, forgot, approved := f.user("منسق", "ar"), f.user("هند", "ar"), f.user("نسي", "ar"), f.user("معتمد", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		end := start.Add(2 * time.Hour)
		sh := f.shift(orgID, coord, start, end)
		sVol, sForgot, sApproved := f.signup(sh, vol, Confirmed), f.signup(sh, forgot, Confirmed), f.signup(sh, approved, Confirmed)
		f.clock.Set(start.Add(20 * time.Minute))
		for _, v := range []*httpx.Viewer{vol, approved} {
			if _, _, err := f.svc.CheckInOrOut(f.ctx, v, sh.code, MethodCode); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Set(end.Add(time.Hour)) // past end + grace: the auto-close
		if _, closed, err := f.svc.CloseAttendance(f.ctx, sh.id); err != nil || closed != 2 {
			t.Fatalf("close: %d %v", closed, err)
		}
		if _, err := f.svc.ApproveHours(f.ctx, coord, f.hoursOf(sApproved).ID); err != nil {
			t.Fatal(err)
		}

		in, out := start.Add(-10*time.Minute), end.Add(-15*time.Minute)
		_, err := f.svc.CorrectAttendance(f.ctx, coord, sVol, Correction{CheckedInAt: in, CheckedOutAt: &out})
		attWantField(t, err, "reason", "volunteer.attendance.error.reason_required")
		early := in.Add(time.Minute - time.Second)
		_, err = f.svc.CorrectAttendance(f.ctx, coord, sVol, Correction{CheckedInAt: in, CheckedOutAt: &early, Reason: "x"})
		attWantField(t, err, "checked_out_at", "volunteer.attendance.error.out_before_in")
		_, err = f.svc.CorrectAttendance(f.ctx, coord, sVol, Correction{CheckedInAt: in, Reason: "x"})
		attWantField(t, err, "checked_out_at", "volunteer.attendance.error.out_required")
		future := f.clock.Now().Add(time.Hour)
		_, err = f.svc.CorrectAttendance(f.ctx, coord, sVol, Correction{CheckedInAt: in, CheckedOutAt: &future, Reason: "x"})
		attWantField(t, err, "checked_out_at", "volunteer.attendance.error.future")

		a, err := f.svc.CorrectAttendance(f.ctx, coord, sVol, Correction{CheckedInAt: in, CheckedOutAt: &out, Reason: "  وصلت قبل البداية  "})
		if err != nil || !a.CheckedInAt.Equal(in) || a.Minutes != 115 || a.CorrectedBy != coord.ID || a.CorrectionReason != "وصلت قبل البداية" || a.CorrectedAt == nil {
			t.Fatalf("corrected: %+v %v", a, err)
		}
		if h := f.hoursOf(sVol); h.Minutes != 115 || h.Status != HoursPending || !h.Corrected {
			t.Fatalf("pending hours follow: %+v", h)
		}
		if f.auditCount("volunteer.attendance_correct", sVol) != 1 {
			t.Error("correction not audited")
		}
		// Hours a coordinator approved take the new minutes and go back to review.
		if _, err := f.svc.CorrectAttendance(f.ctx, coord, sApproved, Correction{CheckedInAt: in, CheckedOutAt: &out, Reason: "تصحيح"}); err != nil {
			t.Fatal(err)
		}
		if h := f.hoursOf(sApproved); h.Minutes != 115 || h.Status != HoursPending || h.DecidedBy != "" || h.DecidedAt != nil {
			t.Fatalf("coordinator-approved hours not reopened: %+v", h)
		}
		// Someone who never checked in gets attendance and hours.
		a, err = f.svc.CorrectAttendance(f.ctx, coord, sForgot, Correction{CheckedInAt: start, CheckedOutAt: &end, Reason: "نسي التسجيل"})
		if err != nil || a.Method != MethodManual || a.Minutes != 120 {
			t.Fatalf("recorded: %+v %v", a, err)
		}
		if h := f.hoursOf(sForgot); h.Minutes != 120 || h.Status != HoursPending {
			t.Fatalf("hours of the forgotten: %+v", h)
		}
	})
}

func TestSubmitHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		owner, vol := f.user("مالك", "ar"), f.user("متطوع", "ar")
		orgID := f.org(owner, "جمعية", "Society")
		pendingOrg := db.NewID()
		if _, err := d.W.ExecContext(f.ctx, `INSERT INTO organisations (id, name_ar, type, status, created_by, created_at) VALUES ($1, 'قيد التوثيق', 'charity', 'pending', $2, $3)`,
			pendingOrg, owner.ID, db.Now()); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(time.Date(2026, 11, 26, 22, 30, 0, 0, time.UTC)) // already the 27th in Riyadh
		good := HoursInput{OrgID: orgID, WorkedOn: "٢٠٢٦-١١-٢٧", Minutes: 90, Category: "education", Description: "تدريس في المسجد"}
		for _, tc := range []struct {
			name, field, msg string
			edit             func(*HoursInput)
		}{
			{"future", "worked_on", "volunteer.hours.error.future", func(in *HoursInput) { in.WorkedOn = "2026-11-28" }},
			{"bad date", "worked_on", "volunteer.hours.error.date", func(in *HoursInput) { in.WorkedOn = "27/11/2026" }},
			{"too short", "minutes", "volunteer.hours.error.minutes", func(in *HoursInput) { in.Minutes = 14 }},
			{"too long", "minutes", "volunteer.hours.error.minutes", func(in *HoursInput) { in.Minutes = 721 }},
			{"no description", "description", "volunteer.hours.error.work_done", func(in *HoursInput) { in.Description = " " }},
			{"pending organisation", "org_id", "volunteer.hours.error.org", func(in *HoursInput) { in.OrgID = pendingOrg }},
			{"unknown organisation", "org_id", "volunteer.hours.error.org", func(in *HoursInput) { in.OrgID = db.NewID() }},
			{"category", "category", "volunteer.hours.error.category", func(in *HoursInput) { in.Category = "sports" }},
		} {
			in := good
			tc.edit(&in)
			_, err := f.svc.SubmitHours(f.ctx, vol, in)
			attWantField(t, err, tc.field, tc.msg)
		}
		h, err := f.svc.SubmitHours(f.ctx, vol, good)
		if err != nil || h.Status != HoursPending || h.Source != HoursFromSelf || h.WorkedOn != "2026-11-27" || h.Minutes != 90 || h.UserID != vol.ID {
			t.Fatalf("submitted: %+v %v", h, err)
		}
		// 15 and 720 minutes are the bounds, both allowed.
		for _, m := range []int{MinSubmittedMinutes, MaxSubmittedMinutes} {
			in := good
			in.Minutes = m
			if _, err := f.svc.SubmitHours(f.ctx, vol, in); err != nil {
				t.Fatalf("%d minutes: %v", m, err)
			}
		}
		mine, others, err := f.svc.HoursOrgChoices(f.ctx, vol)
		if err != nil || len(mine) != 1 || mine[0].ID != orgID || len(others) != 0 {
			t.Fatalf("choices: %v %v %v", mine, others, err)
		}
	})
}

func TestListHoursQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol := f.user("منسق", "ar"), f.user("متطوع", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		var pending, decided []string
		for i := range 3 {
			pending = append(pending, f.addHours(vol.ID, orgID, "2026-11-20", 60+i, HoursPending))
			decided = append(decided, f.addHours(vol.ID, orgID, "2026-11-20", 70+i, HoursApproved))
		}
		var got []string
		after := ""
		for page := 0; ; page++ {
			pg, err := f.svc.ListHours(f.ctx, coord, HoursFilter{OrgID: orgID, After: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range pg.Items {
				got = append(got, h.ID)
			}
			if pg.Next == "" || page > 5 {
				break
			}
			after = pg.Next
		}
		want := []string{pending[0], pending[1], pending[2], decided[2], decided[1], decided[0]}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("queue order:\n got %v\nwant %v", got, want)
		}
		pg, err := f.svc.ListHours(f.ctx, coord, HoursFilter{OrgID: orgID, Status: HoursApproved})
		if err != nil || len(pg.Items) != 3 || pg.Items[0].ID != decided[2] {
			t.Fatalf("approved only: %+v %v", pg, err)
		}
		_, err = f.svc.ListHours(f.ctx, coord, HoursFilter{OrgID: orgID, Status: "lost"})
		attWantField(t, err, "status", "volunteer.hours.error.status")
		_, err = f.svc.ListHours(f.ctx, coord, HoursFilter{OrgID: orgID, After: "x123"})
		attWantField(t, err, "after", "volunteer.hours.error.after")
		// The volunteer's own list, newest first.
		pg, err = f.svc.ListHours(f.ctx, vol, HoursFilter{})
		if err != nil || len(pg.Items) != 6 || pg.Items[0].ID != decided[2] {
			t.Fatalf("own list: %v", err)
		}
	})
}

func TestCertificates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, vol, other := f.user("منسقة", "ar"), f.user("ليلى", "ar"), f.user("منسق آخر", "ar")
		orgID, otherOrg := f.org(coord, "جمعية البر", "Birr Society"), f.org(other, "جهة أخرى", "Other")
		f.addHours(vol.ID, orgID, "2026-10-01", 60, HoursApproved)
		f.addHours(vol.ID, orgID, "2026-10-31", 30, HoursApproved)
		f.addHours(vol.ID, orgID, "2026-09-30", 120, HoursApproved) // before the period
		f.addHours(vol.ID, orgID, "2026-10-15", 45, HoursPending)
		f.addHours(vol.ID, orgID, "2026-10-16", 50, HoursDeclined)
		f.addHours(vol.ID, otherOrg, "2026-10-10", 100, HoursApproved)
		ctx := f.ctx

		_, err := f.svc.IssueCertificate(ctx, coord, orgID, CertificateInput{UserID: vol.ID, From: "2026-11-01", To: "2026-11-20"})
		attWantErr(t, err, ErrCertificateNoHours)
		_, err = f.svc.IssueCertificate(ctx, coord, orgID, CertificateInput{UserID: vol.ID, From: "2026-10-31", To: "2026-10-01"})
		attWantField(t, err, "to", "volunteer.certificate.error.range")
		_, err = f.svc.IssueCertificate(ctx, coord, orgID, CertificateInput{UserID: vol.ID, From: "2026-10-01", To: "2027-01-01"})
		attWantField(t, err, "to", "volunteer.certificate.error.future")
		_, err = f.svc.IssueCertificate(ctx, coord, orgID, CertificateInput{UserID: coord.ID, From: "2026-10-01", To: "2026-10-31"})
		attWantErr(t, err, ErrCertificateOwn)

		c, err := f.svc.IssueCertificate(ctx, coord, orgID, CertificateInput{UserID: vol.ID, From: "2026-10-01", To: "٢٠٢٦-١٠-٣١"})
		if err != nil || c.Minutes != 90 || c.From != "2026-10-01" || c.To != "2026-10-31" || !validCertificateCode(c.Code) || c.UserName != "ليلى" {
			t.Fatalf("issued: %+v %v", c, err)
		}
		if f.auditCount("volunteer.certificate_issue", c.ID) != 1 {
			t.Error("issue not audited")
		}
		if m := f.mail.last(t); m.to != vol.Email || !strings.Contains(m.text, "/certificates/"+c.Code) || !strings.Contains(m.text, "ساعة واحدة و30 دقيقةً") {
			t.Fatalf("mail: %+v", m)
		}

		// Verification gives only the allowed fields, whatever the case typed.
		v, err := f.svc.VerifyCertificate(ctx, "  "+strings.ToLower(c.Code[:5])+"-"+c.Code[5:])
		if err != nil || v.Status != "valid" || v.VolunteerName != "ليلى" || v.OrgNameEn != "Birr Society" || v.Minutes != 90 ||
			v.From != "2026-10-01" || v.To != "2026-10-31" || v.IssuedOn != "2026-11-26" || v.RevokedAt != nil {
			t.Fatalf("verification: %+v %v", v, err)
		}
		if _, err := f.svc.VerifyCertificate(ctx, "AAAAAAAAAA"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("unknown code: %v", err)
		}
		if _, err := f.svc.VerifyCertificate(ctx, "0"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("malformed code: %v", err)
		}

		_, err = f.svc.RevokeCertificate(ctx, other, c.ID, "خطأ")
		attWantErr(t, err, httpx.ErrForbidden)
		_, err = f.svc.RevokeCertificate(ctx, coord, c.ID, "")
		attWantField(t, err, "reason", "volunteer.certificate.error.reason_required")
		f.clock.Set(f.clock.Now().Add(48 * time.Hour))
		if _, err := f.svc.RevokeCertificate(ctx, coord, c.ID, "أُصدرت بالخطأ"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.RevokeCertificate(ctx, coord, c.ID, "مرة ثانية")
		attWantErr(t, err, ErrCertificateRevoked)
		v, err = f.svc.VerifyCertificate(ctx, c.Code)
		if err != nil || v.Status != "revoked" || v.RevokedAt == nil || !v.RevokedAt.Equal(f.clock.Now()) || v.VolunteerName != "" || v.Minutes != 0 {
			t.Fatalf("revoked verification: %+v %v", v, err)
		}
		if f.auditCount("volunteer.certificate_revoke", c.ID) != 1 {
			t.Error("revocation not audited")
		}
		items, _, err := f.svc.OrgCertificates(ctx, coord, orgID, "")
		if err != nil || len(items) != 1 || items[0].RevokeReason != "أُصدرت بالخطأ" {
			t.Fatalf("organisation's list: %+v %v", items, err)
		}
	})
}

func TestFormatMinutesAndCodes(t *testing.T) {
	ar, en := i18n.New(i18n.AR, i18n.ArabicIndic, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	for _, tc := range []struct {
		m      int
		ar, en string
	}{
		{45, "٤٥ دقيقةً", "45 minutes"},
		{60, "ساعة واحدة", "1 hour"},
		{90, "ساعة واحدة و٣٠ دقيقةً", "1 hour 30 minutes"},
		{122, "ساعتان ودقيقتان", "2 hours 2 minutes"},
		{125, "ساعتان و٥ دقائق", "2 hours 5 minutes"},
		{600, "١٠ ساعات", "10 hours"},
	} {
		if got := FormatMinutes(ar, tc.m); got != tc.ar {
			t.Errorf("ar %d: %q, want %q", tc.m, got, tc.ar)
		}
		if got := FormatMinutes(en, tc.m); got != tc.en {
			t.Errorf("en %d: %q, want %q", tc.m, got, tc.en)
		}
	}
	if got := NormalizeCheckinCode(" ab-٣٤ ۵z\u200f"); got != "AB345Z" {
		t.Errorf("NormalizeCheckinCode = %q", got)
	}
	seen := map[string]bool{}
	for range 200 {
		c, err := newCertificateCode()
		if err != nil || !validCertificateCode(c) || seen[c] || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("code %q %v", c, err)
		}
		seen[c] = true
	}
}
