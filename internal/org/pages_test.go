package org

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
)

func TestOrganisationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		ids := s.places(t)
		admin, owner, stranger := s.user(t, "Admin", true), s.user(t, "Owner", false), s.user(t, "Stranger", false)

		for _, lang := range langs {
			s.get(t, "/organisations", nil, lang).expect(t, http.StatusOK, lang, "org.list.title", "org.list.none")
		}
		s.get(t, "/organisations/new", nil, i18n.AR).redirect(t, "/signin?next=")
		s.get(t, "/organisations/new", owner, i18n.AR).expect(t, http.StatusOK, i18n.AR, "org.new.title", "قباء", "المدينة المنورة — قباء")
		s.get(t, "/organisations/new", owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.new.title", "Madinah — Quba", "org.type.care_elderly")

		bad := url.Values{"name_ar": {""}, "type": {"charity"}, "email": {"nope"}}
		for _, lang := range langs {
			s.post(t, "/organisations/new", bad, owner, lang).expect(t, http.StatusUnprocessableEntity, lang, "error.required", "error.email", "error.form")
		}
		form := url.Values{"name_ar": {"جمعية البر"}, "name_en": {"Al Birr Society"}, "type": {"charity"}, "home_place_id": {ids["SA-03-MED"]},
			"service_areas": {ids["SA-03-MED-QBA"], ids["SA-03-MED-AZZ"]}, "description": {"نخدم الأسر المحتاجة"}}
		res := s.post(t, "/organisations/new", form, owner, i18n.AR)
		page := res.redirect(t, "/organisations/")
		if res.flash() != "ok:org.flash.created" {
			t.Errorf("flash = %q", res.flash())
		}
		id := strings.TrimPrefix(page, "/organisations/")

		// Pending: members and platform admins only, with a badge.
		s.get(t, page, owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Al Birr Society", "org.status.pending", "org.show.pending_note", "Quba", "org.edit.link")
		s.get(t, page, admin, i18n.AR).expect(t, http.StatusOK, i18n.AR, "جمعية البر", "org.status.pending", "org.admin.verify")
		s.get(t, page, stranger, i18n.AR).expect(t, http.StatusNotFound, i18n.AR, "error.not_found")
		s.get(t, page, nil, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)
		s.get(t, page+"/edit", stranger, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)
		s.get(t, page+"/members", stranger, i18n.AR).expect(t, http.StatusNotFound, i18n.AR)

		// The verification queue.
		s.get(t, "/admin/organisations", admin, i18n.AR).expect(t, http.StatusOK, i18n.AR, "org.admin.title", "جمعية البر")
		s.get(t, "/admin/organisations", admin, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.admin.title", "Al Birr Society")
		s.get(t, "/admin/organisations", owner, i18n.AR).expect(t, http.StatusForbidden, i18n.AR)
		s.post(t, "/admin/organisations/"+id+"/verify", nil, owner, i18n.AR).expect(t, http.StatusForbidden, i18n.AR)
		res = s.post(t, "/admin/organisations/"+id+"/verify", nil, admin, i18n.AR)
		res.redirect(t, "/admin/organisations")
		if res.flash() != "ok:org.flash.verified" {
			t.Errorf("flash = %q", res.flash())
		}
		s.get(t, "/admin/organisations", admin, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.admin.none")
		s.post(t, "/admin/organisations/"+id+"/reject", nil, admin, i18n.AR).redirect(t, "/admin/organisations")

		// Verified: public, listed, filtered by type and place.
		s.get(t, page, nil, i18n.AR).expect(t, http.StatusOK, i18n.AR, "جمعية البر", "org.status.verified", "نخدم الأسر المحتاجة")
		for _, lang := range langs {
			s.get(t, "/organisations", nil, lang).expect(t, http.StatusOK, lang, "org.type.charity")
		}
		s.get(t, "/organisations", stranger, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Al Birr Society")
		s.get(t, "/organisations", owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.list.mine", "org.role.owner")
		s.get(t, "/organisations?place="+ids["SA-03"], nil, i18n.AR).expect(t, http.StatusOK, i18n.AR, "جمعية البر")
		s.get(t, "/organisations?place="+ids["SA-01"], nil, i18n.AR).expect(t, http.StatusOK, i18n.AR, "org.list.none_filtered")
		s.get(t, "/organisations?type=school", nil, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.list.none_filtered")

		// Editing.
		s.get(t, page+"/edit", stranger, i18n.AR).expect(t, http.StatusForbidden, i18n.AR, "error.forbidden")
		s.get(t, page+"/edit", nil, i18n.AR).redirect(t, "/signin")
		s.get(t, page+"/edit", owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.edit.title", "Al Birr Society")
		form.Set("name_en", "Birr Charity")
		s.post(t, page+"/edit", form, stranger, i18n.EN).expect(t, http.StatusForbidden, i18n.EN)
		form.Set("phone", "phone?")
		s.post(t, page+"/edit", form, owner, i18n.EN).expect(t, http.StatusUnprocessableEntity, i18n.EN, "org.error.phone")
		form.Set("phone", "٠٥٠ ١٢٣ ٤٥٦٧")
		form.Set("name_en", "Al Birr Society")
		res = s.post(t, page+"/edit", form, owner, i18n.EN)
		if res.redirect(t, page); res.flash() != "ok:org.flash.saved" {
			t.Errorf("flash after a contact edit = %q", res.flash())
		}
		s.get(t, page, nil, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Al Birr Society", "050 123 4567", "org.status.verified")
		// A new name needs a new verification.
		form.Set("name_en", "Birr Charity")
		res = s.post(t, page+"/edit", form, owner, i18n.EN)
		if res.redirect(t, page); res.flash() != "ok:org.flash.saved_pending" {
			t.Errorf("flash after a rename = %q", res.flash())
		}
		s.get(t, page, nil, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)
		s.get(t, page, owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Birr Charity", "org.status.pending")
		s.post(t, "/admin/organisations/"+id+"/verify", nil, admin, i18n.AR).redirect(t, "/admin/organisations")
		s.get(t, page, nil, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Birr Charity", "050 123 4567")
		s.get(t, "/organisations/nope", owner, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)
	})
}

func TestMemberPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		admin, owner, member, stranger := s.user(t, "Admin", true), s.user(t, "Owner Person", false), s.user(t, "Member Person", false), s.user(t, "Stranger", false)
		o := s.org(t, owner, admin, "جمعية البر", Charity, "", true)
		s.join(t, o, member, RoleMember)
		page := "/organisations/" + o.ID + "/members"

		for _, lang := range langs {
			s.get(t, page, owner, lang).expect(t, http.StatusOK, lang, "Owner Person", "Member Person", "org.invite.form_title", "org.invite.none", "org.members.change", "org.role.member")
		}
		s.get(t, page, admin, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Member Person")
		s.get(t, page, member, i18n.AR).expect(t, http.StatusForbidden, i18n.AR, "error.forbidden")
		s.get(t, page, stranger, i18n.EN).expect(t, http.StatusForbidden, i18n.EN)
		s.get(t, page, nil, i18n.EN).redirect(t, "/signin")
		s.get(t, "/organisations/nope/members", owner, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)

		// Inviting.
		s.post(t, "/organisations/"+o.ID+"/invitations", url.Values{"email": {"bad"}, "role": {"member"}}, owner, i18n.AR).
			expect(t, http.StatusUnprocessableEntity, i18n.AR, "error.email")
		s.post(t, "/organisations/"+o.ID+"/invitations", url.Values{"email": {"x@example.com"}, "role": {"member"}}, member, i18n.AR).
			expect(t, http.StatusForbidden, i18n.AR)
		s.post(t, "/organisations/"+o.ID+"/invitations", url.Values{"email": {"joiner@example.com"}, "role": {"coordinator"}}, owner, i18n.EN).redirect(t, page)
		mail := s.mail.last(t)
		if !strings.Contains(mail.text, "Volunteer coordinator") {
			t.Errorf("the invitation is not in the inviter's language: %q", mail.text)
		}
		s.get(t, page, owner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.invite.pending", "joiner@example.com")
		link := "/invitations/" + linkSecret(t, mail.text)

		for _, lang := range langs {
			s.get(t, link, nil, lang).expect(t, http.StatusOK, lang, "org.invite.title", "org.invite.signin_first", "جمعية البر", "/signin?next=")
			s.get(t, "/invitations/nope", nil, lang).expect(t, http.StatusNotFound, lang, "org.invite.invalid")
		}
		joiner := s.user(t, "Joiner", false)
		s.get(t, link, joiner, i18n.EN).expect(t, http.StatusOK, i18n.EN, "org.invite.accept", "Owner Person")
		s.post(t, link, nil, nil, i18n.EN).expect(t, http.StatusUnauthorized, i18n.EN)
		res := s.post(t, link, nil, joiner, i18n.EN)
		res.redirect(t, "/organisations/"+o.ID)
		if res.flash() != "ok:org.flash.joined" {
			t.Errorf("flash = %q", res.flash())
		}
		if r, _ := s.svc.RoleOf(s.ctx, joiner, o.ID); r != RoleCoordinator {
			t.Errorf("joiner's role = %q", r)
		}
		s.get(t, link, joiner, i18n.EN).expect(t, http.StatusNotFound, i18n.EN)

		// Roles and removal.
		role := "/organisations/" + o.ID + "/members/" + member.ID + "/role"
		s.post(t, role, url.Values{"role": {"case_worker"}}, joiner, i18n.AR).expect(t, http.StatusForbidden, i18n.AR)
		s.post(t, role, url.Values{"role": {"case_worker"}}, owner, i18n.AR).redirect(t, page)
		if r, _ := s.svc.RoleOf(s.ctx, member, o.ID); r != RoleCaseWorker {
			t.Errorf("member's role = %q", r)
		}
		res = s.post(t, "/organisations/"+o.ID+"/members/"+owner.ID+"/remove", nil, owner, i18n.AR)
		res.redirect(t, page)
		if res.flash() != "error:org.error.last_owner" {
			t.Errorf("last owner leaving: flash %q", res.flash())
		}
		res = s.post(t, "/organisations/"+o.ID+"/members/"+owner.ID+"/role", url.Values{"role": {"member"}}, owner, i18n.AR)
		if res.redirect(t, page); res.flash() != "error:org.error.own_role" {
			t.Errorf("own role: flash %q", res.flash())
		}
		s.post(t, "/organisations/"+o.ID+"/members/"+member.ID+"/remove", nil, owner, i18n.EN).redirect(t, page)
		s.post(t, "/organisations/"+o.ID+"/members/"+joiner.ID+"/remove", nil, joiner, i18n.EN).redirect(t, "/organisations")
		if ms, _ := s.svc.Members(s.ctx, owner, o.ID); len(ms) != 1 {
			t.Errorf("members left: %v", ms)
		}
	})
}

func TestPlacePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newServer(t, d)
		admin, someone := s.user(t, "Admin", true), s.user(t, "Someone", false)
		for _, lang := range langs {
			s.get(t, "/places", nil, lang).expect(t, http.StatusOK, lang, "org.places.title", "org.places.none")
		}

		// Importing.
		s.get(t, "/admin/places/import", nil, i18n.AR).redirect(t, "/signin")
		s.get(t, "/admin/places/import", someone, i18n.AR).expect(t, http.StatusForbidden, i18n.AR)
		s.post(t, "/admin/places/import", url.Values{"csv": {samplePlaces}}, someone, i18n.AR).expect(t, http.StatusForbidden, i18n.AR)
		for _, lang := range langs {
			s.get(t, "/admin/places/import", admin, lang).expect(t, http.StatusOK, lang, "org.import.title", "org.import.intro")
			s.post(t, "/admin/places/import", url.Values{"csv": {"code,name\nSA,x\n"}}, admin, lang).
				expect(t, http.StatusUnprocessableEntity, lang, "org.import.error.header", "org.import.line")
			s.post(t, "/admin/places/import", url.Values{"csv": {samplePlaces + "SA-09,SA,city,س,,,\n"}}, admin, lang).
				expect(t, http.StatusUnprocessableEntity, lang, "org.place.error.parent_level", "parent_code")
		}
		s.upload(t, "/admin/places/import", "file", samplePlaces, admin, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Import finished: 8 created, 0 updated, 0 unchanged.")
		s.post(t, "/admin/places/import", url.Values{"csv": {samplePlaces}}, admin, i18n.AR).
			expect(t, http.StatusOK, i18n.AR, "اكتمل الاستيراد: أُنشئ 0، وحُدّث 0، وبقي 8 دون تغيير.")

		// Browsing.
		all, _ := allPlaces(s.ctx, d.R)
		ids := map[string]string{}
		for _, p := range all {
			ids[p.Code] = p.ID
		}
		s.get(t, "/places", nil, i18n.AR).expect(t, http.StatusOK, i18n.AR, "السعودية")
		s.get(t, "/places?parent="+ids["SA"], nil, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Madinah Region", "Riyadh Region", "org.level.region")
		s.get(t, "/places?parent="+ids["SA-03-MED"], nil, i18n.EN).expect(t, http.StatusOK, i18n.EN, "Saudi Arabia", "Madinah Region", "Quba", "Al Aziziyah", "org.places.orgs_here")
		s.get(t, "/places?parent="+ids["SA-03-MED-QBA-N1"], nil, i18n.AR).expect(t, http.StatusOK, i18n.AR, "قباء", "org.places.no_children")
		s.get(t, "/places?parent=nope", nil, i18n.AR).expect(t, http.StatusNotFound, i18n.AR)
	})
}
