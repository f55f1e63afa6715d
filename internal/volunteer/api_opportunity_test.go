package volunteer_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// TestOpportunityAPI scripts a coordinator's work through the JSON API: an
// opportunity, a shift and a weekly series, read back as a visitor would.
func TestOpportunityAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := oppSetup(t, d)
		owner := e.user("هند", "hind@example.org", i18n.AR)
		member := e.user("منى", "mona@example.org", i18n.AR)
		o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
		e.join(o, member, org.RoleMember)
		api := e.browser(owner, i18n.EN)

		bad := oppInput(volunteer.OppPublished)
		bad.Category = "parties"
		r := api.postJSON("/api/v1/organisations/"+o.ID+"/opportunities", bad)
		var problem struct {
			Type   string            `json:"type"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal([]byte(r.body), &problem); err != nil || r.StatusCode != 422 || problem.Errors["category"] != "Choose one of the options shown" {
			t.Fatalf("invalid opportunity: %d %s", r.StatusCode, r.body)
		}
		if r := e.browser(member, i18n.EN).postJSON("/api/v1/organisations/"+o.ID+"/opportunities", oppInput(volunteer.OppDraft)); r.StatusCode != 403 {
			t.Fatalf("member creates: %d %s", r.StatusCode, r.body)
		}
		r = api.postJSON("/api/v1/organisations/"+o.ID+"/opportunities", oppInput(volunteer.OppPublished))
		var opp volunteer.Opportunity
		if err := json.Unmarshal([]byte(r.body), &opp); err != nil || r.StatusCode != 201 || opp.ID == "" || r.Header.Get("Location") != "/api/v1/opportunities/"+opp.ID {
			t.Fatalf("create opportunity: %d %s", r.StatusCode, r.body)
		}

		r = api.postJSON("/api/v1/opportunities/"+opp.ID+"/shifts", e.shiftInput(3))
		var sh struct {
			ID          string           `json:"id"`
			CheckinCode string           `json:"checkin_code"`
			Roles       []volunteer.Role `json:"roles"`
			StartsAt    string           `json:"starts_at"`
		}
		if err := json.Unmarshal([]byte(r.body), &sh); err != nil || r.StatusCode != 201 || len(sh.Roles) != 2 || len(sh.CheckinCode) != 6 {
			t.Fatalf("create shift: %d %s", r.StatusCode, r.body)
		}
		bs := e.shiftInput(3)
		bs.End = "10:00"
		if r := api.postJSON("/api/v1/opportunities/"+opp.ID+"/shifts", bs); r.StatusCode != 422 || !strings.Contains(r.body, "The shift must end after it starts") {
			t.Fatalf("bad shift: %d %s", r.StatusCode, r.body)
		}
		for name, b := range map[string]*oppBrowser{"anonymous": e.browser(nil, i18n.AR), "member": e.browser(member, i18n.AR)} {
			r := b.get("/api/v1/shifts/" + sh.ID)
			if r.StatusCode != 200 || strings.Contains(r.body, "checkin_code") || strings.Contains(r.body, sh.CheckinCode) || !strings.Contains(r.body, `"slots":6`) {
				t.Errorf("%s reads the shift: %d %s", name, r.StatusCode, r.body)
			}
		}
		if r := api.get("/api/v1/shifts/" + sh.ID); !strings.Contains(r.body, `"checkin_code":"`+sh.CheckinCode+`"`) {
			t.Errorf("coordinator reads the shift without its code: %s", r.body)
		}

		r = api.postJSON("/api/v1/opportunities/"+opp.ID+"/series", volunteer.SeriesInput{Weekdays: []int{0, 3}, Start: "17:00", DurationMinutes: 120,
			From: e.day(1), Until: e.day(49), SkipDates: []string{}, ShiftPlan: e.shiftInput(1).ShiftPlan})
		var ser volunteer.Series
		if err := json.Unmarshal([]byte(r.body), &ser); err != nil || r.StatusCode != 201 || ser.ShiftsCreated != 14 {
			t.Fatalf("create series: %d %s", r.StatusCode, r.body)
		}

		r = e.browser(nil, i18n.EN).get("/api/v1/opportunities/" + opp.ID)
		var detail struct {
			ID         string                `json:"id"`
			TitleAr    string                `json:"title_ar"`
			Shifts     []struct{ ID string } `json:"shifts"`
			ShiftsNext string                `json:"shifts_next"`
		}
		if err := json.Unmarshal([]byte(r.body), &detail); err != nil || r.StatusCode != 200 || detail.TitleAr != opp.TitleAr || len(detail.Shifts) == 0 {
			t.Fatalf("get opportunity: %d %s", r.StatusCode, r.body)
		}
		if strings.Contains(r.body, "checkin_code") {
			t.Error("the public opportunity lists check-in codes")
		}
		// Walk every page of shifts, soonest first, each once; then one page back.
		var pages [][]string
		for next := ""; len(pages) < 5; {
			path := "/api/v1/opportunities/" + opp.ID
			if next != "" {
				path += "?after=" + next
			}
			var pg struct {
				Shifts []struct {
					ID       string    `json:"id"`
					StartsAt time.Time `json:"starts_at"`
				} `json:"shifts"`
				ShiftsNext string `json:"shifts_next"`
			}
			if err := json.Unmarshal([]byte(api.get(path).body), &pg); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for i, s := range pg.Shifts {
				if i > 0 && s.StartsAt.Before(pg.Shifts[i-1].StartsAt) {
					t.Errorf("shifts out of order: %v", pg.Shifts)
				}
				ids = append(ids, s.ID)
			}
			pages = append(pages, ids)
			if next = pg.ShiftsNext; next == "" {
				break
			}
		}
		all := slices.Concat(pages...)
		if want := e.count(`SELECT COUNT(*) FROM shifts WHERE opportunity_id = $1`, opp.ID); len(all) != want || len(pages) < 2 {
			t.Fatalf("pages %v listed %d shifts of %d", pages, len(all), want)
		}
		seen := map[string]bool{}
		for _, id := range all {
			if seen[id] {
				t.Fatalf("shift %s on two pages", id)
			}
			seen[id] = true
		}
		var back struct {
			Shifts []struct {
				ID string `json:"id"`
			} `json:"shifts"`
			ShiftsPrev string `json:"shifts_prev"`
		}
		if err := json.Unmarshal([]byte(api.get("/api/v1/opportunities/"+opp.ID+"?before="+pages[1][0]).body), &back); err != nil {
			t.Fatal(err)
		}
		if len(back.Shifts) != len(pages[0]) || back.Shifts[0].ID != pages[0][0] || back.ShiftsPrev != "" {
			t.Errorf("back to the first page: %+v", back)
		}
		draft := e.opportunity(owner.Viewer(), o, oppInput(volunteer.OppDraft))
		if r := e.browser(nil, i18n.EN).get("/api/v1/opportunities/" + draft.ID); r.StatusCode != 404 {
			t.Errorf("a draft through the API: %d", r.StatusCode)
		}
	})
}
