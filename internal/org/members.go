package org

import (
	"context"
	"fmt"
	"slices"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// Member is a person in an organisation.
type Member struct {
	UserID   string    `json:"user_id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Role     Role      `json:"role"`
	JoinedAt time.Time `json:"joined_at"`
}

// Members lists the organisation's members, most powerful roles first and
// then by name in the request's language.
func (s *Service) Members(ctx context.Context, viewer *httpx.Viewer, orgID string) ([]Member, error) {
	if err := s.Require(ctx, viewer, ViewMembers, orgID); err != nil {
		return nil, err
	}
	ms, err := members(ctx, s.db.R, orgID)
	if err != nil {
		return nil, fmt.Errorf("members of %s: %w", orgID, err)
	}
	c := collator(httpx.Locale(ctx).Lang)
	slices.SortFunc(ms, func(a, b Member) int {
		if d := slices.Index(Roles, a.Role) - slices.Index(Roles, b.Role); d != 0 {
			return d
		}
		return c.CompareString(a.Name, b.Name)
	})
	return ms, nil
}

// ChangeRole gives a member another role. Only an owner makes or unmakes an
// owner, nobody changes their own role, and the last owner stays one.
func (s *Service) ChangeRole(ctx context.Context, viewer *httpx.Viewer, orgID, userID string, role Role) error {
	if viewer == nil {
		return httpx.ErrUnauthorized
	}
	if !role.Valid() {
		return httpx.Invalid(map[string]string{"role": "org.error.role"})
	}
	if userID == viewer.ID {
		return ErrOwnRole
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		actor, target, err := s.actorAndTarget(ctx, tx, viewer, orgID, userID, ChangeRole)
		if err != nil {
			return err
		}
		if (target == RoleOwner || role == RoleOwner) && actor != RoleOwner {
			return ErrOwnerOnly
		}
		if target == role {
			return nil
		}
		if err := s.keepAnOwner(ctx, tx, orgID, target); err != nil {
			return err
		}
		if err := setRole(ctx, tx, orgID, userID, role); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "member.role", TargetType: "user", TargetID: userID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"old_role": string(target), "new_role": string(role)}})
	})
	if err != nil {
		return fmt.Errorf("change role in %s: %w", orgID, err)
	}
	return nil
}

// RemoveMember takes someone out of the organisation. Anyone may leave;
// removing another needs RemoveMember, and only an owner removes an owner.
// The last owner can neither leave nor be removed.
func (s *Service) RemoveMember(ctx context.Context, viewer *httpx.Viewer, orgID, userID string) error {
	if viewer == nil {
		return httpx.ErrUnauthorized
	}
	self := userID == viewer.ID
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var actor, target Role
		var err error
		if self {
			if err = lockOrg(ctx, tx, orgID); err == nil {
				actor, err = memberRole(ctx, tx, orgID, userID)
				target = actor
			}
		} else {
			actor, target, err = s.actorAndTarget(ctx, tx, viewer, orgID, userID, RemoveMember)
		}
		if err != nil {
			return err
		}
		if !self && target == RoleOwner && actor != RoleOwner {
			return ErrOwnerOnly
		}
		if err := s.keepAnOwner(ctx, tx, orgID, target); err != nil {
			return err
		}
		if err := deleteMembership(ctx, tx, orgID, userID); err != nil {
			return err
		}
		d := map[string]string{"old_role": string(target)}
		if self {
			d["left"] = "true"
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "member.remove", TargetType: "user", TargetID: userID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: d})
	})
	if err != nil {
		return fmt.Errorf("remove member from %s: %w", orgID, err)
	}
	return nil
}

// actorAndTarget locks the organisation and returns the roles of the viewer
// and of the member acted on, once the viewer is allowed action at all.
func (s *Service) actorAndTarget(ctx context.Context, tx db.Tx, viewer *httpx.Viewer, orgID, userID string, action Action) (actor, target Role, err error) {
	if err := lockOrg(ctx, tx, orgID); err != nil {
		return "", "", err
	}
	ac, err := s.access(ctx, tx, viewer, orgID)
	if err != nil {
		return "", "", err
	}
	if ac.role == "" || !Can(ac.role, action) {
		return "", "", httpx.ErrForbidden
	}
	target, err = memberRole(ctx, tx, orgID, userID)
	return ac.role, target, err
}

// memberRole returns userID's role, or ErrNotMember.
func memberRole(ctx context.Context, tx db.Tx, orgID, userID string) (Role, error) {
	ac, err := accessOf(ctx, tx, orgID, userID)
	if err != nil {
		return "", err
	}
	if ac.role == "" {
		return "", ErrNotMember
	}
	return ac.role, nil
}

// keepAnOwner refuses to take the owner role away from the last owner.
func (s *Service) keepAnOwner(ctx context.Context, tx db.Tx, orgID string, leaving Role) error {
	if leaving != RoleOwner {
		return nil
	}
	n, err := countOwners(ctx, tx, orgID)
	if err != nil {
		return err
	}
	if n <= 1 {
		return ErrLastOwner
	}
	return nil
}
