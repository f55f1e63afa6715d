package org

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// api sends a JSON request and decodes the answer into a generic value.
func (s *server) api(t *testing.T, method, path, body string, v *httpx.Viewer, lang i18n.Lang) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	res := s.request(t, r, v, lang)
	var out map[string]any
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: %d %q is not JSON: %v", method, path, res.Code, res.Body.String(), err)
	}
	return res.Code, out
}

func items(m map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := m["items"].([]any)
	for _, it := range list {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		ids := s.places(t)
		admin, owner, stranger := s.user(t, "Admin", true), s.user(t, "Owner", false), s.user(t, "Stranger", false)

		if code, body := s.api(t, "GET", "/api/v1/organisations", "", nil, i18n.AR); code != 200 || body["next"] != "" || body["items"] == nil || len(items(body)) != 0 {
			t.Errorf("empty list: %d %v", code, body)
		}
		create := `{"name_ar":"جمعية البر","name_en":"Al Birr","type":"charity","home_place_id":"` + ids["SA-03-MED"] + `","service_areas":["` + ids["SA-03-MED-QBA"] + `"]}`
		if code, body := s.api(t, "POST", "/api/v1/organisations", create, nil, i18n.EN); code != 401 || body["type"] != "/problems/unauthorized" {
			t.Errorf("anonymous create: %d %v", code, body)
		}
		code, body := s.api(t, "POST", "/api/v1/organisations", `{"name_ar":"","type":"club"}`, owner, i18n.EN)
		errs, _ := body["errors"].(map[string]any)
		if code != 422 || errs["name_ar"] != "This field is required" || errs["type"] == nil {
			t.Errorf("invalid create: %d %v", code, body)
		}
		if code, _ := s.api(t, "POST", "/api/v1/organisations", `{"name":"x"}`, owner, i18n.EN); code != 400 {
			t.Errorf("unknown field: %d", code)
		}
		code, created := s.api(t, "POST", "/api/v1/organisations", create, owner, i18n.AR)
		if code != 201 || created["status"] != "pending" || created["name_en"] != "Al Birr" || created["home_place_id"] != ids["SA-03-MED"] {
			t.Fatalf("create: %d %v", code, created)
		}
		if areas, _ := created["service_areas"].([]any); len(areas) != 1 {
			t.Errorf("service_areas = %v", created["service_areas"])
		}
		id := created["id"].(string)

		if code, _ := s.api(t, "GET", "/api/v1/organisations/"+id, "", stranger, i18n.AR); code != 404 {
			t.Errorf("pending organisation for a stranger: %d", code)
		}
		if code, got := s.api(t, "GET", "/api/v1/organisations/"+id, "", owner, i18n.AR); code != 200 || got["name_ar"] != "جمعية البر" {
			t.Errorf("pending organisation for its owner: %d %v", code, got)
		}
		if code, got := s.api(t, "GET", "/api/v1/organisations/"+id+"/members", "", owner, i18n.AR); code != 200 || len(items(got)) != 1 || items(got)[0]["role"] != "owner" || items(got)[0]["user_id"] != owner.ID {
			t.Errorf("members for the owner: %d %v", code, got)
		}
		// A pending organisation is not found by those who may not see it,
		// exactly like an unknown one: its existence is not revealed.
		unknown := "/api/v1/organisations/" + db.NewID() + "/members"
		for who, v := range map[string]*httpx.Viewer{"stranger": stranger, "anonymous": nil} {
			codeP, gotP := s.api(t, "GET", "/api/v1/organisations/"+id+"/members", "", v, i18n.AR)
			codeU, gotU := s.api(t, "GET", unknown, "", v, i18n.AR)
			if codeP != 404 || codeU != 404 || gotP["type"] != gotU["type"] || gotP["title"] != gotU["title"] {
				t.Errorf("members of a pending organisation for %s: %d %v; of an unknown one: %d %v", who, codeP, gotP, codeU, gotU)
			}
		}

		// Listing with filters and a cursor.
		if err := s.svc.Verify(s.ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		// A verified organisation is public: now signing in and permission matter.
		if code, got := s.api(t, "GET", "/api/v1/organisations/"+id+"/members", "", stranger, i18n.AR); code != 403 || got["title"] != "ليست لديك صلاحية لهذا" {
			t.Errorf("members of a verified organisation for a stranger: %d %v", code, got)
		}
		if code, _ := s.api(t, "GET", "/api/v1/organisations/"+id+"/members", "", nil, i18n.AR); code != 401 {
			t.Errorf("members of a verified organisation for anonymous: %d", code)
		}
		second := s.org(t, owner, admin, "مدرسة", School, ids["SA-01-RUH"], true)
		code, page := s.api(t, "GET", "/api/v1/organisations?limit=1", "", nil, i18n.AR)
		if code != 200 || len(items(page)) != 1 || items(page)[0]["id"] != id || page["next"] != id {
			t.Fatalf("first page: %d %v", code, page)
		}
		code, page = s.api(t, "GET", "/api/v1/organisations?limit=١&after="+id, "", nil, i18n.AR)
		if code != 200 || len(items(page)) != 1 || items(page)[0]["id"] != second.ID || page["next"] != "" {
			t.Errorf("second page: %d %v", code, page)
		}
		for query, want := range map[string]int{"?place=" + ids["SA-03"]: 1, "?type=school": 1, "?type=school&place=" + ids["SA-03"]: 0, "?place=" + ids["SA"]: 2} {
			if code, got := s.api(t, "GET", "/api/v1/organisations"+query, "", nil, i18n.AR); code != 200 || len(items(got)) != want {
				t.Errorf("%s: %d, %d items; want %d", query, code, len(items(got)), want)
			}
		}
		for _, query := range []string{"?limit=abc", "?limit=0", "?limit=500", "?type=club"} {
			if code, got := s.api(t, "GET", "/api/v1/organisations"+query, "", nil, i18n.EN); code != 422 || got["errors"] == nil {
				t.Errorf("%s: %d %v", query, code, got)
			}
		}

		// Places.
		if code, got := s.api(t, "GET", "/api/v1/places", "", nil, i18n.AR); code != 200 || len(items(got)) != 1 || items(got)[0]["code"] != "SA" {
			t.Errorf("countries: %d %v", code, got)
		}
		code, got := s.api(t, "GET", "/api/v1/places?parent="+ids["SA"], "", nil, i18n.EN)
		if regions := items(got); code != 200 || len(regions) != 2 || regions[0]["name_en"] != "Madinah Region" || regions[0]["parent_id"] != ids["SA"] {
			t.Errorf("regions: %d %v", code, got)
		}
		if code, _ := s.api(t, "GET", "/api/v1/places?parent=nope", "", nil, i18n.EN); code != 404 {
			t.Errorf("children of an unknown place: %d", code)
		}
		code, got = s.api(t, "GET", "/api/v1/places/"+ids["SA-03-MED"], "", nil, i18n.EN)
		if anc, _ := got["ancestors"].([]any); code != 200 || got["level"] != "city" || got["lat"] != 24.47 || len(anc) != 2 {
			t.Errorf("place: %d %v", code, got)
		}
		if code, _ := s.api(t, "GET", "/api/v1/places/nope", "", nil, i18n.EN); code != 404 {
			t.Errorf("unknown place: %d", code)
		}
	})
}
