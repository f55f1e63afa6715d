package app_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sharaka/internal/demo"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

// TestSettingsSavePlacesAndDigits changes a person's settings on /account:
// home neighbourhood, service areas and digits, refusing an unknown place.
func TestSettingsSavePlacesAndDigits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, srv := newServer(t, d, false)
		if _, err := demo.Load(t.Context(), d, a.Account, a.Org, a.Volunteer); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, srv.URL)
		b.post("/signin", url.Values{"email": {"resident.quba@sharaka.example"}, "password": {demo.Password}})
		_, body := b.get("/account")
		opts := regexp.MustCompile(`<option value="([0-9a-f-]{36})"[^>]*>([^<]+)</option>`).FindAllStringSubmatch(body, -1)
		if len(opts) < 10 {
			t.Fatalf("only %d place options on /account", len(opts))
		}
		home, area1, area2 := opts[0][1], opts[1][1], opts[2][1]
		form := url.Values{"name": {"مقيمة في حي قباء"}, "locale": {"ar"}, "digits": {"arab"}, "time_zone": {"Africa/Cairo"}, "home_place": {home}, "service_areas": {area1, area2}}
		if resp, _ := b.post("/account", form); resp.StatusCode != 303 {
			t.Fatalf("save settings: %d", resp.StatusCode)
		}
		_, body = b.get("/account")
		if !strings.Contains(body, `<option value="Africa/Cairo" selected>`) {
			t.Error("time zone not saved")
		}
		if !strings.Contains(body, `<option value="`+home+`" selected>`) {
			t.Error("home place not saved")
		}
		for _, id := range []string{area1, area2} {
			if !strings.Contains(body, `value="`+id+`" checked>`) {
				t.Errorf("service area %s not saved", id)
			}
		}
		// Arabic-Indic digits now show on dates (the year of the token list, the Hijri date…).
		b.post("/account/tokens", url.Values{"token_name": {"x"}})
		_, body = b.get("/account")
		if !strings.Contains(body, "٢٠٢") {
			t.Error("dates are not in Arabic-Indic digits after choosing them")
		}
		form.Set("service_areas", "not-a-place")
		resp, body := b.post("/account", form)
		if resp.StatusCode != 422 || !strings.Contains(body, "اختر واحدًا من الخيارات المعروضة") {
			t.Fatalf("unknown place: %d", resp.StatusCode)
		}
		if _, body = b.get("/account"); !strings.Contains(body, `value="`+area1+`" checked>`) {
			t.Error("a refused save changed the saved areas")
		}
	})
}
