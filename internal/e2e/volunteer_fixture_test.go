package e2e

import (
	"context"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/org"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// The volunteering tests set their organisation up through the services, as
// the demo loader does: what they drive in the browser is the volunteer's
// and the coordinator's side.

const (
	coordName     = "خالد العتيبي"
	coordEmail    = "khalid@example.org"
	coordPassword = "كلمة سر المنسّق 2026"
	orgNameAr     = "جمعية إطعام المدينة"
	orgNameEn     = "Itaam Madinah Association"
	oppTitleAr    = "تعبئة وجبات الإفطار وتوزيعها"
	oppTitleEn    = "Packing and serving iftar meals"
	roleNameAr    = "تعبئة الوجبات"
	roleNameEn    = "Meal packing"
	roleSlots     = 3
)

// volunteering is an organisation ready to take volunteers: a platform admin,
// a verified charity whose owner coordinates it, and a published opportunity
// with one shift that starts within check-in's reach.
type volunteering struct {
	admin, coord *account.User
	org          *org.Org
	opp          *volunteer.Opportunity
	shift        *volunteer.Shift
	role         volunteer.Role
}

// riyadh is the platform's zone, where shifts are defined and times shown.
var riyadh = func() *time.Location {
	if z, err := time.LoadLocation("Asia/Riyadh"); err == nil {
		return z
	}
	return time.FixedZone("AST", 3*3600)
}()

// shiftTimes places a shift about ten minutes after now, so that sign-up is
// still open and check-in already is (it opens 30 minutes before the start),
// lasting two hours. A shift lies within one day, so late in the evening it
// ends at 23:59, and in the last quarter of an hour it starts at midnight.
func shiftTimes(now time.Time) (start, end time.Time) {
	start = now.In(riyadh).Add(10 * time.Minute).Truncate(time.Minute).Add(time.Minute)
	midnight := time.Date(start.Year(), start.Month(), start.Day()+1, 0, 0, 0, 0, riyadh)
	end = start.Add(2 * time.Hour)
	if last := midnight.Add(-time.Minute); end.After(last) {
		end = last
	}
	if end.Sub(start) < 5*time.Minute {
		start, end = midnight, midnight.Add(2*time.Hour)
	}
	return start, end
}

func setUpVolunteering(t *testing.T, a *app.App) *volunteering {
	t.Helper()
	ctx := context.Background()
	fx := &volunteering{}
	var err error
	if fx.admin, err = a.Account.CreateAdmin(ctx, account.SignUp{Email: "admin@example.org", Name: "مديرة المنصة", Password: "كلمة سر المديرة 2026", Locale: i18n.AR}); err != nil {
		t.Fatalf("create the platform admin: %v", err)
	}
	if fx.coord, err = a.Account.Register(ctx, account.SignUp{Email: coordEmail, Name: coordName, Password: coordPassword, Locale: i18n.AR}); err != nil {
		t.Fatalf("register the coordinator: %v", err)
	}
	if fx.org, err = a.Org.CreateOrg(ctx, fx.coord.Viewer(), org.Input{NameAr: orgNameAr, NameEn: orgNameEn, Type: org.Charity,
		Description: "تعدّ وجبات الإفطار للأسر المحتاجة وتوزعها."}); err != nil {
		t.Fatalf("create the charity: %v", err)
	}
	if err := a.Org.Verify(ctx, fx.admin.Viewer(), fx.org.ID); err != nil {
		t.Fatalf("verify the charity: %v", err)
	}
	if fx.opp, err = a.Volunteer.CreateOpportunity(ctx, fx.coord.Viewer(), fx.org.ID, volunteer.OpportunityInput{
		TitleAr: oppTitleAr, TitleEn: oppTitleEn, Category: "food",
		DescriptionAr: "نعبّئ وجبات الإفطار في مطبخ الجمعية ونسلّمها للأسر قبل المغرب.",
		DescriptionEn: "We pack iftar meals in the association's kitchen and hand them to families before sunset.",
		GenderRule:    volunteer.AnyGender, Approval: volunteer.AutoApproval, Status: volunteer.OppPublished,
	}); err != nil {
		t.Fatalf("create the opportunity: %v", err)
	}
	start, end := shiftTimes(time.Now())
	if fx.shift, err = a.Volunteer.CreateShift(ctx, fx.coord.Viewer(), fx.opp.ID, volunteer.ShiftInput{
		Date: start.Format(time.DateOnly), Start: start.Format("15:04"), End: end.Format("15:04"),
		ShiftPlan: volunteer.ShiftPlan{Roles: []volunteer.RoleInput{{NameAr: roleNameAr, NameEn: roleNameEn, Slots: roleSlots}},
			SignupOpensDays: 7, SignupClosesHours: 0, CancelCutoffHours: 0},
	}); err != nil {
		t.Fatalf("create the shift %s–%s: %v", start.Format(time.DateTime), end.Format("15:04"), err)
	}
	if len(fx.shift.Roles) != 1 {
		t.Fatalf("the shift has %d roles, want 1", len(fx.shift.Roles))
	}
	fx.role = fx.shift.Roles[0]
	return fx
}

// certifiedVolunteer gives the charity a volunteer with a profile, a place
// on the shift and a certificate for 90 minutes of approved hours reported
// today, and returns the certificate's code.
func (fx *volunteering) certifiedVolunteer(t *testing.T, a *app.App) (name, code string) {
	t.Helper()
	ctx := context.Background()
	name = "ليلى الحربي"
	u, err := a.Account.Register(ctx, account.SignUp{Email: "laila@example.org", Name: name, Password: "كلمة سر ليلى 2026", Locale: i18n.AR})
	if err != nil {
		t.Fatalf("register the volunteer: %v", err)
	}
	v := u.Viewer()
	if _, err := a.Volunteer.SaveProfile(ctx, v, volunteer.ProfileInput{CharterAccepted: true, Languages: []string{"ar"}, TravelRadiusKm: 10}); err != nil {
		t.Fatalf("create the volunteer's profile: %v", err)
	}
	if _, d, err := a.Volunteer.SignUp(ctx, v, fx.shift.ID, volunteer.SignupInput{RoleID: fx.role.ID, PartySize: 1}); err != nil || d.Outcome != volunteer.SignedUp {
		t.Fatalf("sign the volunteer up: %v (outcome %q)", err, d.Outcome)
	}
	today := time.Now().In(riyadh).Format(time.DateOnly)
	h, err := a.Volunteer.SubmitHours(ctx, v, volunteer.HoursInput{OrgID: fx.org.ID, WorkedOn: today, Minutes: 90, Category: "food", Description: "تعبئة وجبات"})
	if err != nil {
		t.Fatalf("report the volunteer's hours: %v", err)
	}
	if _, err := a.Volunteer.ApproveHours(ctx, fx.coord.Viewer(), h.ID); err != nil {
		t.Fatalf("approve the volunteer's hours: %v", err)
	}
	c, err := a.Volunteer.IssueCertificate(ctx, fx.coord.Viewer(), fx.org.ID, volunteer.CertificateInput{UserID: u.ID, From: today, To: today})
	if err != nil {
		t.Fatalf("issue the volunteer's certificate: %v", err)
	}
	return name, c.Code
}

// TestShiftTimes checks the journey's shift at every minute of a day: it
// takes sign-ups for a while yet, check-in is open, and it lies within one day.
func TestShiftTimes(t *testing.T) {
	day := time.Date(2026, 3, 14, 0, 0, 0, 0, riyadh)
	for now := day; now.Before(day.AddDate(0, 0, 1)); now = now.Add(time.Minute + 7*time.Second) {
		start, end := shiftTimes(now)
		if start.Sub(now) < 9*time.Minute || start.Add(-volunteer.CheckinOpensBefore).After(now) {
			t.Errorf("at %s the shift starts at %s: want sign-up open for 9 minutes and check-in open now", now.Format(time.TimeOnly), start.Format(time.DateTime))
		}
		if !end.After(start) || end.Format(time.DateOnly) != start.Format(time.DateOnly) {
			t.Errorf("at %s the shift runs %s – %s: want it within one day", now.Format(time.TimeOnly), start.Format(time.DateTime), end.Format(time.DateTime))
		}
	}
}
