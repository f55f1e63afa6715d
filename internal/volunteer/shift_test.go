package volunteer_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// oppShiftValidation: every rule of the shift form refuses bad input with
// its own message; a good shift gets its roles and a readable check-in code.
func oppShiftValidation(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	member := e.user("منى", "mona@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	e.join(o, member, org.RoleMember)
	v := owner.Viewer()
	opp := e.opportunity(v, o, oppInput(volunteer.OppPublished))
	for _, tc := range []struct {
		name, field, msg string
		change           func(in *volunteer.ShiftInput)
	}{
		{"date required", "date", "error.required", func(in *volunteer.ShiftInput) { in.Date = "" }},
		{"date malformed", "date", "volunteer.shift.error.date", func(in *volunteer.ShiftInput) { in.Date = "2026-02-30" }},
		{"start required", "start", "error.required", func(in *volunteer.ShiftInput) { in.Start = "" }},
		{"start malformed", "start", "volunteer.shift.error.time", func(in *volunteer.ShiftInput) { in.Start = "25:00" }},
		{"end malformed", "end", "volunteer.shift.error.time", func(in *volunteer.ShiftInput) { in.End = "7pm" }},
		{"end before start", "end", "volunteer.shift.error.end_before_start", func(in *volunteer.ShiftInput) { in.Start, in.End = "18:00", "17:00" }},
		{"end equal to start", "end", "volunteer.shift.error.end_before_start", func(in *volunteer.ShiftInput) { in.Start, in.End = "18:00", "18:00" }},
		{"in the past", "date", "volunteer.shift.error.past", func(in *volunteer.ShiftInput) { in.Date = e.day(-1) }},
		{"too far ahead", "date", "volunteer.shift.error.too_far", func(in *volunteer.ShiftInput) { in.Date = e.day(800) }},
		{"no roles", "roles", "volunteer.shift.error.no_roles", func(in *volunteer.ShiftInput) { in.Roles = []volunteer.RoleInput{{}, {}} }},
		{"too many roles", "roles", "volunteer.shift.error.too_many_roles", func(in *volunteer.ShiftInput) {
			for len(in.Roles) < 6 {
				in.Roles = append(in.Roles, volunteer.RoleInput{NameAr: "مساعد", Slots: 1})
			}
		}},
		{"role name missing", "roles.1.name_ar", "error.required", func(in *volunteer.ShiftInput) { in.Roles[1].NameAr = "" }},
		{"role name too long", "roles.0.name_ar", "volunteer.shift.error.role_name_long", func(in *volunteer.ShiftInput) { in.Roles[0].NameAr = strings.Repeat("د", 81) }},
		{"no places", "roles.0.slots", "volunteer.shift.error.slots", func(in *volunteer.ShiftInput) { in.Roles[0].Slots = 0 }},
		{"too many places", "roles.0.slots", "volunteer.shift.error.slots", func(in *volunteer.ShiftInput) { in.Roles[0].Slots = 501 }},
		{"unknown role skill", "roles.1.skill_id", "volunteer.opportunity.error.skill_unknown", func(in *volunteer.ShiftInput) { in.Roles[1].SkillID = "flying" }},
		{"row kept after an empty row", "roles.2.slots", "volunteer.shift.error.slots", func(in *volunteer.ShiftInput) {
			in.Roles = []volunteer.RoleInput{in.Roles[0], {}, {NameAr: "استقبال"}}
		}},
		{"team size negative", "team_size", "volunteer.shift.error.team_size", func(in *volunteer.ShiftInput) { in.TeamSize = -1 }},
		{"team larger than the shift", "team_size", "volunteer.shift.error.team_larger", func(in *volunteer.ShiftInput) { in.TeamSize = 9 }},
		{"sign-up never opens", "signup_opens_days", "volunteer.shift.error.opens_days", func(in *volunteer.ShiftInput) { in.SignupOpensDays = 0 }},
		{"closes before it opens", "signup_closes_hours", "volunteer.shift.error.window", func(in *volunteer.ShiftInput) { in.SignupOpensDays, in.SignupClosesHours = 1, 24 }},
		{"closing hours negative", "signup_closes_hours", "volunteer.shift.error.hours", func(in *volunteer.ShiftInput) { in.SignupClosesHours = -2 }},
		{"cut-off too far", "cancel_cutoff_hours", "volunteer.shift.error.hours", func(in *volunteer.ShiftInput) { in.CancelCutoffHours = 721 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := e.shiftInput(5)
			tc.change(&in)
			_, err := e.a.Volunteer.CreateShift(e.ctx, v, opp.ID, in)
			if got := oppFields(t, err)[tc.field]; got != tc.msg {
				t.Errorf("field %s: %q, want %q (all: %v)", tc.field, got, tc.msg, oppFields(t, err))
			}
		})
	}
	if n := e.count(`SELECT COUNT(*) FROM shifts WHERE opportunity_id = $1`, opp.ID); n != 0 {
		t.Fatalf("%d shifts written by refused input", n)
	}

	if _, err := e.a.Volunteer.CreateShift(e.ctx, member.Viewer(), opp.ID, e.shiftInput(5)); !errors.Is(err, httpx.ErrForbidden) {
		t.Errorf("member adds a shift: %v", err)
	}
	// Arabic-Indic digits are read as well as Latin ones; empty role rows are skipped.
	in := e.shiftInput(5)
	in.Date = i18n.New(i18n.AR, i18n.ArabicIndic, nil).Digitize(in.Date)
	in.Start = "٠٩:٠٠"
	in.End = "١٢:٣٠"
	in.Roles = append([]volunteer.RoleInput{{}}, in.Roles...)
	sh, err := e.a.Volunteer.CreateShift(e.ctx, v, opp.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	local := sh.StartsAt.In(e.riyadh)
	if local.Format("2006-01-02 15:04") != e.day(5)+" 09:00" || sh.Minutes() != 210 {
		t.Errorf("shift at %s for %d minutes", local, sh.Minutes())
	}
	if len(sh.Roles) != 2 || sh.Roles[0].Slots+sh.Roles[1].Slots != 8 {
		t.Errorf("roles: %+v", sh.Roles)
	}
	codes := map[string]bool{}
	for i := 0; i < 12; i++ {
		s, err := e.a.Volunteer.CreateShift(e.ctx, v, opp.ID, e.shiftInput(6+i))
		if err != nil {
			t.Fatal(err)
		}
		codes[s.CheckinCode] = true
	}
	codes[sh.CheckinCode] = true
	if len(codes) != 13 {
		t.Errorf("check-in codes repeat: %v", codes)
	}
	for c := range codes {
		if len(c) != 6 || strings.ContainsAny(c, "01OIL") || strings.ToUpper(c) != c {
			t.Errorf("check-in code %q is not 6 unambiguous capitals and digits", c)
		}
	}
	// The code is the coordinators' only.
	got, err := e.a.Volunteer.Shift(e.ctx, member.Viewer(), sh.ID)
	if err != nil || got.CheckinCode != "" {
		t.Errorf("member sees code %q (%v)", got.CheckinCode, err)
	}
	if got, _ := e.a.Volunteer.Shift(e.ctx, v, sh.ID); got.CheckinCode != sh.CheckinCode {
		t.Errorf("coordinator sees code %q, want %q", got.CheckinCode, sh.CheckinCode)
	}
	// An archived opportunity takes no shifts.
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, v, opp.ID, oppInput(volunteer.OppArchived)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.Volunteer.CreateShift(e.ctx, v, opp.ID, e.shiftInput(5)); !errors.Is(err, volunteer.ErrOppArchived) {
		t.Errorf("shift on an archived opportunity: %v", err)
	}
}

// oppCancelShiftNotifies: cancelling keeps the sign-ups, tells each person
// with a live sign-up in their own language, is audited, and happens once.
func oppCancelShiftNotifies(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	member := e.user("منى", "mona@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	e.join(o, member, org.RoleMember)
	opp := e.opportunity(owner.Viewer(), o, oppInput(volunteer.OppPublished))
	sh, err := e.a.Volunteer.CreateShift(e.ctx, owner.Viewer(), opp.ID, e.shiftInput(3))
	if err != nil {
		t.Fatal(err)
	}
	arabic := e.user("فاطمة", "fatima@example.org", i18n.AR)
	english := e.user("John", "john@example.org", i18n.EN)
	waiting := e.user("يوسف", "yusuf@example.org", i18n.AR)
	gone := e.user("ليلى", "layla@example.org", i18n.AR)
	e.signup(sh, sh.Roles[0].ID, arabic, "confirmed", 1)
	e.signup(sh, sh.Roles[0].ID, english, "confirmed", 2)
	e.signup(sh, sh.Roles[1].ID, waiting, "waitlisted", 1)
	e.signup(sh, sh.Roles[0].ID, gone, "withdrawn", 1)
	before := len(e.mails())

	if err := e.a.Volunteer.CancelShift(e.ctx, member.Viewer(), sh.ID, ""); !errors.Is(err, httpx.ErrForbidden) {
		t.Fatalf("member cancels: %v", err)
	}
	err = e.a.Volunteer.CancelShift(e.ctx, owner.Viewer(), sh.ID, strings.Repeat("س", volunteer.MaxCancelReason+1))
	if oppFields(t, err)["reason"] != "volunteer.shift.error.reason_long" {
		t.Fatalf("long reason: %v", err)
	}
	if err := e.a.Volunteer.CancelShift(e.ctx, owner.Viewer(), sh.ID, "الأمطار الغزيرة"); err != nil {
		t.Fatal(err)
	}
	got, err := e.a.Volunteer.Shift(e.ctx, nil, sh.ID)
	if err != nil || got.Status != "cancelled" {
		t.Fatalf("after cancel: %+v %v", got, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status IN ('confirmed', 'waitlisted', 'withdrawn')`, sh.ID); n != 4 {
		t.Errorf("sign-ups changed: %d kept", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.shift.cancel' AND target_id = $1`, sh.ID); n != 1 {
		t.Errorf("audit entries: %d", n)
	}
	mails := e.mails()[before:]
	byTo := map[string]queuedMail{}
	for _, m := range mails {
		byTo[m.To] = m
	}
	if len(mails) != 3 || byTo["layla@example.org"].To != "" {
		t.Fatalf("mails to %v, want the three live sign-ups", byTo)
	}
	ar, en := byTo["fatima@example.org"], byTo["john@example.org"]
	if ar.Subject != oppT(i18n.AR, "volunteer.shift.cancel_mail.subject", "Title", opp.TitleAr) ||
		!strings.Contains(ar.Text, "الأمطار الغزيرة") || !strings.Contains(ar.Text, "جمعية البر") || !strings.Contains(ar.Text, "https://sharaka.test/opportunities/"+opp.ID) {
		t.Errorf("Arabic mail: %+v", ar)
	}
	loc := i18n.New(i18n.EN, i18n.Latin, nil)
	if en.Subject != "Shift cancelled: Food basket packing" || !strings.Contains(en.Text, "Al-Birr Society has cancelled") ||
		!strings.Contains(en.Text, loc.DateTime(sh.StartsAt)) || !strings.Contains(en.Text, "Hello John,") {
		t.Errorf("English mail: %+v", en)
	}
	if byTo["yusuf@example.org"].Subject == "" {
		t.Error("the person on the waiting list was not told")
	}
	if err := e.a.Volunteer.CancelShift(e.ctx, owner.Viewer(), sh.ID, ""); !errors.Is(err, volunteer.ErrShiftCancelTwice) {
		t.Errorf("second cancel: %v", err)
	}
	if len(e.mails()) != before+3 {
		t.Error("a second cancel sent mail again")
	}
	// A shift that has started cannot be cancelled.
	now := time.Now()
	id := db.NewID()
	e.exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, checkin_code, status, created_at) VALUES ($1, $2, $3, $4, 'TSTPST', 'scheduled', $5)`,
		id, opp.ID, now.Add(-time.Hour).UTC(), now.Add(time.Hour).UTC(), db.Now())
	if err := e.a.Volunteer.CancelShift(e.ctx, owner.Viewer(), id, ""); !errors.Is(err, volunteer.ErrShiftCancelPast) {
		t.Errorf("cancel a running shift: %v", err)
	}
}

// TestShifts: one-off shifts and their cancellation.
func TestShifts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := oppSetup(t, d)
		t.Run("validation", func(t *testing.T) { oppShiftValidation(t, e) })
		t.Run("cancel notifies", func(t *testing.T) { oppCancelShiftNotifies(t, e) })
	})
}
