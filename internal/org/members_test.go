package org

import (
	"errors"
	"slices"
	"testing"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

func TestRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		platform := f.user(t, "Platform", true)
		owner, admin, coord, member := f.user(t, "Owner", false), f.user(t, "Admin", false), f.user(t, "Coord", false), f.user(t, "Member", false)
		stranger := f.user(t, "Stranger", false)
		o := f.org(t, owner, platform, "جمعية", Charity, "", true)
		f.join(t, o, admin, RoleAdmin)
		f.join(t, o, coord, RoleCoordinator)
		f.join(t, o, member, RoleMember)

		role := func(v *httpx.Viewer) Role {
			r, err := f.svc.RoleOf(f.ctx, v, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		steps := []struct {
			name        string
			actor       *httpx.Viewer
			target      *httpx.Viewer
			role        Role
			want        error
			targetAfter Role
		}{
			{"own role", admin, admin, RoleMember, ErrOwnRole, RoleAdmin},
			{"owner's own role", owner, owner, RoleAdmin, ErrOwnRole, RoleOwner},
			{"admin makes an owner", admin, member, RoleOwner, ErrOwnerOnly, RoleMember},
			{"admin demotes the owner", admin, owner, RoleAdmin, ErrOwnerOnly, RoleOwner},
			{"coordinator changes a role", coord, member, RoleCaseWorker, httpx.ErrForbidden, RoleMember},
			{"platform admin changes a role", platform, member, RoleCaseWorker, httpx.ErrForbidden, RoleMember},
			{"stranger as target", admin, stranger, RoleMember, ErrNotMember, ""},
			{"admin promotes a member", admin, member, RoleCaseWorker, nil, RoleCaseWorker},
			{"owner makes a second owner", owner, admin, RoleOwner, nil, RoleOwner},
			{"second owner demotes the first", admin, owner, RoleAdmin, nil, RoleAdmin},
			{"former owner demotes the owner", owner, admin, RoleMember, ErrOwnerOnly, RoleOwner},
		}
		for _, s := range steps {
			err := f.svc.ChangeRole(f.ctx, s.actor, o.ID, s.target.ID, s.role)
			if !errors.Is(err, s.want) || (s.want == nil && err != nil) {
				t.Errorf("%s: %v, want %v", s.name, err, s.want)
			}
			if got := role(s.target); got != s.targetAfter {
				t.Errorf("%s: role is %q, want %q", s.name, got, s.targetAfter)
			}
		}
		if err := f.svc.ChangeRole(f.ctx, admin, o.ID, member.ID, "boss"); httpx.As(err).Fields["role"] == "" {
			t.Errorf("unknown role: %v", err)
		}
		es, err := audit.List(f.ctx, d.R, audit.Filter{OrgID: o.ID, Action: "member.role"})
		if err != nil || len(es) != 3 {
			t.Fatalf("member.role entries: %d, %v", len(es), err)
		}
		if last := es[0]; last.Details["old_role"] != "owner" || last.Details["new_role"] != "admin" || last.TargetID != owner.ID {
			t.Errorf("latest member.role entry = %+v", last)
		}

		// Admin is now the only owner: they cannot leave, and an org admin
		// cannot remove them.
		if err := f.svc.RemoveMember(f.ctx, admin, o.ID, admin.ID); !errors.Is(err, ErrLastOwner) {
			t.Errorf("last owner leaves: %v", err)
		}
		if err := f.svc.RemoveMember(f.ctx, owner, o.ID, admin.ID); !errors.Is(err, ErrOwnerOnly) {
			t.Errorf("admin removes the owner: %v", err)
		}
		if err := f.svc.RemoveMember(f.ctx, coord, o.ID, member.ID); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("coordinator removes: %v", err)
		}
		if err := f.svc.RemoveMember(f.ctx, owner, o.ID, member.ID); err != nil {
			t.Errorf("admin removes a member: %v", err)
		}
		if err := f.svc.RemoveMember(f.ctx, coord, o.ID, coord.ID); err != nil {
			t.Errorf("coordinator leaves: %v", err)
		}
		if role(member) != "" || role(coord) != "" {
			t.Error("removed members are still there")
		}
		rm, _ := audit.List(f.ctx, d.R, audit.Filter{OrgID: o.ID, Action: "member.remove"})
		if len(rm) != 2 || rm[0].Details["left"] != "true" || rm[1].Details["old_role"] != "case_worker" {
			t.Errorf("member.remove entries = %+v", rm)
		}
		if err := f.svc.RemoveMember(f.ctx, nil, o.ID, owner.ID); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("anonymous removes: %v", err)
		}
	})
}

func TestMembersList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		platform := f.user(t, "Platform", true)
		owner, worker, member := f.user(t, "Zaid", false), f.user(t, "Huda", false), f.user(t, "Amal", false)
		o := f.org(t, owner, platform, "جمعية", Charity, "", true)
		f.join(t, o, member, RoleMember)
		f.join(t, o, worker, RoleCaseWorker)
		for who, v := range map[string]*httpx.Viewer{"owner": owner, "case worker": worker, "platform admin": platform} {
			ms, err := f.svc.Members(f.ctx, v, o.ID)
			var got []string
			for _, m := range ms {
				got = append(got, m.Name)
			}
			if err != nil || !slices.Equal(got, []string{"Zaid", "Huda", "Amal"}) {
				t.Errorf("Members for %s = %v, %v", who, got, err)
			}
		}
		if _, err := f.svc.Members(f.ctx, member, o.ID); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("Members for a plain member: %v", err)
		}
		if _, err := f.svc.Members(f.ctx, nil, o.ID); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("Members for anonymous: %v", err)
		}
	})
}
