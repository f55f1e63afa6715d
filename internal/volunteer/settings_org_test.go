package volunteer_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

func profOrgVolunteeringSettings(t *testing.T, e *profEnv) {
	owner := e.user("Owner", "owner@example.org", i18n.EN)
	orgAdmin := e.user("Org admin", "orgadmin@example.org", i18n.EN)
	coord := e.user("Coordinator", "coord@example.org", i18n.EN)
	member := e.user("Member", "member@example.org", i18n.EN)
	outsider := e.user("Outsider", "outsider@example.org", i18n.EN)
	o := e.org(owner, "جمعية البر", "Al-Birr Society")
	e.join(o, orgAdmin, org.RoleAdmin)
	e.join(o, coord, org.RoleCoordinator)
	e.join(o, member, org.RoleMember)
	path := "/organisations/" + o.ID + "/volunteering/settings"
	good := url.Values{"hours_approval": {"auto"}, "no_show_limit": {"٥"}, "no_show_window_days": {"60"}, "checkin_grace_minutes": {"15"}}

	// The defaults, to an owner.
	ob := e.browser(owner, i18n.EN)
	r := ob.get(path)
	if r.StatusCode != 200 || !strings.Contains(r.body, "Volunteering settings") || !strings.Contains(r.body, `<option value="review" selected>`) ||
		!strings.Contains(r.body, `name="no_show_limit" type="text" value="3"`) || !strings.Contains(r.body, `value="90"`) || !strings.Contains(r.body, `value="30"`) {
		t.Fatalf("owner's form: %d\n%.3000s", r.StatusCode, r.body)
	}

	// Members who are not owners or admins get 403, and nothing changes.
	for name, u := range map[string]*httpx.Viewer{"member": member.Viewer(), "coordinator": coord.Viewer(), "outsider": outsider.Viewer(), "platform admin": e.admin} {
		var b *profBrowser
		switch name {
		case "member":
			b = e.browser(member, i18n.AR)
		case "coordinator":
			b = e.browser(coord, i18n.AR)
		case "outsider":
			b = e.browser(outsider, i18n.AR)
		default:
			b = e.browser(&account.User{ID: e.admin.ID, Email: e.admin.Email, Name: e.admin.Name, IsAdmin: true}, i18n.AR)
		}
		if r := b.get(path); r.StatusCode != 403 {
			t.Errorf("%s GET: %d", name, r.StatusCode)
		}
		if r := b.post(path, good); r.StatusCode != 403 {
			t.Errorf("%s POST: %d", name, r.StatusCode)
		}
		if err := e.a.Volunteer.SaveOrgSettings(e.ctx, u, o.ID, volunteer.OrgSettingsInput{HoursApproval: volunteer.AutoApproval, NoShowWindowDays: 30}); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("%s through the service: %v", name, err)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM org_volunteer_settings WHERE org_id = $1`, o.ID); n != 0 {
		t.Fatalf("a refused change saved settings")
	}
	for u, want := range map[*httpx.Viewer]bool{owner.Viewer(): true, orgAdmin.Viewer(): true, coord.Viewer(): false, member.Viewer(): false, e.admin: false, nil: false} {
		if ok, err := e.a.Volunteer.CanEditOrgSettings(e.ctx, u, o.ID); ok != want || err != nil {
			t.Errorf("CanEditOrgSettings(%v) = %v, %v; want %v", u, ok, err, want)
		}
	}
	if r := e.browser(nil, i18n.EN).get(path); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
		t.Errorf("anonymous: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := ob.get("/organisations/nope/volunteering/settings"); r.StatusCode != 404 {
		t.Errorf("unknown organisation: %d", r.StatusCode)
	}

	// Every bad value is named, in both languages.
	bad := url.Values{"hours_approval": {"sometimes"}, "no_show_limit": {"21"}, "no_show_window_days": {"0"}, "checkin_grace_minutes": {"soon"}}
	for _, lang := range []i18n.Lang{i18n.AR, i18n.EN} {
		r := e.browser(owner, lang).post(path, bad)
		if r.StatusCode != 422 {
			t.Fatalf("%s bad settings: %d", lang, r.StatusCode)
		}
		profFieldError(t, r.body, "hours_approval", "error.choice", lang)
		profFieldError(t, r.body, "no_show_limit", "volunteer.orgsettings.error.no_show_limit", lang)
		profFieldError(t, r.body, "no_show_window_days", "volunteer.orgsettings.error.window", lang)
		profFieldError(t, r.body, "checkin_grace_minutes", "error.number", lang)
	}
	r = ob.post(path, url.Values{"hours_approval": {"auto"}, "no_show_limit": {"3"}, "no_show_window_days": {"90"}, "checkin_grace_minutes": {"721"}})
	profFieldError(t, r.body, "checkin_grace_minutes", "volunteer.orgsettings.error.grace", i18n.EN)
	if n := e.count(`SELECT COUNT(*) FROM org_volunteer_settings WHERE org_id = $1`, o.ID); n != 0 {
		t.Fatalf("refused values were saved")
	}

	// Saved (Arabic-Indic digits read), shown again, audited; a second save updates.
	if r := ob.post(path, good); r.StatusCode != 303 || r.Header.Get("Location") != path {
		t.Fatalf("save: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r = ob.get(path)
	if !strings.Contains(r.body, `<option value="auto" selected>`) || !strings.Contains(r.body, `name="no_show_limit" type="text" value="5"`) ||
		!strings.Contains(r.body, `value="60"`) || !strings.Contains(r.body, `value="15"`) {
		t.Fatalf("saved values not shown:\n%.3000s", r.body)
	}
	if err := e.a.Volunteer.SaveOrgSettings(e.ctx, orgAdmin.Viewer(), o.ID, volunteer.OrgSettingsInput{HoursApproval: volunteer.ReviewApproval,
		NoShowLimit: 0, NoShowWindowDays: 30, CheckinGraceMinutes: 0}); err != nil {
		t.Fatalf("an organisation admin: %v", err)
	}
	got, err := e.a.Volunteer.OrgSettings(e.ctx, owner.Viewer(), o.ID)
	if err != nil || got != (volunteer.OrgSettingsInput{HoursApproval: volunteer.ReviewApproval, NoShowWindowDays: 30}) {
		t.Fatalf("after the second save: %+v %v", got, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM org_volunteer_settings WHERE org_id = $1`, o.ID); n != 1 {
		t.Errorf("%d settings rows", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.settings' AND org_id = $1`, o.ID); n != 2 {
		t.Errorf("%d audit entries", n)
	}
}
