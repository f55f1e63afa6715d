package org

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// The defects of the security review, one test each.

var enLoc = i18n.New(i18n.EN, i18n.Latin, nil)

// invite sends an invitation as actor and returns the secret of its link.
func (f *fixture) invite(t *testing.T, actor *httpx.Viewer, o *Org, email string, role Role) string {
	t.Helper()
	if _, err := f.svc.Invite(f.ctx, actor, o.ID, InviteInput{Email: email, Role: role}, enLoc); err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return linkSecret(t, f.mail.last(t).text)
}

func TestAcceptOnlyByTheInvitedAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner := s.user(t, "Platform", true), s.user(t, "Owner", false)
		o := s.org(t, owner, platform, "جمعية البر", Charity, "", true)
		secret := s.invite(t, owner, o, "new.admin@example.org", RoleAdmin)
		link := "/invitations/" + secret
		other := s.user(t, "Other", false) // other@example.com

		// The service refuses another account and leaves the invitation open.
		if _, _, err := s.svc.Accept(s.ctx, other, secret); !errors.Is(err, ErrInvitationOtherAddress) || httpx.As(err).Status != http.StatusForbidden {
			t.Fatalf("Accept by another address: %v", err)
		}
		noEmail := &httpx.Viewer{ID: other.ID, Name: other.Name}
		if _, _, err := s.svc.Accept(s.ctx, noEmail, secret); !errors.Is(err, ErrInvitationOtherAddress) {
			t.Errorf("Accept by a viewer without an address: %v", err)
		}
		if r, _ := s.svc.RoleOf(s.ctx, other, o.ID); r != "" {
			t.Errorf("the other account joined as %q", r)
		}
		if open, _ := s.svc.Invitations(s.ctx, owner, o.ID); len(open) != 1 || open[0].Email != "new.admin@example.org" {
			t.Errorf("open invitations after a refused accept: %+v", open)
		}
		if n := s.auditCount(t, "member.join"); n != 0 {
			t.Errorf("member.join audited %d times", n)
		}

		// The page says so before the button, and a post shows it with 403.
		for _, lang := range langs {
			res := s.get(t, link, other, lang)
			res.expect(t, http.StatusOK, lang, "org.invite.other_address", "org.invite.accept")
			loc := i18n.New(lang, i18n.Latin, nil)
			if i, j := strings.Index(res.body, loc.T("org.invite.other_address")), strings.Index(res.body, loc.T("org.invite.accept")); i < 0 || i > j {
				t.Errorf("%s: the notice is not before the button", lang)
			}
			s.post(t, link, nil, other, lang).expect(t, http.StatusForbidden, lang, "org.invite.other_address")
		}
		s.get(t, link, other, i18n.EN).expect(t, http.StatusOK, i18n.EN) // still open
		invited := s.user(t, "New Admin", false)
		invited.Email = " New.Admin@Example.ORG "
		if res := s.get(t, link, invited, i18n.EN); strings.Contains(res.body, enLoc.T("org.invite.other_address")) {
			t.Error("the invited address is told it is another one")
		}

		// The invited address accepts.
		res := s.post(t, link, nil, invited, i18n.AR)
		if res.redirect(t, "/organisations/"+o.ID); res.flash() != "ok:org.flash.joined" {
			t.Errorf("flash = %q", res.flash())
		}
		if r, _ := s.svc.RoleOf(s.ctx, invited, o.ID); r != RoleAdmin {
			t.Errorf("invited role = %q", r)
		}
	})
}

func TestInviterAuthorityIsRecheckedOnUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner, second := s.user(t, "Platform", true), s.user(t, "Owner", false), s.user(t, "Second", false)
		admin, leaver := s.user(t, "Admin", false), s.user(t, "Leaver", false)
		o := s.org(t, owner, platform, "جمعية", Charity, "", true)
		s.join(t, o, second, RoleOwner)
		s.join(t, o, admin, RoleAdmin)
		s.join(t, o, leaver, RoleAdmin)

		byDemoted := s.invite(t, admin, o, "a@example.com", RoleCoordinator)
		byLeaver := s.invite(t, leaver, o, "b@example.com", RoleMember)
		ownerByOwner := s.invite(t, owner, o, "c@example.com", RoleOwner)
		stillGood := s.invite(t, second, o, "d@example.com", RoleAdmin)

		if err := s.svc.ChangeRole(s.ctx, owner, o.ID, admin.ID, RoleMember); err != nil {
			t.Fatal(err)
		}
		if err := s.svc.RemoveMember(s.ctx, leaver, o.ID, leaver.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.svc.ChangeRole(s.ctx, second, o.ID, owner.ID, RoleAdmin); err != nil { // an admin may not make owners
			t.Fatal(err)
		}

		for name, tc := range map[string]struct{ secret, user string }{
			"inviter demoted to member":   {byDemoted, "A"},
			"inviter left":                {byLeaver, "B"},
			"owner invitation, now admin": {ownerByOwner, "C"},
		} {
			if _, err := s.svc.InvitationBySecret(s.ctx, tc.secret); !errors.Is(err, ErrInvitationWithdrawn) {
				t.Errorf("%s: InvitationBySecret: %v", name, err)
			}
			v := s.user(t, tc.user, false)
			if _, _, err := s.svc.Accept(s.ctx, v, tc.secret); !errors.Is(err, ErrInvitationWithdrawn) {
				t.Errorf("%s: Accept: %v", name, err)
			}
			if r, _ := s.svc.RoleOf(s.ctx, v, o.ID); r != "" {
				t.Errorf("%s: joined as %q", name, r)
			}
			for _, lang := range langs {
				s.get(t, "/invitations/"+tc.secret, v, lang).expect(t, http.StatusNotFound, lang, "org.invite.withdrawn")
				s.post(t, "/invitations/"+tc.secret, nil, v, lang).expect(t, http.StatusNotFound, lang, "org.invite.withdrawn")
			}
		}
		dee := s.user(t, "D", false)
		if _, joined, err := s.svc.Accept(s.ctx, dee, stillGood); err != nil || !joined {
			t.Errorf("an invitation by a current owner: %v, %v", joined, err)
		}
	})
}

func TestRevokeInvitation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner, admin, member := s.user(t, "Platform", true), s.user(t, "Owner", false), s.user(t, "Admin", false), s.user(t, "Member", false)
		o := s.org(t, owner, platform, "جمعية", Charity, "", true)
		other := s.org(t, owner, platform, "أخرى", Charity, "", true)
		s.join(t, o, admin, RoleAdmin)
		s.join(t, o, member, RoleMember)

		secret := s.invite(t, owner, o, "a@example.com", RoleCoordinator)
		s.invite(t, owner, o, "boss@example.com", RoleOwner)
		open, err := s.svc.Invitations(s.ctx, owner, o.ID)
		if err != nil || len(open) != 2 {
			t.Fatalf("Invitations = %+v, %v", open, err)
		}
		idOf := map[string]string{}
		for _, inv := range open {
			idOf[inv.Email] = inv.ID
		}
		invID := idOf["a@example.com"]

		for name, tc := range map[string]struct {
			actor    *httpx.Viewer
			org, inv string
			want     error
		}{
			"member":              {member, o.ID, invID, httpx.ErrForbidden},
			"platform admin":      {platform, o.ID, invID, httpx.ErrForbidden},
			"anonymous":           {nil, o.ID, invID, httpx.ErrUnauthorized},
			"admin, owner invite": {admin, o.ID, idOf["boss@example.com"], ErrOwnerOnly},
			"through another org": {owner, other.ID, invID, ErrInvitationNotOpen},
			"unknown":             {owner, o.ID, db.NewID(), ErrInvitationNotOpen},
		} {
			if err := s.svc.RevokeInvitation(s.ctx, tc.actor, tc.org, tc.inv); !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", name, err, tc.want)
			}
		}

		// The members page offers to withdraw what the viewer may.
		page := "/organisations/" + o.ID + "/members"
		revoke := "/organisations/" + o.ID + "/invitations/" + invID + "/revoke"
		for _, lang := range langs {
			s.get(t, page, owner, lang).expect(t, http.StatusOK, lang, "org.invite.revoke", revoke, "/invitations/"+idOf["boss@example.com"]+"/revoke")
		}
		if res := s.get(t, page, admin, i18n.EN); !strings.Contains(res.body, revoke) || strings.Contains(res.body, idOf["boss@example.com"]+"/revoke") {
			t.Errorf("an admin's revoke buttons are wrong")
		}

		res := s.post(t, revoke, nil, admin, i18n.EN)
		if res.redirect(t, page); res.flash() != "ok:org.flash.invite_revoked" {
			t.Errorf("flash = %q", res.flash())
		}
		if _, err := s.svc.InvitationBySecret(s.ctx, secret); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("a revoked link still shows: %v", err)
		}
		a := s.user(t, "A", false)
		if _, _, err := s.svc.Accept(s.ctx, a, secret); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("a revoked link still accepts: %v", err)
		}
		s.get(t, "/invitations/"+secret, a, i18n.AR).expect(t, http.StatusNotFound, i18n.AR, "org.invite.invalid")
		if res := s.get(t, page, owner, i18n.EN); strings.Contains(res.body, "a@example.com") {
			t.Error("a revoked invitation is still listed")
		}
		res = s.post(t, revoke, nil, owner, i18n.EN)
		if res.redirect(t, page); res.flash() != "error:org.invite.not_open" {
			t.Errorf("revoking twice: flash %q", res.flash())
		}
		entries, _ := audit.List(s.ctx, d.R, audit.Filter{OrgID: o.ID, Action: "member.invite_revoke"})
		if len(entries) != 1 || entries[0].ActorID != admin.ID || entries[0].TargetID != invID || entries[0].Details["email"] != "a@example.com" {
			t.Errorf("member.invite_revoke entries = %+v", entries)
		}
		if err := s.svc.RevokeInvitation(s.ctx, owner, o.ID, idOf["boss@example.com"]); err != nil {
			t.Errorf("owner revokes an owner invitation: %v", err)
		}
		s.post(t, revoke, nil, member, i18n.EN).expect(t, http.StatusForbidden, i18n.EN)

		// A pending organisation is not revealed by its revoke route.
		p := s.org(t, owner, platform, "معلقة", Charity, "", false)
		s.invite(t, owner, p, "x@example.com", RoleMember)
		open, _ = s.svc.Invitations(s.ctx, owner, p.ID)
		stranger := s.user(t, "Stranger", false)
		s.post(t, "/organisations/"+p.ID+"/invitations/"+open[0].ID+"/revoke", nil, stranger, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)
		s.post(t, "/organisations/"+p.ID+"/invitations", url.Values{"email": {"y@example.com"}, "role": {"member"}}, stranger, i18n.EN).
			expect(t, http.StatusNotFound, i18n.EN)
	})
}

func TestEditOfVerifiedOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		platform, owner := f.user(t, "Platform", true), f.user(t, "Owner", false)
		o := f.org(t, owner, platform, "جمعية البر", Charity, "", true)
		in := Input{NameAr: "جمعية البر", NameEn: "جمعية البر", Type: Charity}
		lastUpdate := func() audit.Entry {
			t.Helper()
			es, err := audit.List(f.ctx, d.R, audit.Filter{OrgID: o.ID, Action: "org.update", Limit: 1})
			if err != nil || len(es) != 1 {
				t.Fatalf("org.update entries: %v, %v", es, err)
			}
			return es[0]
		}
		status := func() Status {
			t.Helper()
			got, err := orgByID(f.ctx, d.R, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		reverify := func() {
			t.Helper()
			if err := f.svc.Verify(f.ctx, platform, o.ID); err != nil {
				t.Fatal(err)
			}
		}

		// Contact details: still verified, the change recorded.
		in.Phone = "0501234567"
		got, requeued, err := f.svc.updateOrg(f.ctx, owner, o.ID, in)
		if err != nil || requeued || got.Status != Verified || status() != Verified {
			t.Fatalf("contact edit: %+v, %v, %v", got, requeued, err)
		}
		if e := lastUpdate(); e.Details["old_phone"] != "" || e.Details["new_phone"] != "0501234567" || e.Details["new_status"] != "" || len(e.Details) != 2 {
			t.Errorf("contact edit details = %v", e.Details)
		}

		for name, change := range map[string]func(*Input){
			"name_ar": func(in *Input) { in.NameAr = "جمعية البر الخيرية" },
			"name_en": func(in *Input) { in.NameEn = "Al Birr" },
			"type":    func(in *Input) { in.Type = VolunteerTeam },
		} {
			before, _ := orgByID(f.ctx, d.R, o.ID)
			change(&in)
			got, requeued, err := f.svc.updateOrg(f.ctx, owner, o.ID, in)
			if err != nil || !requeued || got.Status != Pending || got.VerifiedAt != nil || status() != Pending {
				t.Errorf("%s changed: %+v, %v, %v", name, got, requeued, err)
			}
			old := map[string]string{"name_ar": before.NameAr, "name_en": before.NameEn, "type": string(before.Type)}[name]
			now := map[string]string{"name_ar": in.NameAr, "name_en": in.NameEn, "type": string(in.Type)}[name]
			if e := lastUpdate(); e.Details["old_"+name] != old || e.Details["new_"+name] != now ||
				e.Details["old_status"] != "verified" || e.Details["new_status"] != "pending" || len(e.Details) != 4 {
				t.Errorf("%s changed: details %v", name, e.Details)
			}
			if pg, _ := f.svc.ListVerified(f.ctx, ListFilter{}); len(pg.Items) != 0 {
				t.Errorf("%s changed: still listed publicly", name)
			}
			if _, err := f.svc.Org(f.ctx, nil, o.ID); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s changed: still public: %v", name, err)
			}
			// A pending organisation edited again stays pending, no status change recorded.
			in.Description = "وصف " + name
			if _, requeued, err := f.svc.updateOrg(f.ctx, owner, o.ID, in); err != nil || requeued || status() != Pending || lastUpdate().Details["new_status"] != "" {
				t.Errorf("%s: editing a pending organisation: %v, %v", name, requeued, err)
			}
			reverify()
		}

		// A platform admin's edit keeps the verification.
		in.NameEn = "Birr Charity"
		if got, requeued, err := f.svc.updateOrg(f.ctx, platform, o.ID, in); err != nil || requeued || got.Status != Verified || status() != Verified {
			t.Errorf("platform admin renames: %+v, %v, %v", got, requeued, err)
		}
		if e := lastUpdate(); e.Details["new_name_en"] != "Birr Charity" || e.Details["new_status"] != "" {
			t.Errorf("platform admin rename details = %v", e.Details)
		}
	})
}

func TestRateLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner, other := s.user(t, "Platform", true), s.user(t, "Owner", false), s.user(t, "Other", false)
		start := time.Now().UTC()
		s.svc.now = func() time.Time { return start }
		limited := func(err error) bool {
			he := httpx.As(err)
			return he.Status == http.StatusTooManyRequests && he.RetryAfter > 0
		}

		// Organisations: five a day per person; refused attempts do not count.
		for i := range CreatesPerDay {
			if _, err := s.svc.CreateOrg(s.ctx, owner, Input{NameAr: "", Type: Charity}); err == nil {
				t.Fatal("invalid organisation created")
			}
			if _, err := s.svc.CreateOrg(s.ctx, owner, Input{NameAr: "جمعية " + strconv.Itoa(i), Type: Charity}); err != nil {
				t.Fatalf("organisation %d: %v", i+1, err)
			}
		}
		if _, err := s.svc.CreateOrg(s.ctx, owner, Input{NameAr: "سادسة", Type: Charity}); !limited(err) {
			t.Errorf("sixth organisation in a day: %v", err)
		}
		code, body := s.api(t, "POST", "/api/v1/organisations", `{"name_ar":"سابعة","type":"charity"}`, owner, i18n.EN)
		if code != http.StatusTooManyRequests || body["type"] != "/problems/rate-limited" {
			t.Errorf("API create over the limit: %d %v", code, body)
		}
		s.post(t, "/organisations/new", url.Values{"name_ar": {"ثامنة"}, "type": {"charity"}}, owner, i18n.AR).
			expect(t, http.StatusTooManyRequests, i18n.AR, "error.too_many_requests")
		if mine, _ := s.svc.UserOrgs(s.ctx, owner.ID); len(mine) != CreatesPerDay {
			t.Errorf("owner has %d organisations", len(mine))
		}
		if _, err := s.svc.CreateOrg(s.ctx, other, Input{NameAr: "جمعية أخرى", Type: Charity}); err != nil {
			t.Errorf("another person: %v", err)
		}
		s.svc.now = func() time.Time { return start.Add(25 * time.Hour) }
		if _, err := s.svc.CreateOrg(s.ctx, owner, Input{NameAr: "في اليوم التالي", Type: Charity}); err != nil {
			t.Errorf("the next day: %v", err)
		}

		// Invitations: five a day while pending, fifty once verified, per organisation.
		s.svc.now = func() time.Time { return start.Add(48 * time.Hour) }
		mine, _ := s.svc.UserOrgs(s.ctx, owner.ID)
		p, q := &mine[0].Org, &mine[1].Org
		invite := func(o *Org, i int) error {
			_, err := s.svc.Invite(s.ctx, owner, o.ID, InviteInput{Email: "p" + strconv.Itoa(i) + "@example.com", Role: RoleMember}, enLoc)
			return err
		}
		for i := range UnverifiedInvitesPerDay {
			if err := invite(p, i); err != nil {
				t.Fatalf("pending invitation %d: %v", i+1, err)
			}
		}
		if err := invite(p, 99); !limited(err) {
			t.Errorf("sixth invitation of a pending organisation: %v", err)
		}
		res := s.post(t, "/organisations/"+p.ID+"/invitations", url.Values{"email": {"z@example.com"}, "role": {"member"}}, owner, i18n.EN)
		res.expect(t, http.StatusTooManyRequests, i18n.EN, "error.too_many_requests")
		if res.Header().Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if err := invite(q, 0); err != nil {
			t.Errorf("another organisation's allowance: %v", err)
		}
		if err := s.svc.Reject(s.ctx, platform, q.ID); err != nil {
			t.Fatal(err)
		}
		for i := 1; i < UnverifiedInvitesPerDay; i++ {
			if err := invite(q, i); err != nil {
				t.Fatalf("rejected organisation's invitation %d: %v", i+1, err)
			}
		}
		if err := invite(q, 99); !limited(err) {
			t.Errorf("sixth invitation of a rejected organisation: %v", err)
		}
		if err := s.svc.Verify(s.ctx, platform, p.ID); err != nil {
			t.Fatal(err)
		}
		for i := UnverifiedInvitesPerDay; i < InvitesPerDay; i++ {
			if err := invite(p, i); err != nil {
				t.Fatalf("verified invitation %d: %v", i+1, err)
			}
		}
		if err := invite(p, 99); !limited(err) {
			t.Errorf("invitation %d of a verified organisation: %v", InvitesPerDay+1, err)
		}
		s.svc.now = func() time.Time { return start.Add(73 * time.Hour) }
		if err := invite(p, 99); err != nil {
			t.Errorf("the next day: %v", err)
		}
	})
}

func TestControlCharactersAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner := s.user(t, "Platform", true), s.user(t, "Owner", false)

		for name, tc := range map[string]struct {
			in         Input
			field, msg string
		}{
			"line break in name_ar": {Input{NameAr: "جمعية\nالبر", Type: Charity}, "name_ar", "org.error.control"},
			"carriage return":       {Input{NameAr: "جمعية\rالبر", Type: Charity}, "name_ar", "org.error.control"},
			"tab in name_en":        {Input{NameAr: "جمعية", NameEn: "Al\tBirr", Type: Charity}, "name_en", "org.error.control"},
			"NUL in name_en":        {Input{NameAr: "جمعية", NameEn: "Al\x00Birr", Type: Charity}, "name_en", "org.error.control"},
			"invalid UTF-8":         {Input{NameAr: "جمعية\xff", Type: Charity}, "name_ar", "org.error.control"},
			"C1 control":            {Input{NameAr: "جم\u0085عية\u009b", Type: Charity}, "name_ar", "org.error.control"},
			"tab in description":    {Input{NameAr: "جمعية", Type: Charity, Description: "a\tb"}, "description", "org.error.control_text"},
			"NUL in description":    {Input{NameAr: "جمعية", Type: Charity, Description: "a\x00b"}, "description", "org.error.control_text"},
			"bad place id":          {Input{NameAr: "جمعية", Type: Charity, HomePlaceID: "\xff"}, "home_place_id", "org.error.place_unknown"},
			"bad service area":      {Input{NameAr: "جمعية", Type: Charity, ServiceAreas: []string{"a\x00"}}, "service_areas", "org.error.place_unknown"},
		} {
			_, err := s.svc.CreateOrg(s.ctx, owner, tc.in)
			if he := httpx.As(err); he.Status != http.StatusUnprocessableEntity || he.Fields[tc.field] != tc.msg {
				t.Errorf("%s: %v %v", name, err, he.Fields)
			}
		}
		o, err := s.svc.CreateOrg(s.ctx, owner, Input{NameAr: "جمعية", Type: Charity, Description: "سطر\r\nوسطر\rوثالث\n"})
		if err != nil || o.Description != "سطر\nوسطر\nوثالث" {
			t.Errorf("description with line breaks: %q, %v", o.Description, err)
		}

		// Through the page and the API: a clear message, never a 500.
		for _, lang := range langs {
			s.post(t, "/organisations/new", url.Values{"name_ar": {"جمعية\r\nالبر"}, "type": {"charity"}}, owner, lang).
				expect(t, http.StatusUnprocessableEntity, lang, "org.error.control", "error.form")
		}
		if code, body := s.api(t, "POST", "/api/v1/organisations", `{"name_ar":"a\u0000b","type":"charity"}`, owner, i18n.EN); code != 422 ||
			body["errors"].(map[string]any)["name_ar"] != enLoc.T("org.error.control") {
			t.Errorf("API: %d %v", code, body)
		}

		// A name stored before the check still gives a working invitation.
		if _, err := d.W.ExecContext(s.ctx, `UPDATE organisations SET name_ar = $1, name_en = $1 WHERE id = $2`, "جمعية\r\nالبر", o.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Invite(s.ctx, owner, o.ID, InviteInput{Email: "x@example.com", Role: RoleMember}, enLoc); err != nil {
			t.Errorf("invitation from an organisation with a line break in its name: %v", err)
		}
		if m := s.mail.last(t); strings.ContainsAny(m.subject, "\r\n") || !strings.Contains(m.subject, "جمعية") {
			t.Errorf("subject = %q", m.subject)
		}

		// Place names on import.
		rep, err := s.svc.ImportPlacesCSV(s.ctx, strings.NewReader(samplePlaces+"SA-02,SA,region,\"منطقة\nمكة\",Makkah,,\nSA-04,SA,region,الشرقية,\"East\tern\",,\n"), platform.ID)
		if !errors.Is(err, ErrImportRejected) || len(rep.Errors) != 2 ||
			rep.Errors[0].Field != "name_ar" || rep.Errors[0].MsgID != "org.error.control" || rep.Errors[1].Field != "name_en" || rep.Errors[1].MsgID != "org.error.control" {
			t.Errorf("import: %+v, %v", rep, err)
		}
		if _, err := s.svc.CreatePlace(s.ctx, PlaceInput{Level: Country, Code: "EG", NameAr: "مصر\x00"}, ""); httpx.As(err).Fields["name_ar"] != "org.error.control" {
			t.Errorf("CreatePlace: %v", err)
		}

		// Ids that no database could hold are unknown, not a server error.
		for path, want := range map[string]int{
			"/organisations/%FF":                http.StatusNotFound,
			"/organisations/%00/edit":           http.StatusNotFound,
			"/organisations/%FF/members":        http.StatusNotFound,
			"/api/v1/organisations/%FF":         http.StatusNotFound,
			"/api/v1/organisations/%FF/members": http.StatusNotFound,
			"/places?parent=%FF":                http.StatusNotFound,
			"/api/v1/places/%00":                http.StatusNotFound,
			"/organisations?place=%FF":          http.StatusBadRequest,
			"/api/v1/organisations?after=%00":   http.StatusBadRequest,
		} {
			if res := s.get(t, path, owner, i18n.EN); res.Code != want {
				t.Errorf("%s: %d, want %d", path, res.Code, want)
			}
		}
		if res := s.post(t, "/organisations/"+o.ID+"/invitations/%FF/revoke", nil, owner, i18n.EN); res.flash() != "error:org.invite.not_open" {
			t.Errorf("revoke of a bad id: %d %q", res.Code, res.flash())
		}
		if res := s.post(t, "/organisations/"+o.ID+"/members/%FF/role", url.Values{"role": {"member"}}, owner, i18n.EN); res.flash() != "error:org.error.not_member" {
			t.Errorf("role of a bad id: %d %q", res.Code, res.flash())
		}
	})
}

// TestAcceptNeedsAConfirmedAddress: whoever registered an address first must
// not collect the invitations sent to it before confirming it is theirs.
func TestAcceptNeedsAConfirmedAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		platform, owner := s.user(t, "Platform", true), s.user(t, "Owner", false)
		o := s.org(t, owner, platform, "جمعية الوفاء", Charity, "", true)
		joiner := s.user(t, "Joiner", false)
		secret := s.invite(t, owner, o, joiner.Email, RoleMember)
		unconfirmed := *joiner
		unconfirmed.EmailVerified = false
		if _, _, err := s.svc.Accept(s.ctx, &unconfirmed, secret); !errors.Is(err, ErrEmailUnverified) {
			t.Fatalf("accept with an unconfirmed address: %v", err)
		}
		if _, joined, err := s.svc.Accept(s.ctx, joiner, secret); err != nil || !joined {
			t.Fatalf("the invitation did not stay open for the confirmed owner: %v %v", joined, err)
		}
	})
}
