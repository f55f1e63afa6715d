package volunteer_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

func TestSignupJourneyThroughThePages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := suAppSetup(t, d)
		soon := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)
		open := e.shift("تعبئة السلال", "Food baskets", "any", soon, 3, 24)
		women := e.shift("رعاية الأمهات", "Mothers' care", "women", soon.Add(24*time.Hour), 3, 0)
		omar := e.volunteer("عمر الفاروق", "male")
		reason := func(lang i18n.Lang) string {
			return e.a.Volunteer.OutcomeMessage(e.ctx, i18n.New(lang, i18n.Latin, nil), volunteer.Decision{Outcome: volunteer.RefusedGender})
		}

		// Anonymous visitors see everything.
		e.browser(nil, i18n.AR).get("/opportunities").expect(t, http.StatusOK, "تعبئة السلال", "رعاية الأمهات", `href="/opportunities/`+open.Opp+`"`)

		// A volunteer sees by default only what they may join, and on request everything with the reason.
		b := e.browser(omar, i18n.AR)
		r := b.get("/opportunities")
		r.expect(t, http.StatusOK, "تعبئة السلال", "اعرض كل المناوبات")
		if strings.Contains(r.body, "رعاية الأمهات") {
			t.Error("the women-only shift is listed for a man by default")
		}
		b.get("/opportunities?all=1").expect(t, http.StatusOK, "رعاية الأمهات", reason(i18n.AR))
		e.browser(omar, i18n.EN).get("/opportunities?all=1").expect(t, http.StatusOK, "Mothers' care", reason(i18n.EN))
		// A bad filter is told on the form and the list still shows.
		b.get("/opportunities?from=2026-13-45").expect(t, http.StatusOK, "اكتب التاريخ هكذا", "تعبئة السلال")

		// A refusal is explained and writes nothing.
		b.post("/shifts/"+women.Shift+"/signup", url.Values{"role_id": {women.Role}}).expect(t, http.StatusUnprocessableEntity, reason(i18n.AR))
		if n := e.count(`SELECT COUNT(*) FROM signups WHERE user_id = $1`, omar.ID); n != 0 {
			t.Fatalf("a refusal wrote %d sign-ups", n)
		}
		// Input errors come back on a form, in the person's language (party size in Arabic digits).
		b.post("/shifts/"+open.Shift+"/signup", url.Values{"role_id": {open.Role}, "party_size": {"٢"}, "members": {"أ\nب"}}).
			expect(t, http.StatusUnprocessableEntity, "عدد الأسماء أكبر من عدد مرافقيك")

		r = b.post("/shifts/"+open.Shift+"/signup", url.Values{"role_id": {open.Role}, "party_size": {"٢"}, "members": {"عبد الله\n"}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signups/") {
			t.Fatalf("sign up: %d %s %.300s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		mine := r.Header.Get("Location")
		b.get(mine).expect(t, http.StatusOK, "تم تسجيلك في المناوبة", "مسجّل", "عبد الله", "مشاركان اثنان", "تعبئة السلال")

		// The roster is the coordinators'.
		if r := b.get("/shifts/" + open.Shift + "/roster"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("volunteer on the roster: %d", r.StatusCode)
		}
		if r := e.browser(nil, i18n.AR).get("/shifts/" + open.Shift + "/roster"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("anonymous on the roster: %d", r.StatusCode)
		}
		c := e.browser(e.coord, i18n.AR)
		c.get("/shifts/"+open.Shift+"/roster").expect(t, http.StatusOK, "عمر الفاروق", "عبد الله", "لم يحضر بعد", "اعتمده متطوعًا موثوقًا")
		e.browser(e.coord, i18n.EN).get("/shifts/"+open.Shift+"/roster").expect(t, http.StatusOK, "Shift roster", "2 people", "Not checked in yet")
		c.post("/shifts/"+open.Shift+"/message", url.Values{"subject": {""}, "text": {""}}).expect(t, http.StatusUnprocessableEntity, `id="e-subject"`)
		if r := c.post("/shifts/"+open.Shift+"/message", url.Values{"subject": {"موعد التجمع"}, "text": {"نلتقي عند الباب"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("message: %d", r.StatusCode)
		}
		if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'send_email'`); n != 1 {
			t.Fatalf("roster message emails queued: %d, want 1", n)
		}
		r = c.post("/organisations/"+e.orgID+"/vettings", url.Values{"user_id": {omar.ID}, "next": {"/shifts/" + open.Shift + "/roster"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/shifts/"+open.Shift+"/roster" {
			t.Fatalf("vet: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		c.get("/shifts/"+open.Shift+"/roster").expect(t, http.StatusOK, "موثوق لدى الجهة")
		if r := b.post("/organisations/"+e.orgID+"/vettings", url.Values{"user_id": {omar.ID}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("a volunteer vetting: %d", r.StatusCode)
		}

		// Withdrawal before the cut-off; another person's sign-up is not found.
		other := e.volunteer("سعد", "male")
		if r := e.browser(other, i18n.AR).post(mine+"/withdraw", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("withdraw another's: %d", r.StatusCode)
		}
		if r := b.post(mine+"/withdraw", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: %d %.300s", r.StatusCode, r.body)
		}
		b.get(mine).expect(t, http.StatusOK, "انسحبت من المناوبة")
		if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'volunteer_promote_waitlist'`); n != 1 {
			t.Fatalf("promotion jobs: %d", n)
		}

		// After the cut-off: a clear refusal.
		late := e.shift("توزيع الإفطار", "Iftar", "any", time.Now().UTC().Add(10*time.Hour), 5, 24)
		r = b.post("/shifts/"+late.Shift+"/signup", url.Values{"role_id": {late.Role}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign up late: %d", r.StatusCode)
		}
		lateURL := r.Header.Get("Location")
		b.get(lateURL).expect(t, http.StatusOK, "فات موعد الانسحاب")
		b.post(lateURL+"/withdraw", nil).expect(t, http.StatusConflict, "فات موعد الانسحاب من هذه المناوبة")

		// Without a profile: sent to create one.
		nobody := e.user("بلا ملف", "ar", false)
		r = e.browser(nobody, i18n.AR).post("/shifts/"+open.Shift+"/signup", url.Values{"role_id": {open.Role}})
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/volunteer/profile") {
			t.Fatalf("no profile: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		e.browser(nobody, i18n.AR).get("/opportunities").expect(t, http.StatusOK, "أنشئ ملفك التطوعي", "تعبئة السلال", "رعاية الأمهات")
	})
}

func TestSignupAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := suAppSetup(t, d)
		soon := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)
		open := e.shift("تعبئة السلال", "Food baskets", "any", soon, 1, 0)
		women := e.shift("رعاية الأمهات", "Mothers' care", "women", soon.Add(time.Hour*24), 3, 0)
		omar := e.volunteer("عمر", "male")
		ali := e.volunteer("علي", "male")
		b := e.browser(omar, i18n.EN)

		type item struct {
			Shift struct {
				ID    string `json:"id"`
				Roles []struct {
					ID    string `json:"id"`
					Slots int    `json:"slots"`
				} `json:"roles"`
			} `json:"shift"`
			Opportunity struct {
				TitleEn string `json:"title_en"`
			} `json:"opportunity"`
			Eligible *bool `json:"eligible"`
			Reason   *struct {
				Outcome string `json:"outcome"`
				Message string `json:"message"`
			} `json:"reason"`
		}
		var list struct {
			Items []item `json:"items"`
			Next  string `json:"next"`
		}
		e.browser(nil, i18n.EN).json("GET", "/api/v1/opportunities", nil, &list)
		if len(list.Items) != 2 || list.Items[0].Eligible != nil || len(list.Items[0].Shift.Roles) != 1 {
			t.Fatalf("anonymous list: %+v", list)
		}
		b.json("GET", "/api/v1/opportunities", nil, &list)
		if len(list.Items) != 1 || list.Items[0].Shift.ID != open.Shift || list.Items[0].Eligible == nil || !*list.Items[0].Eligible {
			t.Fatalf("eligible only: %+v", list)
		}
		b.json("GET", "/api/v1/opportunities?eligible_only=false&category=food", nil, &list)
		if len(list.Items) != 2 || list.Items[1].Reason == nil || list.Items[1].Reason.Outcome != "gender_rule" || list.Items[1].Reason.Message == "" {
			t.Fatalf("everything: %+v", list)
		}
		if r := b.json("GET", "/api/v1/opportunities?eligible_only=maybe", nil, nil); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad eligible_only: %d", r.StatusCode)
		}

		var problem struct {
			Type    string `json:"type"`
			Status  int    `json:"status"`
			Detail  string `json:"detail"`
			Outcome string `json:"outcome"`
		}
		r := b.json("POST", "/api/v1/shifts/"+women.Shift+"/signups", map[string]any{"role_id": women.Role}, &problem)
		if r.StatusCode != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" ||
			problem.Outcome != "gender_rule" || problem.Detail == "" || problem.Status != 422 {
			t.Fatalf("refused: %d %+v", r.StatusCode, problem)
		}

		var res struct {
			Signup struct {
				ID        string `json:"id"`
				Status    string `json:"status"`
				PartySize int    `json:"party_size"`
			} `json:"signup"`
			Outcome string `json:"outcome"`
			Message string `json:"message"`
		}
		if r := b.json("POST", "/api/v1/shifts/"+open.Shift+"/signups", map[string]any{"role_id": open.Role}, &res); r.StatusCode != http.StatusCreated ||
			res.Outcome != "signed_up" || res.Signup.Status != "confirmed" || res.Message == "" {
			t.Fatalf("sign up: %d %+v", r.StatusCode, res)
		}
		var waiting struct {
			Signup struct {
				ID       string `json:"id"`
				Position int    `json:"waitlist_position"`
			} `json:"signup"`
			Outcome string `json:"outcome"`
		}
		if r := e.browser(ali, i18n.AR).json("POST", "/api/v1/shifts/"+open.Shift+"/signups", map[string]any{}, &waiting); r.StatusCode != http.StatusCreated ||
			waiting.Outcome != "waitlisted" || waiting.Signup.Position != 1 {
			t.Fatalf("waitlisted: %d %+v", r.StatusCode, waiting)
		}
		if r := e.browser(nil, i18n.EN).json("POST", "/api/v1/shifts/"+open.Shift+"/signups", map[string]any{}, nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("anonymous sign-up: %d", r.StatusCode)
		}

		if r := b.json("GET", "/api/v1/shifts/"+open.Shift+"/roster", nil, nil); r.StatusCode != http.StatusForbidden {
			t.Fatalf("volunteer roster: %d", r.StatusCode)
		}
		var roster struct {
			Roles []struct {
				Confirmed []struct {
					Name string `json:"name"`
				} `json:"confirmed"`
				Waitlisted []struct {
					Name     string `json:"name"`
					Position int    `json:"waitlist_position"`
				} `json:"waitlisted"`
			} `json:"roles"`
		}
		if r := e.browser(e.coord, i18n.EN).json("GET", "/api/v1/shifts/"+open.Shift+"/roster", nil, &roster); r.StatusCode != http.StatusOK ||
			len(roster.Roles) != 1 || len(roster.Roles[0].Confirmed) != 1 || roster.Roles[0].Confirmed[0].Name != "عمر" ||
			len(roster.Roles[0].Waitlisted) != 1 || roster.Roles[0].Waitlisted[0].Position != 1 {
			t.Fatalf("roster: %+v", roster)
		}

		if r := e.browser(ali, i18n.EN).json("POST", "/api/v1/signups/"+res.Signup.ID+"/withdraw", nil, nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("withdraw another's: %d", r.StatusCode)
		}
		var withdrawn struct {
			Status string `json:"status"`
		}
		if r := b.json("POST", "/api/v1/signups/"+res.Signup.ID+"/withdraw", nil, &withdrawn); r.StatusCode != http.StatusOK || withdrawn.Status != "withdrawn" {
			t.Fatalf("withdraw: %d %+v", r.StatusCode, withdrawn)
		}
		if r := b.json("POST", "/api/v1/signups/"+res.Signup.ID+"/withdraw", nil, &problem); r.StatusCode != http.StatusConflict || problem.Type != "/problems/signup-not-live" {
			t.Fatalf("withdraw twice: %d %+v", r.StatusCode, problem)
		}
	})
}
