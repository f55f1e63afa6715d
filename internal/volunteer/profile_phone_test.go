package volunteer_test

import (
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// TestProfilePhone: the volunteer sees, changes and clears their own phone
// number (the one an import may have written) on their profile page and
// through the API, typed with Arabic-Indic digits or not.
func TestProfilePhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := profileSetup(t, d)
		u := e.user("سارة", "sara.phone@example.org", i18n.AR)
		ar, en := e.browser(u, i18n.AR), e.browser(u, i18n.EN)
		phone := func() string {
			t.Helper()
			p, err := e.a.Volunteer.ProfilePhone(e.ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}

		form := profValidForm(e)
		form.Set("phone", "+966 ٥٠ ٥٥٥ ١٢٣٤")
		if r := ar.post("/volunteer/profile", form); r.StatusCode != 303 {
			t.Fatalf("create with a phone: %d\n%.1500s", r.StatusCode, r.body)
		}
		if got := phone(); got != "+966 50 555 1234" {
			t.Fatalf("saved phone %q", got)
		}
		r := en.get("/volunteer/profile")
		if r.StatusCode != 200 || !strings.Contains(r.body, `name="phone"`) || !strings.Contains(r.body, `value="+966 50 555 1234"`) ||
			!strings.Contains(r.body, "Your phone number") {
			t.Fatalf("the profile page does not show the phone: %d", r.StatusCode)
		}

		// What an organisation imported is shown and can be changed.
		e.exec(`UPDATE volunteer_profiles SET phone = '0501112222' WHERE user_id = $1`, u.ID)
		if r := ar.get("/volunteer/profile"); !strings.Contains(r.body, `value="0501112222"`) || !strings.Contains(r.body, "رقم هاتفك") {
			t.Error("an imported phone is not shown to its owner")
		}

		// Refused numbers, in both languages, leave the saved one.
		for _, bad := range []string{"call me", "12345", "(((( ))))", "+966 50 123 4567 8901 2345 67"} {
			form.Set("phone", bad)
			r := ar.post("/volunteer/profile", form)
			if r.StatusCode != 422 {
				t.Errorf("%q: status %d", bad, r.StatusCode)
				continue
			}
			profFieldError(t, r.body, "phone", "volunteer.profile.error.phone", i18n.AR)
			profFieldError(t, en.post("/volunteer/profile", form).body, "phone", "volunteer.profile.error.phone", i18n.EN)
		}
		if got := phone(); got != "0501112222" {
			t.Errorf("a refused form changed the phone to %q", got)
		}

		// Cleared on the page.
		form.Set("phone", "")
		if r := ar.post("/volunteer/profile", form); r.StatusCode != 303 {
			t.Fatalf("clear: %d", r.StatusCode)
		}
		if got := phone(); got != "" {
			t.Errorf("cleared phone is %q", got)
		}

		// The API reads and writes it as "phone".
		tok := e.token(u)
		var view volunteer.ProfileView
		if resp := e.api(tok, "GET", "/api/v1/volunteer/profile", nil, &view); resp.StatusCode != 200 || view.Phone != "" {
			t.Fatalf("API get: %d %q", resp.StatusCode, view.Phone)
		}
		in := volunteer.ProfileInput{Languages: view.Languages, HomePlaceID: view.HomePlaceID, TravelRadiusKm: view.TravelRadiusKm,
			Gender: view.Gender, BirthDate: view.BirthDate, EmergencyName: view.EmergencyName, EmergencyPhone: view.EmergencyPhone,
			Phone: "(050) 777-8888"}
		var problem httpx.Problem
		if resp := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, &problem); resp.StatusCode != 200 {
			t.Fatalf("API put: %d %+v", resp.StatusCode, problem)
		}
		if got := phone(); got != "(050) 777-8888" {
			t.Errorf("API saved %q", got)
		}
		if resp := e.api(tok, "GET", "/api/v1/volunteer/profile", nil, &view); resp.StatusCode != 200 || view.Phone != "(050) 777-8888" {
			t.Errorf("API get after put: %d %q", resp.StatusCode, view.Phone)
		}
		in.Phone = "phone"
		if resp := e.api(tok, "PUT", "/api/v1/volunteer/profile", in, nil); resp.StatusCode != 422 {
			t.Errorf("API put of a bad phone: %d", resp.StatusCode)
		}
	})
}
