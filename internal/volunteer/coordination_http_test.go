package volunteer_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// coordStranger is the coordinator of another verified organisation.
func coordStranger(t *testing.T, e *suApp) *account.User {
	t.Helper()
	admin := e.user("مشرف آخر", "ar", true)
	u := e.user("منسق جمعية أخرى", "en", false)
	o, err := e.a.Org.CreateOrg(e.ctx, u.Viewer(), org.Input{NameAr: "جمعية الأمل", NameEn: "Al-Amal Society", Type: org.Charity})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.a.Org.Verify(e.ctx, admin.Viewer(), o.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// coordRefused checks that another organisation's coordinator is turned away.
func coordRefused(t *testing.T, b *suBrowser, method, path string, body any) {
	t.Helper()
	var r *http.Response
	if method == "GET" {
		r = b.get(path).Response
	} else {
		r = b.json(method, path, body, nil)
	}
	if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("%s %s by another organisation's coordinator: %d, want 403 or 404", method, path, r.StatusCode)
	}
}

func TestCoordinationAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := suAppSetup(t, d)
		coord := e.browser(e.coord, i18n.EN)
		stranger := e.browser(coordStranger(t, e), i18n.EN)
		sara, huda := e.volunteer("سارة", "female"), e.volunteer("هدى", "female")
		sh := e.shift("زيارة المسنين", "Elderly visits", "any", time.Now().Add(72*time.Hour), 2, 0)
		e.exec(`UPDATE opportunities SET approval = 'review' WHERE id = $1`, sh.Opp)

		// Approve and decline pending sign-ups.
		var gs [2]volunteer.SignupResult
		for i, u := range []*account.User{sara, huda} {
			if r := e.browser(u, i18n.AR).json("POST", "/api/v1/shifts/"+sh.Shift+"/signups", map[string]any{"role_id": sh.Role}, &gs[i]); r.StatusCode != 201 ||
				gs[i].Signup.Status != volunteer.Pending {
				t.Fatalf("sign-up %d: %d %+v", i, r.StatusCode, gs[i])
			}
		}
		sara1, huda1 := gs[0].Signup.ID, gs[1].Signup.ID
		coordRefused(t, stranger, "POST", "/api/v1/signups/"+sara1+"/approve", nil)
		coordRefused(t, stranger, "POST", "/api/v1/signups/"+huda1+"/decline", nil)
		var g volunteer.Signup
		if r := coord.json("POST", "/api/v1/signups/"+sara1+"/approve", nil, &g); r.StatusCode != 200 || g.Status != volunteer.Confirmed {
			t.Fatalf("approve: %d %+v", r.StatusCode, g)
		}
		if r := coord.json("POST", "/api/v1/signups/"+huda1+"/decline", nil, &g); r.StatusCode != 200 || g.Status != volunteer.Declined {
			t.Fatalf("decline: %d %+v", r.StatusCode, g)
		}
		var problem httpx.Problem
		if r := coord.json("POST", "/api/v1/signups/"+huda1+"/approve", nil, &problem); r.StatusCode != http.StatusConflict {
			t.Errorf("approving a declined sign-up: %d %+v", r.StatusCode, problem)
		}

		// No-shows: refused before the start, recorded and cleared after it.
		if r := coord.json("POST", "/api/v1/signups/"+sara1+"/no-show", map[string]any{"comment": "x"}, nil); r.StatusCode != http.StatusConflict {
			t.Errorf("no-show before the start: %d", r.StatusCode)
		}
		past := e.shift("تنظيف الحي", "Clean-up", "any", time.Now().Add(-30*time.Minute), 3, 0)
		absent := db.NewID()
		e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at) VALUES ($1, $2, $3, $4, 'confirmed', 1, $5, $5)`,
			absent, past.Shift, past.Role, huda.ID, db.Now())
		coordRefused(t, stranger, "POST", "/api/v1/signups/"+absent+"/no-show", map[string]any{"comment": "لم تحضر"})
		if r := coord.json("POST", "/api/v1/signups/"+absent+"/no-show", map[string]any{"comment": ""}, &problem); r.StatusCode != 422 || problem.Errors["comment"] == "" {
			t.Errorf("no-show without a comment: %d %+v", r.StatusCode, problem)
		}
		var ns volunteer.NoShowResult
		if r := coord.json("POST", "/api/v1/signups/"+absent+"/no-show", map[string]any{"comment": " لم تحضر ولم تعتذر "}, &ns); r.StatusCode != 200 ||
			!ns.NoShow || ns.Comment != "لم تحضر ولم تعتذر" {
			t.Fatalf("no-show: %d %+v", r.StatusCode, ns)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE id = $1 AND no_show AND no_show_comment = 'لم تحضر ولم تعتذر'`, absent); n != 1 {
			t.Errorf("no-show not stored")
		}
		if r := coord.json("POST", "/api/v1/signups/"+absent+"/no-show", map[string]any{"clear": true}, &ns); r.StatusCode != 200 || ns.NoShow {
			t.Fatalf("clear no-show: %d %+v", r.StatusCode, ns)
		}
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE id = $1 AND no_show`, absent); n != 0 {
			t.Errorf("no-show not cleared")
		}

		// Vetting and its revocation.
		vettings := "/api/v1/organisations/" + e.orgID + "/vettings"
		coordRefused(t, stranger, "POST", vettings, map[string]any{"user_id": sara.ID})
		var vr volunteer.VettingResult
		if r := coord.json("POST", vettings, map[string]any{"user_id": sara.ID}, &vr); r.StatusCode != 200 || !vr.Vetted || !vr.Changed {
			t.Fatalf("vet: %d %+v", r.StatusCode, vr)
		}
		if r := coord.json("POST", vettings, map[string]any{"user_id": sara.ID}, &vr); r.StatusCode != 200 || vr.Changed {
			t.Errorf("vet again: %d %+v", r.StatusCode, vr)
		}
		if r := coord.json("POST", vettings, map[string]any{"user_id": ""}, &problem); r.StatusCode != 422 || problem.Errors["user_id"] == "" {
			t.Errorf("vet nobody: %d %+v", r.StatusCode, problem)
		}
		revoke := vettings + "/" + sara.ID + "/revoke"
		coordRefused(t, stranger, "POST", revoke, nil)
		if n := e.count(`SELECT COUNT(*) FROM vettings WHERE org_id = $1 AND user_id = $2`, e.orgID, sara.ID); n != 1 {
			t.Fatalf("a refused revocation removed the vetting")
		}
		if r := coord.json("POST", revoke, nil, &vr); r.StatusCode != 200 || vr.Vetted {
			t.Fatalf("revoke: %d %+v", r.StatusCode, vr)
		}
		if n := e.count(`SELECT COUNT(*) FROM vettings WHERE org_id = $1 AND user_id = $2`, e.orgID, sara.ID); n != 0 {
			t.Errorf("vetting still there after revocation")
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.vet_revoke' AND target_id = $1`, sara.ID); n != 1 {
			t.Errorf("revocations audited: %d", n)
		}
		if r := coord.json("POST", revoke, nil, &problem); r.StatusCode != http.StatusConflict || problem.Title != "This volunteer is not vetted by your organisation." {
			t.Errorf("revoke twice: %d %+v", r.StatusCode, problem)
		}

		// Skill verification.
		e.exec(`INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, 'first_aid'), ($1, 'nursing')`, sara.ID)
		verify := "/api/v1/organisations/" + e.orgID + "/volunteers/" + sara.ID + "/skills/first_aid/verify"
		coordRefused(t, stranger, "POST", verify, nil)
		var sv volunteer.SkillVerification
		if r := coord.json("POST", verify, nil, &sv); r.StatusCode != 200 || !sv.Verified {
			t.Fatalf("verify skill: %d %+v", r.StatusCode, sv)
		}
		if n := e.count(`SELECT COUNT(*) FROM volunteer_skills WHERE user_id = $1 AND skill_id = 'first_aid' AND verified_by = $2`, sara.ID, e.orgID); n != 1 {
			t.Errorf("skill not verified by the organisation")
		}
		if r := coord.json("POST", strings.Replace(verify, "first_aid", "driving", 1), nil, nil); r.StatusCode != http.StatusConflict {
			t.Errorf("verify an unlisted skill: %d", r.StatusCode)
		}

		// Message the roster: Sara is the one confirmed.
		msg := map[string]any{"subject": "تذكير بالموعد", "text": "نلتقي عند الباب الرئيسي."}
		coordRefused(t, stranger, "POST", "/api/v1/shifts/"+sh.Shift+"/message", msg)
		var sent volunteer.RosterMessageResult
		if r := coord.json("POST", "/api/v1/shifts/"+sh.Shift+"/message", msg, &sent); r.StatusCode != 200 || sent.Sent != 1 {
			t.Fatalf("message: %d %+v", r.StatusCode, sent)
		}
		if r := coord.json("POST", "/api/v1/shifts/"+sh.Shift+"/message", map[string]any{"subject": "", "text": ""}, &problem); r.StatusCode != 422 ||
			problem.Errors["subject"] == "" || problem.Errors["text"] == "" {
			t.Errorf("empty message: %d %+v", r.StatusCode, problem)
		}

		// Update the opportunity.
		in := volunteer.OpportunityInput{TitleAr: "زيارة كبار السن", TitleEn: "Visiting the elderly", DescriptionAr: "نزور دار المسنين.", Category: "elderly",
			Status: "published", Approval: volunteer.ReviewApproval, GenderRule: volunteer.GenderRule("any")}
		coordRefused(t, stranger, "PUT", "/api/v1/opportunities/"+sh.Opp, in)
		var opp volunteer.Opportunity
		if r := coord.json("PUT", "/api/v1/opportunities/"+sh.Opp, in, &opp); r.StatusCode != 200 || opp.TitleEn != "Visiting the elderly" || opp.Category != "elderly" {
			t.Fatalf("update opportunity: %d %+v", r.StatusCode, opp)
		}
		in.TitleAr = ""
		if r := coord.json("PUT", "/api/v1/opportunities/"+sh.Opp, in, &problem); r.StatusCode != 422 || problem.Errors["title_ar"] == "" {
			t.Errorf("update without an Arabic title: %d %+v", r.StatusCode, problem)
		}

		// Settings.
		settings := "/api/v1/organisations/" + e.orgID + "/volunteering/settings"
		coordRefused(t, stranger, "GET", settings, nil)
		coordRefused(t, stranger, "PUT", settings, volunteer.OrgSettingsInput{HoursApproval: volunteer.AutoApproval, NoShowWindowDays: 30})
		var st volunteer.OrgSettingsInput
		if r := coord.json("GET", settings, nil, &st); r.StatusCode != 200 || st.HoursApproval == "" {
			t.Fatalf("get settings: %d %+v", r.StatusCode, st)
		}
		want := volunteer.OrgSettingsInput{HoursApproval: volunteer.AutoApproval, NoShowLimit: 3, NoShowWindowDays: 90, CheckinGraceMinutes: 45}
		if r := coord.json("PUT", settings, want, &st); r.StatusCode != 200 || st != want {
			t.Fatalf("save settings: %d %+v", r.StatusCode, st)
		}
		if r := coord.json("GET", settings, nil, &st); r.StatusCode != 200 || st != want {
			t.Errorf("settings read back: %+v", st)
		}
		if r := coord.json("PUT", settings, volunteer.OrgSettingsInput{HoursApproval: "sometimes", NoShowWindowDays: 90}, &problem); r.StatusCode != 422 ||
			problem.Errors["hours_approval"] == "" {
			t.Errorf("bad settings: %d %+v", r.StatusCode, problem)
		}

		// Exports.
		rosterCSV := "/api/v1/shifts/" + sh.Shift + "/roster/export?format=csv"
		coordRefused(t, stranger, "GET", rosterCSV, nil)
		r := coord.get(rosterCSV)
		r.expect(t, 200, "سارة")
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("roster CSV: %s %s", ct, r.Header.Get("Content-Disposition"))
		}
		r = coord.get("/api/v1/shifts/" + sh.Shift + "/roster/export?format=xlsx")
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(r.body, "PK") {
			t.Errorf("roster XLSX: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
		if r := coord.get("/api/v1/shifts/" + sh.Shift + "/roster/export?format=pdf"); r.StatusCode != 400 {
			t.Errorf("roster as PDF: %d", r.StatusCode)
		}
		e.exec(`INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, created_at)
			VALUES ($1, $2, $3, 'elderly', 90, '2026-03-10', 'زيارة منزلية', 'self', 'approved', $4)`, db.NewID(), huda.ID, e.orgID, db.Now())
		hours := "/api/v1/organisations/" + e.orgID + "/hours/export?format=csv&from=2026-03-01&to=2026-03-31&status=approved"
		coordRefused(t, stranger, "GET", hours, nil)
		coord.get(hours).expect(t, 200, "هدى", "2026-03-10")
		if r := coord.get("/api/v1/organisations/" + e.orgID + "/hours/export?format=csv&from=2026-04-01&to=2026-03-01"); r.StatusCode != 422 {
			t.Errorf("hours export with from after to: %d", r.StatusCode)
		}
		if r := coord.get("/api/v1/organisations/" + e.orgID + "/hours/export?format=csv&from=2026-04-01"); r.StatusCode != 200 || strings.Contains(r.body, "هدى") {
			t.Errorf("hours export after the hours: %d %s", r.StatusCode, r.body)
		}

		// Cancel the shift.
		coordRefused(t, stranger, "POST", "/api/v1/shifts/"+sh.Shift+"/cancel", map[string]any{"reason": "مطر"})
		var sd volunteer.ShiftDetail
		if r := coord.json("POST", "/api/v1/shifts/"+sh.Shift+"/cancel", map[string]any{"reason": "أمطار غزيرة"}, &sd); r.StatusCode != 200 || sd.Status != "cancelled" {
			t.Fatalf("cancel: %d %+v", r.StatusCode, sd.Shift)
		}
		if r := coord.json("POST", "/api/v1/shifts/"+sh.Shift+"/cancel", nil, nil); r.StatusCode != http.StatusConflict {
			t.Errorf("cancel twice: %d", r.StatusCode)
		}

		// Signed out: 401.
		if r := e.browser(nil, i18n.EN).json("POST", "/api/v1/signups/"+sara1+"/approve", nil, nil); r.StatusCode != 401 {
			t.Errorf("signed out: %d", r.StatusCode)
		}
	})
}

