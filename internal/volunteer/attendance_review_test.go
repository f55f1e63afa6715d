package volunteer

import (
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

// attSetSignup changes a sign-up's status and no-show mark directly, as the
// sign-up and roster parts would.
func (f *attFixture) attSetSignup(id string, status SignupStatus, noShow bool, comment string) {
	f.t.Helper()
	if _, err := f.d.W.ExecContext(f.ctx, `UPDATE signups SET status = $2, no_show = $3, no_show_comment = $4 WHERE id = $1`,
		id, string(status), noShow, comment); err != nil {
		f.t.Fatalf("update sign-up: %v", err)
	}
}

func (f *attFixture) attHoursCount(signupID string) int {
	f.t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM hours WHERE signup_id = $1`, signupID).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *attFixture) attNoShow(signupID string) (bool, string) {
	f.t.Helper()
	var mark bool
	var comment string
	if err := f.d.R.QueryRowContext(f.ctx, `SELECT no_show, no_show_comment FROM signups WHERE id = $1`, signupID).Scan(&mark, &comment); err != nil {
		f.t.Fatal(err)
	}
	return mark, comment
}

func TestWithdrawnAttendanceEarnsNoHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, stay, gone, declined := f.user("منسق", "ar"), f.user("باقية", "ar"), f.user("منسحب", "ar"), f.user("مرفوض", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		f.settings(orgID, AutoApproval, 30)
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		sh := f.shift(orgID, coord, start, start.Add(2*time.Hour))
		sStay, sGone, sDeclined := f.signup(sh, stay, Confirmed), f.signup(sh, gone, Confirmed), f.signup(sh, declined, Confirmed)
		f.clock.Set(start)
		for _, id := range []string{sStay, sGone, sDeclined} {
			if _, err := f.svc.ManualCheckIn(f.ctx, coord, id); err != nil {
				t.Fatal(err)
			}
		}
		f.attSetSignup(sGone, Withdrawn, false, "")
		f.attSetSignup(sDeclined, Declined, false, "")

		// A coordinator's check-out closes a withdrawn sign-up's attendance without hours.
		f.clock.Set(start.Add(time.Hour))
		a, err := f.svc.ManualCheckOut(f.ctx, coord, sGone)
		if err != nil || a.CheckedOutAt == nil || a.SignupStatus != Withdrawn {
			t.Fatalf("check out withdrawn: %+v %v", a, err)
		}
		if n := f.attHoursCount(sGone); n != 0 {
			t.Fatalf("withdrawn sign-up earned %d hours rows", n)
		}
		// The auto-close closes the declined one without hours, the confirmed one with.
		f.clock.Set(start.Add(3 * time.Hour))
		if _, closed, err := f.svc.CloseAttendance(f.ctx, sh.id); err != nil || closed != 2 {
			t.Fatalf("close: %d %v", closed, err)
		}
		if a, _ := loadAttendance(f.ctx, d.R, sDeclined); a == nil || a.CheckedOutAt == nil {
			t.Fatalf("declined attendance left open: %+v", a)
		}
		if n := f.attHoursCount(sDeclined); n != 0 {
			t.Fatalf("declined sign-up earned %d hours rows", n)
		}
		if h := f.hoursOf(sStay); h.Minutes != 120 || h.Status != HoursApproved {
			t.Fatalf("confirmed sign-up's hours: %+v", h)
		}
		// A correction cannot give them hours either.
		out := start.Add(2 * time.Hour)
		_, err = f.svc.CorrectAttendance(f.ctx, coord, sGone, Correction{CheckedInAt: start, CheckedOutAt: &out, Reason: "تصحيح"})
		attWantErr(t, err, ErrCheckinNotConfirmed)
		if n := f.attHoursCount(sGone); n != 0 {
			t.Fatalf("correction gave a withdrawn sign-up %d hours rows", n)
		}
	})
}

func TestCheckInClearsNoShow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, byCode, byHand, corrected, plain := f.user("منسق", "ar"), f.user("رمز", "ar"), f.user("يدوي", "ar"), f.user("مصحح", "ar"), f.user("عادي", "ar")
		orgID := f.org(coord, "جمعية", "Society")
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		sh := f.shift(orgID, coord, start, start.Add(2*time.Hour))
		sCode, sHand, sCorr, sPlain := f.signup(sh, byCode, Confirmed), f.signup(sh, byHand, Confirmed), f.signup(sh, corrected, Confirmed), f.signup(sh, plain, Confirmed)
		for _, id := range []string{sCode, sHand, sCorr} {
			f.attSetSignup(id, Confirmed, true, "لم يحضر")
		}

		f.clock.Set(start.Add(10 * time.Minute))
		if _, done, err := f.svc.CheckInOrOut(f.ctx, byCode, sh.code, MethodCode); err != nil || done != "in" {
			t.Fatalf("check in by code: %q %v", done, err)
		}
		if _, err := f.svc.ManualCheckIn(f.ctx, coord, sHand); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.CheckInOrOut(f.ctx, plain, sh.code, MethodCode); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(start.Add(3 * time.Hour))
		out := start.Add(2 * time.Hour)
		if _, err := f.svc.CorrectAttendance(f.ctx, coord, sCorr, Correction{CheckedInAt: start, CheckedOutAt: &out, Reason: "حضر ونسي التسجيل"}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{sCode, sHand, sCorr} {
			if mark, comment := f.attNoShow(id); mark || comment != "" {
				t.Errorf("sign-up %s keeps its no-show mark: %v %q", id, mark, comment)
			}
			if n := f.auditCount("volunteer.no_show_clear", id); n != 1 {
				t.Errorf("sign-up %s: %d no_show_clear audit entries, want 1", id, n)
			}
		}
		if n := f.auditCount("volunteer.no_show_clear", sPlain); n != 0 {
			t.Errorf("unmarked sign-up audited %d clears", n)
		}
	})
}

func TestCorrectionFollowsApprovedHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newAttFixture(t, d)
		coord, auto, reviewed, declined := f.user("منسق", "ar"), f.user("آلي", "ar"), f.user("معتمد", "ar"), f.user("مرفوض", "ar")
		autoOrg, reviewOrg := f.org(coord, "آلية", "Auto"), f.org(coord, "مراجعة", "Review")
		f.settings(autoOrg, AutoApproval, 30)
		start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		end := start.Add(2 * time.Hour)
		shAuto, shReview := f.shift(autoOrg, coord, start, end), f.shift(reviewOrg, coord, start, end)
		sAuto, sReviewed, sDeclined := f.signup(shAuto, auto, Confirmed), f.signup(shReview, reviewed, Confirmed), f.signup(shReview, declined, Confirmed)
		f.clock.Set(start)
		for _, id := range []string{sAuto, sReviewed, sDeclined} {
			if _, err := f.svc.ManualCheckIn(f.ctx, coord, id); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Set(start.Add(time.Hour))
		for _, id := range []string{sAuto, sReviewed, sDeclined} {
			if _, err := f.svc.ManualCheckOut(f.ctx, coord, id); err != nil {
				t.Fatal(err)
			}
		}
		autoHours := f.hoursOf(sAuto)
		if autoHours.Status != HoursApproved || autoHours.DecidedBy != "" || autoHours.Minutes != 60 {
			t.Fatalf("auto-approved hours: %+v", autoHours)
		}
		if _, err := f.svc.ApproveHours(f.ctx, coord, f.hoursOf(sReviewed).ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DeclineHours(f.ctx, coord, f.hoursOf(sDeclined).ID, "لم يكمل"); err != nil {
			t.Fatal(err)
		}
		ct, err := f.svc.CorrectionFor(f.ctx, coord, sReviewed)
		if err != nil || ct.HoursStatus != HoursApproved || !ct.HoursByCoordinator {
			t.Fatalf("correction form of reviewed hours: %+v %v", ct, err)
		}
		if ct, err := f.svc.CorrectionFor(f.ctx, coord, sAuto); err != nil || ct.HoursByCoordinator {
			t.Fatalf("correction form of automatic hours: %+v %v", ct, err)
		}

		f.clock.Set(end.Add(time.Hour))
		in, out := start.Add(-15*time.Minute), end
		for _, id := range []string{sAuto, sReviewed, sDeclined} {
			if _, err := f.svc.CorrectAttendance(f.ctx, coord, id, Correction{CheckedInAt: in, CheckedOutAt: &out, Reason: "نسي الانصراف"}); err != nil {
				t.Fatal(err)
			}
		}
		if h := f.hoursOf(sAuto); h.Minutes != 135 || h.Status != HoursApproved || h.DecidedBy != "" {
			t.Fatalf("automatically approved hours do not follow: %+v", h)
		}
		if h := f.hoursOf(sReviewed); h.Minutes != 135 || h.Status != HoursPending || h.DecidedBy != "" || h.DecidedAt != nil {
			t.Fatalf("coordinator-approved hours not back in review: %+v", h)
		}
		if h := f.hoursOf(sDeclined); h.Minutes != 60 || h.Status != HoursDeclined || h.DeclineReason != "لم يكمل" {
			t.Fatalf("declined hours changed: %+v", h)
		}
	})
}
