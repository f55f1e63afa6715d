package org

import (
	"errors"
	"slices"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

func TestCreateVerifyReject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := f.places(t)
		admin, owner, stranger := f.user(t, "Admin", true), f.user(t, "Owner", false), f.user(t, "Stranger", false)

		in := Input{NameAr: "  جمعية البر  ", Type: Charity, Email: " Info@Birr.SA ", Phone: "+966 ٥٠ ١٢٣ ٤٥٦٧",
			HomePlaceID: ids["SA-03-MED"], ServiceAreas: []string{ids["SA-03-MED-QBA"], ids["SA-03-MED-QBA"], ""}}
		o, err := f.svc.CreateOrg(f.ctx, owner, in)
		if err != nil {
			t.Fatalf("CreateOrg: %v", err)
		}
		if o.Status != Pending || o.NameAr != "جمعية البر" || o.Email != "info@birr.sa" || o.Phone != "+966 50 123 4567" || !slices.Equal(o.ServiceAreas, []string{ids["SA-03-MED-QBA"]}) {
			t.Errorf("created %+v", o)
		}
		if role, err := f.svc.RoleOf(f.ctx, owner, o.ID); role != RoleOwner || err != nil {
			t.Errorf("creator's role = %q, %v", role, err)
		}
		if n := f.auditCount(t, "org.create"); n != 1 {
			t.Errorf("org.create audited %d times", n)
		}

		// A pending organisation is private to its members and platform admins.
		for who, v := range map[string]*httpx.Viewer{"owner": owner, "admin": admin} {
			if got, err := f.svc.Org(f.ctx, v, o.ID); err != nil || got.ID != o.ID || len(got.ServiceAreas) != 1 {
				t.Errorf("%s sees %+v, %v", who, got, err)
			}
		}
		for who, v := range map[string]*httpx.Viewer{"stranger": stranger, "anonymous": nil} {
			if _, err := f.svc.Org(f.ctx, v, o.ID); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: %v", who, err)
			}
		}
		if pg, _ := f.svc.ListVerified(f.ctx, ListFilter{}); len(pg.Items) != 0 {
			t.Errorf("a pending organisation is listed")
		}
		queue, err := f.svc.PendingOrgs(f.ctx, admin)
		if err != nil || len(queue) != 1 || queue[0].ID != o.ID {
			t.Errorf("PendingOrgs = %v, %v", queue, err)
		}
		if _, err := f.svc.PendingOrgs(f.ctx, owner); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("PendingOrgs for a non-admin: %v", err)
		}

		// Only a platform admin decides, and only once.
		for who, v := range map[string]*httpx.Viewer{"owner": owner, "stranger": stranger} {
			if err := f.svc.Verify(f.ctx, v, o.ID); !errors.Is(err, httpx.ErrForbidden) {
				t.Errorf("Verify by %s: %v", who, err)
			}
		}
		if err := f.svc.Verify(f.ctx, nil, o.ID); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("Verify by anonymous: %v", err)
		}
		if err := f.svc.Verify(f.ctx, admin, o.ID); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if err := f.svc.Verify(f.ctx, admin, o.ID); !errors.Is(err, ErrNotPending) {
			t.Errorf("second Verify: %v", err)
		}
		if err := f.svc.Reject(f.ctx, admin, o.ID); !errors.Is(err, ErrNotPending) {
			t.Errorf("Reject after Verify: %v", err)
		}
		if err := f.svc.Verify(f.ctx, admin, "nope"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Verify unknown: %v", err)
		}
		got, err := f.svc.Org(f.ctx, nil, o.ID)
		if err != nil || got.Status != Verified || got.VerifiedAt == nil {
			t.Errorf("verified organisation seen by anonymous: %+v, %v", got, err)
		}

		other := f.org(t, stranger, admin, "فريق", VolunteerTeam, "", false)
		if err := f.svc.Reject(f.ctx, admin, other.ID); err != nil {
			t.Fatalf("Reject: %v", err)
		}
		if _, err := f.svc.Org(f.ctx, owner, other.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("a rejected organisation is visible to a non-member: %v", err)
		}
		if n := f.auditCount(t, "org.verify") + f.auditCount(t, "org.reject"); n != 2 {
			t.Errorf("decisions audited %d times", n)
		}
		mine, err := f.svc.UserOrgs(f.ctx, stranger.ID)
		if err != nil || len(mine) != 1 || mine[0].Role != RoleOwner || mine[0].Status != Rejected {
			t.Errorf("UserOrgs = %+v, %v", mine, err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		owner := f.user(t, "Owner", false)
		if _, err := f.svc.CreateOrg(f.ctx, nil, Input{NameAr: "x", Type: Charity}); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("anonymous CreateOrg: %v", err)
		}
		_, err := f.svc.CreateOrg(f.ctx, owner, Input{NameAr: " ", Type: "club", Email: "not-an-email", Phone: "call me",
			HomePlaceID: "nowhere", ServiceAreas: []string{"nowhere"}})
		he := httpx.As(err)
		want := map[string]string{"name_ar": "error.required", "type": "org.error.type", "email": "error.email", "phone": "org.error.phone",
			"home_place_id": "org.error.place_unknown", "service_areas": "org.error.place_unknown"}
		if he.Status != 422 || len(he.Fields) != len(want) {
			t.Fatalf("CreateOrg = %v, fields %v", err, he.Fields)
		}
		for k, v := range want {
			if he.Fields[k] != v {
				t.Errorf("field %s = %q, want %q", k, he.Fields[k], v)
			}
		}
		if pg, _ := f.svc.UserOrgs(f.ctx, owner.ID); len(pg) != 0 {
			t.Errorf("an invalid organisation was stored")
		}
	})
}