// The roster page offers revoking a vetting and verifying skills.
func TestCoordinationRosterPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := suAppSetup(t, d)
		coord := e.browser(e.coord, i18n.EN)
		sara := e.volunteer("سارة", "female")
		sh := e.shift("زيارة المسنين", "Elderly visits", "any", time.Now().Add(72*time.Hour), 2, 0)
		e.exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at) VALUES ($1, $2, $3, $4, 'confirmed', 1, $5, $5)`,
			db.NewID(), sh.Shift, sh.Role, sara.ID, db.Now())
		e.exec(`INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, 'first_aid')`, sara.ID)
		e.exec(`INSERT INTO vettings (org_id, user_id, vetted_by, vetted_at) VALUES ($1, $2, $3, $4)`, e.orgID, sara.ID, e.coord.ID, db.Now())
		roster := "/shifts/" + sh.Shift + "/roster"
		verify := "/organisations/" + e.orgID + "/volunteers/" + sara.ID + "/skills/first_aid/verify"
		revoke := "/organisations/" + e.orgID + "/vettings/" + sara.ID + "/revoke"
		coord.get(roster).expect(t, 200, "First aid", `action="`+verify+`"`, `action="`+revoke+`"`, "Revoke vetting")

		// Another organisation's coordinator can do neither.
		stranger := e.browser(coordStranger(t, e), i18n.EN)
		if r := stranger.post(verify, url.Values{"next": {roster}}); r.StatusCode != 403 {
			t.Errorf("stranger verifies: %d", r.StatusCode)
		}
		if r := stranger.post(revoke, url.Values{"next": {roster}}); r.StatusCode != 403 {
			t.Errorf("stranger revokes: %d", r.StatusCode)
		}

		r := coord.post(verify, url.Values{"next": {roster}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != roster {
			t.Fatalf("verify: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		page := coord.get(roster)
		page.expect(t, 200, "Skill verified; your organisation now vouches for it.", "Verified")
		if strings.Contains(page.body, `action="`+verify+`"`) {
			t.Errorf("verified skill still offers verification")
		}
		if r := coord.post(revoke, url.Values{"next": {roster}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != roster {
			t.Fatalf("revoke: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		page = coord.get(roster)
		page.expect(t, 200, "The volunteer is no longer vetted by your organisation.", "Mark as vetted")
		if strings.Contains(page.body, `action="`+revoke+`"`) {
			t.Errorf("revoke still offered after revocation")
		}
		// In Arabic.
		e.browser(e.coord, i18n.AR).get(roster).expect(t, 200, "إسعافات أولية", "المهارات")
	})
}
