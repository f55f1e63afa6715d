package volunteer_test

import (
	"net/url"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// TestAttendanceReviewNotices checks what a coordinator reads: a withdrawn
// sign-up checked out by hand earns no hours and the notice says so; the
// correction form says approved hours go back to review.
func TestAttendanceReviewNotices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := attSetup(t, d)
		coordU := e.user("منى المنسقة", "mona.review@example.org", i18n.AR)
		goneU := e.user("منسحب", "gone.review@example.org", i18n.AR)
		stayU := e.user("Layla", "layla.review@example.org", i18n.EN)
		o := e.org(coordU, "جمعية البر", "Birr Society")
		start := time.Now().UTC().Truncate(time.Minute).Add(-90 * time.Minute)
		e.clock.Set(start)
		shiftID, roleID, _, err := volunteer.AttInsertShift(e.ctx, d, o.ID, coordU.ID, "food", start, start.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		gone, _ := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, goneU.ID, volunteer.Confirmed)
		stay, _ := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, stayU.ID, volunteer.Confirmed)
		coord := e.browser(coordU, i18n.AR)
		for _, s := range []string{gone, stay} {
			coord.post("/attendance/"+s+"/checkin", url.Values{"shift": {shiftID}}).redirect(t, "/shifts/"+shiftID+"/checkin")
		}
		if _, err := d.W.ExecContext(e.ctx, `UPDATE signups SET status = 'withdrawn' WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(start.Add(time.Hour))
		coord.post("/attendance/"+gone+"/checkout", url.Values{"shift": {shiftID}}).redirect(t, "/shifts/"+shiftID+"/checkin")
		coord.get("/shifts/"+shiftID+"/checkin").expect(t, 200, i18n.AR, "volunteer.checkin.flash.manual_out_not_confirmed")
		if n := e.one(`SELECT COUNT(*) FROM hours WHERE signup_id = $1`, gone); n != "0" {
			t.Fatalf("withdrawn sign-up has %s hours rows", n)
		}

		coord.post("/attendance/"+stay+"/checkout", url.Values{"shift": {shiftID}}).redirect(t, "/shifts/"+shiftID+"/checkin")
		coord.get("/shifts/"+shiftID+"/checkin").expect(t, 200, i18n.AR, "volunteer.checkin.flash.manual_out")
		hoursID := e.one(`SELECT id FROM hours WHERE signup_id = $1`, stay)
		coord.post("/hours/"+hoursID+"/approve", url.Values{}).redirect(t, "/")
		coord.get("/attendance/"+stay+"/correct").expect(t, 200, i18n.AR, "volunteer.attendance.correct.hours_reopen")
	})
}