func TestUpdateOrg(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := f.places(t)
		admin, owner, member := f.user(t, "Admin", true), f.user(t, "Owner", false), f.user(t, "Member", false)
		o := f.org(t, owner, admin, "جمعية البر", Charity, "", true)
		f.join(t, o, member, RoleMember)
		// Name and type unchanged: the organisation stays verified.
		in := Input{NameAr: "جمعية البر", NameEn: "جمعية البر", Type: Charity, Description: "نخدم الأسر", ServiceAreas: []string{ids["SA-01-RUH"]}}
		if _, err := f.svc.UpdateOrg(f.ctx, member, o.ID, in); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("a member edits: %v", err)
		}
		got, err := f.svc.UpdateOrg(f.ctx, owner, o.ID, in)
		if err != nil || got.Description != "نخدم الأسر" || got.Status != Verified || !slices.Equal(got.ServiceAreas, []string{ids["SA-01-RUH"]}) {
			t.Fatalf("UpdateOrg = %+v, %v", got, err)
		}
		in.ServiceAreas = nil
		if _, err := f.svc.UpdateOrg(f.ctx, admin, o.ID, in); err != nil {
			t.Errorf("a platform admin edits: %v", err)
		}
		if got, _ := f.svc.Org(f.ctx, nil, o.ID); len(got.ServiceAreas) != 0 || got.Description != "نخدم الأسر" {
			t.Errorf("after update: %+v", got)
		}
		if _, err := f.svc.UpdateOrg(f.ctx, owner, o.ID, Input{Type: Charity}); httpx.As(err).Fields["name_ar"] == "" {
			t.Errorf("update without a name: %v", err)
		}
		if n := f.auditCount(t, "org.update"); n != 2 {
			t.Errorf("org.update audited %d times", n)
		}
	})
}

func TestListVerified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := f.places(t)
		admin, owner := f.user(t, "Admin", true), f.user(t, "Owner", false)
		a := f.org(t, owner, admin, "أ", Charity, ids["SA-03-MED-QBA-N1"], true)
		b := f.org(t, owner, admin, "ب", School, ids["SA-01-RUH"], true)
		c, err := f.svc.CreateOrg(f.ctx, owner, Input{NameAr: "ج", Type: Charity, ServiceAreas: []string{ids["SA-03-MED-AZZ"]}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Verify(f.ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		f.org(t, owner, admin, "د", Charity, ids["SA-03-MED-QBA"], false) // pending: never listed

		for name, tc := range map[string]struct {
			filter ListFilter
			want   []*Org
		}{
			"all":                  {ListFilter{}, []*Org{a, b, c}},
			"region with children": {ListFilter{PlaceID: ids["SA-03"]}, []*Org{a, c}},
			"district":             {ListFilter{PlaceID: ids["SA-03-MED-QBA"]}, []*Org{a}},
			"service area":         {ListFilter{PlaceID: ids["SA-03-MED-AZZ"]}, []*Org{c}},
			"country":              {ListFilter{PlaceID: ids["SA"]}, []*Org{a, b, c}},
			"type":                 {ListFilter{Type: School}, []*Org{b}},
			"type and place":       {ListFilter{Type: Charity, PlaceID: ids["SA-01"]}, nil},
		} {
			pg, err := f.svc.ListVerified(f.ctx, tc.filter)
			var got, want []string
			for _, o := range pg.Items {
				got = append(got, o.ID)
			}
			for _, o := range tc.want {
				want = append(want, o.ID)
			}
			if err != nil || !slices.Equal(got, want) || pg.Next != "" || pg.Prev != "" {
				t.Errorf("%s: %v (next %q prev %q), %v; want %v", name, got, pg.Next, pg.Prev, err, want)
			}
		}

		// Page forwards one at a time, then back.
		var seen []string
		cursor := ""
		for range 4 {
			pg, err := f.svc.ListVerified(f.ctx, ListFilter{After: cursor, Limit: 1})
			if err != nil || len(pg.Items) != 1 {
				t.Fatalf("page after %q: %+v, %v", cursor, pg, err)
			}
			seen = append(seen, pg.Items[0].ID)
			if (cursor == "") != (pg.Prev == "") {
				t.Errorf("page after %q has prev %q", cursor, pg.Prev)
			}
			if cursor = pg.Next; cursor == "" {
				break
			}
		}
		if !slices.Equal(seen, []string{a.ID, b.ID, c.ID}) {
			t.Errorf("paging saw %v", seen)
		}
		back, err := f.svc.ListVerified(f.ctx, ListFilter{Before: c.ID, Limit: 1})
		if err != nil || len(back.Items) != 1 || back.Items[0].ID != b.ID || back.Prev != b.ID || back.Next != b.ID {
			t.Errorf("page before c: %+v, %v", back, err)
		}
		back, err = f.svc.ListVerified(f.ctx, ListFilter{Before: b.ID, Limit: 1})
		if err != nil || len(back.Items) != 1 || back.Items[0].ID != a.ID || back.Prev != "" {
			t.Errorf("first page backwards: %+v, %v", back, err)
		}

		for name, lf := range map[string]ListFilter{"type": {Type: "club"}, "limit": {Limit: MaxLimit + 1}} {
			if _, err := f.svc.ListVerified(f.ctx, lf); httpx.As(err).Fields[name] == "" {
				t.Errorf("bad %s: %v", name, err)
			}
		}
	})
}
