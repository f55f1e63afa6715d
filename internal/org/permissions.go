package org

import (
	"context"
	"slices"

	"sharaka/internal/platform/httpx"
)

// Role is a person's role in one organisation.
type Role string

const (
	RoleOwner       Role = "owner"
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleCaseWorker  Role = "case_worker"
	RoleMember      Role = "member"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleOwner, RoleAdmin, RoleCoordinator, RoleCaseWorker, RoleMember}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// MsgID is the catalogue id of the role's name.
func (r Role) MsgID() string { return "org.role." + string(r) }

// Action is something a person may or may not do in an organisation.
type Action string

const (
	ViewOrg            Action = "view_org"
	EditOrg            Action = "edit_org"
	ViewMembers        Action = "view_members"
	InviteMember       Action = "invite_member"
	ChangeRole         Action = "change_role"
	RemoveMember       Action = "remove_member"
	ManageVolunteering Action = "manage_volunteering" // opportunities, shifts, sign-ups
	ViewCases          Action = "view_cases"          // beneficiary and care records
	ManageCases        Action = "manage_cases"
	ExportData         Action = "export_data"
	DeleteOrg          Action = "delete_org"
)

// Actions lists every action.
var Actions = []Action{ViewOrg, EditOrg, ViewMembers, InviteMember, ChangeRole, RemoveMember,
	ManageVolunteering, ViewCases, ManageCases, ExportData, DeleteOrg}

// matrix is who may do what. Cases (people in need, people in care) are seen
// only by those who work them and those answerable for the organisation:
// coordinators run volunteers and do not see cases; case workers see cases
// and do not manage the team.
var matrix = map[Action][]Role{
	ViewOrg:            {RoleOwner, RoleAdmin, RoleCoordinator, RoleCaseWorker, RoleMember},
	EditOrg:            {RoleOwner, RoleAdmin},
	ViewMembers:        {RoleOwner, RoleAdmin, RoleCoordinator, RoleCaseWorker},
	InviteMember:       {RoleOwner, RoleAdmin},
	ChangeRole:         {RoleOwner, RoleAdmin},
	RemoveMember:       {RoleOwner, RoleAdmin},
	ManageVolunteering: {RoleOwner, RoleAdmin, RoleCoordinator},
	ViewCases:          {RoleOwner, RoleAdmin, RoleCaseWorker},
	ManageCases:        {RoleOwner, RoleAdmin, RoleCaseWorker},
	ExportData:         {RoleOwner, RoleAdmin},
	DeleteOrg:          {RoleOwner},
}

// Can reports whether a member with role may do a. Rules that depend on
// whom the action touches (owners, oneself) are the service's.
func Can(role Role, a Action) bool { return slices.Contains(matrix[a], role) }

// adminMay is what a platform admin may do in any organisation without
// being a member: look after it, never read its cases.
var adminMay = []Action{ViewOrg, ViewMembers, EditOrg}

// access is what the permission check knows about a viewer and an organisation.
type access struct {
	status Status
	role   Role // "" when not a member
}

func (ac access) can(v *httpx.Viewer, a Action) bool {
	switch {
	case a == ViewOrg && ac.status == Verified:
		return true // verified organisations are public
	case v == nil:
		return false
	case ac.role != "" && Can(ac.role, a):
		return true
	}
	return v.IsAdmin && slices.Contains(adminMay, a)
}

// Can reports whether viewer (nil for anonymous) may do a in the
// organisation; it is the one permission check every area asks. Anyone may
// view a verified organisation. It returns db.ErrNotFound for an unknown
// organisation.
func (s *Service) Can(ctx context.Context, viewer *httpx.Viewer, a Action, orgID string) (bool, error) {
	ac, err := s.access(ctx, s.db.R, viewer, orgID)
	if err != nil {
		return false, err
	}
	return ac.can(viewer, a), nil
}

// Require is Can as an error: httpx.ErrUnauthorized for an anonymous viewer
// (so pages offer to sign in), httpx.ErrForbidden for a signed-in one.
func (s *Service) Require(ctx context.Context, viewer *httpx.Viewer, a Action, orgID string) error {
	ok, err := s.Can(ctx, viewer, a, orgID)
	switch {
	case err != nil:
		return err
	case ok:
		return nil
	case viewer == nil:
		return httpx.ErrUnauthorized
	}
	return httpx.ErrForbidden
}

// mayManage reports whether an actor with role may change the role of, or
// remove, someone whose role is target: only an owner touches an owner, and
// nobody touches themselves this way.
func mayManage(actor, target Role, self bool) bool {
	if self || !Can(actor, ChangeRole) {
		return false
	}
	return target != RoleOwner || actor == RoleOwner
}

// assignable lists the roles an actor may give: owners give any, others all
// but owner.
func assignable(actor Role) []Role {
	if actor == RoleOwner {
		return Roles
	}
	if !Can(actor, ChangeRole) && !Can(actor, InviteMember) {
		return nil
	}
	return Roles[1:]
}
