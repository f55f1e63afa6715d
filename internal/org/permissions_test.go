package org

import (
	"errors"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

// expected is the permission matrix written out by hand: for each action,
// whether owner, admin, coordinator, case worker and member may do it.
type matrixRow struct {
	action                                        Action
	owner, admin, coordinator, caseWorker, member bool
}

var expected = []matrixRow{
	{ViewOrg, true, true, true, true, true},
	{EditOrg, true, true, false, false, false},
	{ViewMembers, true, true, true, true, false},
	{InviteMember, true, true, false, false, false},
	{ChangeRole, true, true, false, false, false},
	{RemoveMember, true, true, false, false, false},
	{ManageVolunteering, true, true, true, false, false},
	{ViewCases, true, true, false, true, false},
	{ManageCases, true, true, false, true, false},
	{ExportData, true, true, false, false, false},
	{DeleteOrg, true, false, false, false, false},
}

func (e matrixRow) byRole() map[Role]bool {
	return map[Role]bool{RoleOwner: e.owner, RoleAdmin: e.admin, RoleCoordinator: e.coordinator, RoleCaseWorker: e.caseWorker, RoleMember: e.member}
}

func TestCanMatrix(t *testing.T) {
	if len(expected) != len(Actions) || len(Roles) != 5 {
		t.Fatalf("the table covers %d actions of %d and there are %d roles", len(expected), len(Actions), len(Roles))
	}
	for _, row := range expected {
		for role, want := range row.byRole() {
			if got := Can(role, row.action); got != want {
				t.Errorf("Can(%s, %s) = %v, want %v", role, row.action, got, want)
			}
		}
		if Can("", row.action) || Can("guest", row.action) {
			t.Errorf("a non-member may %s", row.action)
		}
	}
}

func TestServiceCan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		platform := f.user(t, "Platform Admin", true)
		owner := f.user(t, "Owner", false)
		verified := f.org(t, owner, platform, "جمعية البر", Charity, "", true)
		pending := f.org(t, owner, platform, "دار الرعاية", CareElderly, "", false)
		members := map[Role]*httpx.Viewer{RoleOwner: owner}
		for _, r := range Roles[1:] {
			v := f.user(t, string(r), false)
			f.join(t, verified, v, r)
			f.join(t, pending, v, r)
			members[r] = v
		}
		stranger := f.user(t, "Stranger", false)

		for _, o := range []*Org{verified, pending} {
			for _, row := range expected {
				for role, want := range row.byRole() {
					if got, err := f.svc.Can(f.ctx, members[role], row.action, o.ID); err != nil || got != want {
						t.Errorf("%s org: %s may %s = %v, %v; want %v", o.Status, role, row.action, got, err, want)
					}
				}
				public := row.action == ViewOrg && o.Status == Verified
				for who, v := range map[string]*httpx.Viewer{"stranger": stranger, "anonymous": nil} {
					if got, err := f.svc.Can(f.ctx, v, row.action, o.ID); err != nil || got != public {
						t.Errorf("%s org: %s may %s = %v, %v; want %v", o.Status, who, row.action, got, err, public)
					}
				}
				// Platform admins look after any organisation but never read its cases.
				adminMay := row.action == ViewOrg || row.action == ViewMembers || row.action == EditOrg
				if got, err := f.svc.Can(f.ctx, platform, row.action, o.ID); err != nil || got != adminMay {
					t.Errorf("%s org: platform admin may %s = %v, %v; want %v", o.Status, row.action, got, err, adminMay)
				}
			}
		}
		if err := f.svc.Require(f.ctx, stranger, ViewMembers, verified.ID); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("Require for a stranger: %v", err)
		}
		if err := f.svc.Require(f.ctx, nil, ViewMembers, verified.ID); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("Require for anonymous: %v", err)
		}
		if err := f.svc.Require(f.ctx, members[RoleCaseWorker], ViewCases, pending.ID); err != nil {
			t.Errorf("Require for a case worker: %v", err)
		}
		if _, err := f.svc.Can(f.ctx, owner, ViewOrg, "nope"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Can on an unknown organisation: %v", err)
		}
	})
}
