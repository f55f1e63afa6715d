package app_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// TestSiteSearch: organisations and opportunities are indexed as they are
// written; the search page and the API find them in any spelling, mark the
// words in the original text, and keep drafts to their organisation.
func TestSiteSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, srv := newServer(t, d, false)
		ctx := t.Context()
		admin, err := a.Account.CreateAdmin(ctx, account.SignUp{Email: "root@example.org", Name: "Root", Password: "admin password"})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := a.Account.Register(ctx, account.SignUp{Email: "owner@example.org", Name: "مسؤول الجمعية", Password: "owner password", Locale: i18n.AR})
		if err != nil {
			t.Fatal(err)
		}
		g, err := a.Org.CreateOrg(ctx, owner.Viewer(), org.Input{NameAr: "جمعية البِر بالمدينة", NameEn: "Al-Birr Association", Type: org.Charity,
			Description: "تخدم الأُسَر المحتاجة منذ ٢٠١٠."})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Org.Verify(ctx, admin.Viewer(), g.ID); err != nil {
			t.Fatal(err)
		}
		in := volunteer.OpportunityInput{TitleAr: "توزيع السلال الغذائية على الأسرة", TitleEn: "Food baskets for families", Category: "food",
			DescriptionAr: "نحتاج إلى متطوعين للتعبئة والتوصيل.", GenderRule: volunteer.AnyGender, Approval: volunteer.AutoApproval, Status: volunteer.OppPublished}
		pub, err := a.Volunteer.CreateOpportunity(ctx, owner.Viewer(), g.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		in.TitleAr, in.TitleEn, in.Status = "مسودة حملة الأسرة الشتوية", "Winter draft", volunteer.OppDraft
		draft, err := a.Volunteer.CreateOpportunity(ctx, owner.Viewer(), g.ID, in)
		if err != nil {
			t.Fatal(err)
		}

		anon := newBrowser(t, srv.URL)
		resp, body := anon.get("/search?q=" + url.QueryEscape("الاسره"))
		if resp.StatusCode != 200 || !strings.Contains(body, "/opportunities/"+pub.ID) || !strings.Contains(body, "/organisations/"+g.ID) {
			t.Fatalf("search page: %d\n%s", resp.StatusCode, grep(body, "search-results"))
		}
		if strings.Contains(body, draft.ID) {
			t.Error("a draft shows to a visitor")
		}
		// Counts by kind lead to narrower searches.
		if !strings.Contains(body, `/search?kind=opportunity&amp;q=`) || !strings.Contains(body, `/search?kind=organisation&amp;q=`) {
			t.Errorf("no links by kind:\n%s", grep(body, "facets"))
		}
		// The organisation's description says «الأُسَر» with its diacritics; the page marks it as written.
		if !strings.Contains(body, "<mark>الأُسَر</mark>") {
			t.Errorf("the snippet does not mark the original word:\n%s", grep(body, "<mark>"))
		}

		// A typo: the page says what it searched, the right words as typed.
		resp, body = anon.get("/search?q=" + url.QueryEscape("توزيع السلاا"))
		if resp.StatusCode != 200 || !strings.Contains(body, "/opportunities/"+pub.ID) || !strings.Contains(body, "«توزيع السلال»") {
			t.Errorf("a typo: %d\n%s\n%s", resp.StatusCode, grep(body, "notice"), grep(body, "search-results"))
		}

		var res struct {
			Hits []struct{ Kind, ID, URL string }
		}
		resp, body = anon.get("/api/v1/search?kind=opportunity&q=" + url.QueryEscape("للأسرة"))
		if err := json.Unmarshal([]byte(body), &res); err != nil || resp.StatusCode != 200 || len(res.Hits) != 1 ||
			res.Hits[0].ID != pub.ID || res.Hits[0].URL != "/opportunities/"+pub.ID {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		var faceted struct {
			Hits   []struct{ ID string }
			Facets []struct {
				Kind, Category string
				Count          int
			}
		}
		resp, body = anon.get("/api/v1/search?category=food&q=" + url.QueryEscape("الاسره"))
		if err := json.Unmarshal([]byte(body), &faceted); err != nil || len(faceted.Hits) != 1 || faceted.Hits[0].ID != pub.ID || len(faceted.Facets) != 2 {
			t.Errorf("category food: %d %s", resp.StatusCode, body)
		}
		if resp, _ := anon.get("/api/v1/search?kind=people&q=x"); resp.StatusCode != 400 {
			t.Errorf("unknown kind: %d", resp.StatusCode)
		}
		// On the page, a place that does not exist is said in the reader's language, beside the form.
		if resp, body := anon.get("/search?place=nowhere&q=x"); resp.StatusCode != 400 || !strings.Contains(body, "المكان غير معروف.") ||
			!strings.Contains(body, `id="f-q"`) {
			t.Errorf("unknown place on the page: %d\n%s", resp.StatusCode, grep(body, "flash"))
		}
		if resp, _ := anon.get("/api/v1/search?place=nowhere&q=x"); resp.StatusCode != 400 {
			t.Errorf("unknown place: %d", resp.StatusCode)
		}
		if resp, _ := anon.get("/api/v1/search?limit=500&q=x"); resp.StatusCode != 400 {
			t.Errorf("limit 500: %d", resp.StatusCode)
		}

		// An opportunity spans the days of its shifts; the date filter finds it on them, and not once they are cancelled.
		day := time.Now().In(riyadh(t)).AddDate(0, 0, 10).Format(time.DateOnly)
		sh, err := a.Volunteer.CreateShift(ctx, owner.Viewer(), pub.ID, volunteer.ShiftInput{Date: day, Start: "16:00", End: "19:00",
			ShiftPlan: volunteer.ShiftPlan{Roles: []volunteer.RoleInput{{NameAr: "تعبئة", NameEn: "Packing", Slots: 3}}, SignupOpensDays: 7}})
		if err != nil {
			t.Fatal(err)
		}
		var dated struct{ Hits []struct{ ID string } }
		resp, body = anon.get("/api/v1/search?from=" + day + "&to=" + day + "&q=" + url.QueryEscape("الاسره"))
		if err := json.Unmarshal([]byte(body), &dated); err != nil || len(dated.Hits) != 1 || dated.Hits[0].ID != pub.ID {
			t.Errorf("on the shift's day: %d %s", resp.StatusCode, body)
		}
		if err := a.Volunteer.CancelShift(ctx, owner.Viewer(), sh.ID, "المطر"); err != nil {
			t.Fatal(err)
		}
		if _, body = anon.get("/api/v1/search?from=" + day + "&to=" + day + "&q=" + url.QueryEscape("الاسره")); strings.Contains(body, pub.ID) {
			t.Errorf("found on the day of a cancelled shift: %s", body)
		}
		// Dates that are not dates, or the wrong way round, are said beside the form.
		if resp, body := anon.get("/search?from=2026-13-45&q=x"); resp.StatusCode != 400 || !strings.Contains(body, "اكتب التاريخ بصيغة سنة-شهر-يوم") {
			t.Errorf("a bad date: %d\n%s", resp.StatusCode, grep(body, "flash"))
		}
		if resp, _ := anon.get("/api/v1/search?from=2026-12-05&to=2026-12-01&q=x"); resp.StatusCode != 400 {
			t.Errorf("from after to: %d", resp.StatusCode)
		}
		// Pages: one hit a page, the next page the other hit, a made-up page refused.
		var page1, page2 struct {
			Hits []struct{ ID string }
			Next string
		}
		_, body = anon.get("/api/v1/search?limit=1&q=" + url.QueryEscape("الاسره"))
		if err := json.Unmarshal([]byte(body), &page1); err != nil || len(page1.Hits) != 1 || page1.Next == "" {
			t.Fatalf("page 1: %s", body)
		}
		_, body = anon.get("/api/v1/search?limit=1&after=" + url.QueryEscape(page1.Next) + "&q=" + url.QueryEscape("الاسره"))
		if err := json.Unmarshal([]byte(body), &page2); err != nil || len(page2.Hits) != 1 || page2.Hits[0].ID == page1.Hits[0].ID || page2.Next != "" {
			t.Errorf("page 2 after %v: %s", page1.Hits, body)
		}
		if resp, _ := anon.get("/api/v1/search?after=nonsense&q=x"); resp.StatusCode != 400 {
			t.Errorf("a made-up page: %d", resp.StatusCode)
		}

		// The organisation's member finds the draft too.
		member := newBrowser(t, srv.URL)
		member.post("/signin", url.Values{"email": {"owner@example.org"}, "password": {"owner password"}})
		if _, body := member.get("/search?q=" + url.QueryEscape("الشتوية")); !strings.Contains(body, "/opportunities/"+draft.ID) {
			t.Errorf("the member does not find the draft:\n%s", grep(body, "search-results"))
		}

		// An edit is found by its new words at once.
		in.TitleAr, in.Status = "حملة تشجير", volunteer.OppPublished
		if _, err := a.Volunteer.UpdateOpportunity(ctx, owner.Viewer(), draft.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, body := anon.get("/search?q=" + url.QueryEscape("تشجير")); !strings.Contains(body, "/opportunities/"+draft.ID) {
			t.Error("the published edit is not found")
		}
		if _, body := anon.get("/search?q=" + url.QueryEscape("الشتوية")); strings.Contains(body, draft.ID) {
			t.Error("the old title is still found")
		}

		// Rebuilt from the records, the index finds the same.
		if _, err := d.W.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.SQLite {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO search_fts (search_fts) VALUES ('delete-all')`); err != nil {
				t.Fatal(err)
			}
		}
		orgs, err := a.Org.ReindexOrgs(ctx)
		if err != nil || orgs != 1 {
			t.Fatalf("reindex organisations: %d, %v", orgs, err)
		}
		if opps, err := a.Volunteer.ReindexOpportunities(ctx); err != nil || opps != 2 {
			t.Fatalf("reindex opportunities: %d, %v", opps, err)
		}
		if _, body := anon.get("/search?q=" + url.QueryEscape("تشجير")); !strings.Contains(body, "/opportunities/"+draft.ID) {
			t.Error("not found after reindexing")
		}
	})
}

// TestSuggest: place and skill names with a word starting with what was
// typed, in any spelling and either language.
func TestSuggest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, srv := newServer(t, d, false)
		b := newBrowser(t, srv.URL)
		get := func(path string) []string {
			t.Helper()
			resp, body := b.get(path)
			var res struct{ Suggestions []struct{ ID, Label string } }
			if err := json.Unmarshal([]byte(body), &res); err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
			}
			var ids []string
			for _, s := range res.Suggestions {
				ids = append(ids, s.ID)
			}
			return ids
		}
		for q, want := range map[string]string{"إسعاف": "first_aid", "اسعافات": "first_aid", "قياد": "driving", "FIRST": "first_aid", "تمريض": "nursing"} {
			if got := get("/api/v1/suggest?kind=skill&q=" + url.QueryEscape(q)); !slices.Contains(got, want) {
				t.Errorf("skill %q: %v, want %s among them", q, got, want)
			}
		}
		if got := get("/api/v1/suggest?kind=skill&q=" + url.QueryEscape("زززز")); len(got) != 0 {
			t.Errorf("nonsense: %v", got)
		}
		if resp, _ := b.get("/api/v1/suggest?kind=people&q=x"); resp.StatusCode != 400 {
			t.Errorf("unknown kind: %d", resp.StatusCode)
		}
	})
}

func riyadh(t *testing.T) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		t.Skip("no time zone data: ", err)
	}
	return z
}
