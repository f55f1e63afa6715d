package org

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/ratelimit"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 14 * 24 * time.Hour

// Invitation is an open offer to join an organisation with a role. Its secret
// exists only in the emailed link; the database keeps its hash.
type Invitation struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Email       string    `json:"email"`
	Role        Role      `json:"role"`
	InvitedBy   string    `json:"invited_by"`
	InviterName string    `json:"inviter_name"`
	CreatedAt   time.Time `json:"created_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// InviteInput is what an inviter submits.
type InviteInput struct {
	Email string
	Role  Role
}

// newSecret returns a random URL-safe secret and the hash we store, so a
// copy of the database holds no usable link.
func newSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, hashSecret(secret)
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// sameAddress reports whether a signed-in person's address is the one an
// invitation was sent to (trimmed, case-insensitive).
func sameAddress(viewerEmail, invited string) bool {
	v := strings.ToLower(strings.TrimSpace(viewerEmail))
	return v != "" && v == strings.ToLower(strings.TrimSpace(invited))
}

// SentTo reports whether the invitation was sent to the viewer's address,
// the only one that may accept it.
func (inv *Invitation) SentTo(v *httpx.Viewer) bool {
	return v != nil && sameAddress(v.Email, inv.Email)
}

// mayOffer reports whether a member with role may invite someone as, or
// withdraw an invitation to, invited: the role must let them invite and be
// one they may give.
func mayOffer(role, invited Role) bool {
	return role != "" && Can(role, InviteMember) && slices.Contains(assignable(role), invited)
}

// inviterMay checks, when a link is used, that whoever sent it may still
// offer that role in the organisation; a person who has left or been
// demoted since cannot bring anyone in.
func inviterMay(ctx context.Context, q db.Querier, inv *Invitation) error {
	ac, err := accessOf(ctx, q, inv.OrgID, inv.InvitedBy)
	if err != nil {
		return err
	}
	if !mayOffer(ac.role, inv.Role) {
		return ErrInvitationWithdrawn
	}
	return nil
}

// Invite emails a link that lets the invited address, once signed in, join
// with the role. The email is written in loc, the inviter's language.
// Inviting the same address again replaces the earlier link. An
// organisation sends at most InvitesPerDay invitations a day
// (UnverifiedInvitesPerDay until it is verified).
func (s *Service) Invite(ctx context.Context, viewer *httpx.Viewer, orgID string, in InviteInput, loc *i18n.Locale) (*Invitation, error) {
	if err := s.Require(ctx, viewer, InviteMember, orgID); err != nil {
		return nil, err
	}
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	errs := map[string]string{}
	switch {
	case in.Email == "":
		errs["email"] = "error.required"
	case !validEmail(in.Email):
		errs["email"] = "error.email"
	}
	if !in.Role.Valid() {
		errs["role"] = "org.error.role"
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	now := s.now()
	inv := &Invitation{ID: db.NewID(), OrgID: orgID, Email: in.Email, Role: in.Role, InvitedBy: viewer.ID, InviterName: viewer.Name,
		CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	secret, hash := newSecret()
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		ac, err := s.access(ctx, tx, viewer, orgID)
		if err != nil {
			return err
		}
		if !mayOffer(ac.role, in.Role) {
			if ac.role != "" && Can(ac.role, InviteMember) {
				return ErrOwnerOnly
			}
			return httpx.ErrForbidden
		}
		already, err := memberByEmail(ctx, tx, orgID, in.Email)
		if err != nil {
			return err
		}
		if already {
			return httpx.Invalid(map[string]string{"email": "org.error.already_member"})
		}
		o, err := orgByID(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if err := ratelimit.Allow(ctx, tx, inviteLimit(o.Status), orgID, now); err != nil {
			return err
		}
		if err := dropOpenInvitations(ctx, tx, orgID, in.Email); err != nil {
			return err
		}
		if err := insertInvitation(ctx, tx, inv, hash); err != nil {
			return err
		}
		// Names are checked for line breaks when saved; oneLine also covers
		// names stored before that, which would otherwise break the subject.
		name := oneLine(o.Name(loc.Lang))
		body := loc.T("org.invite.mail.body", "Inviter", oneLine(viewer.Name), "Org", name, "Role", loc.T(in.Role.MsgID()),
			"Link", s.baseURL+"/invitations/"+secret, "Days", loc.Number(int64(InvitationTTL/(24*time.Hour))))
		if err := s.mail.Queue(ctx, tx, in.Email, loc.T("org.invite.mail.subject", "Org", name), body); err != nil {
			return fmt.Errorf("queue invitation: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "member.invite", TargetType: "invitation", TargetID: inv.ID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"email": in.Email, "role": string(in.Role)}})
	})
	if err != nil {
		return nil, fmt.Errorf("invite to %s: %w", orgID, err)
	}
	return inv, nil
}

// Invitations lists the organisation's open invitations to those who may see its members.
func (s *Service) Invitations(ctx context.Context, viewer *httpx.Viewer, orgID string) ([]Invitation, error) {
	if err := s.Require(ctx, viewer, ViewMembers, orgID); err != nil {
		return nil, err
	}
	return openInvitations(ctx, s.db.R, orgID, s.now())
}

// RevokeInvitation withdraws an open invitation, so that its link no longer
// works. It needs InviteMember, and only an owner withdraws an invitation
// to become an owner (as only an owner sends one). The invitation is kept,
// expired now, and the revocation is audited.
func (s *Service) RevokeInvitation(ctx context.Context, viewer *httpx.Viewer, orgID, invID string) error {
	if err := s.Require(ctx, viewer, InviteMember, orgID); err != nil {
		return err
	}
	now := s.now()
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		ac, err := s.access(ctx, tx, viewer, orgID)
		if err != nil {
			return err
		}
		if !ac.can(viewer, InviteMember) {
			return httpx.ErrForbidden
		}
		inv, err := openInvitationByID(ctx, tx, orgID, invID, now)
		if err != nil {
			return err
		}
		if !mayOffer(ac.role, inv.Role) {
			return ErrOwnerOnly
		}
		if err := revokeInvitation(ctx, tx, inv.ID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "member.invite_revoke", TargetType: "invitation", TargetID: inv.ID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"email": inv.Email, "role": string(inv.Role)}})
	})
	if err != nil {
		return fmt.Errorf("revoke invitation in %s: %w", orgID, err)
	}
	return nil
}

// InvitationDetails is what the holder of a link sees before accepting.
type InvitationDetails struct {
	Invitation
	Org *Org
}

// InvitationBySecret returns an open invitation and its organisation, or
// ErrInvitationInvalid when the link is unknown, used, revoked or expired,
// and ErrInvitationWithdrawn when its sender may no longer offer the role.
// Holding the link is what entitles one to see them; only the invited
// address may accept (see Invitation.SentTo).
func (s *Service) InvitationBySecret(ctx context.Context, secret string) (*InvitationDetails, error) {
	inv, err := openInvitation(ctx, s.db.R, hashSecret(secret), s.now())
	if err != nil {
		return nil, err
	}
	if err := inviterMay(ctx, s.db.R, inv); err != nil {
		return nil, err
	}
	o, err := orgByID(ctx, s.db.R, inv.OrgID)
	if err != nil {
		return nil, fmt.Errorf("invitation organisation: %w", err)
	}
	return &InvitationDetails{Invitation: *inv, Org: o}, nil
}

// Accept uses up an invitation for the signed-in viewer and returns the
// organisation's id. Only the address the invitation was sent to may accept
// it (ErrInvitationOtherAddress, and the invitation stays open), and only
// while its sender may still offer the role (ErrInvitationWithdrawn).
// joined is false when they were already a member: their role then stays as
// it was.
func (s *Service) Accept(ctx context.Context, viewer *httpx.Viewer, secret string) (orgID string, joined bool, err error) {
	if viewer == nil {
		return "", false, httpx.ErrUnauthorized
	}
	now, hash := s.now(), hashSecret(secret)
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		inv, err := openInvitation(ctx, tx, hash, now)
		if err != nil {
			return err
		}
		if !inv.SentTo(viewer) {
			return ErrInvitationOtherAddress
		}
		// An unconfirmed address proves nothing: whoever registered it first
		// must not collect the invitations sent to its owner.
		if !viewer.EmailVerified {
			return ErrEmailUnverified
		}
		// Membership changes lock the organisation too, so the inviter's
		// role cannot change between this check and the join.
		if err := lockOrg(ctx, tx, inv.OrgID); err != nil {
			return err
		}
		if err := inviterMay(ctx, tx, inv); err != nil {
			return err
		}
		var role Role
		var invID string
		if orgID, role, invID, err = useInvitation(ctx, tx, hash, viewer.ID, now); err != nil {
			return err
		}
		if joined, err = insertMembership(ctx, tx, orgID, viewer.ID, role, now); err != nil {
			return err
		}
		d := map[string]string{"invitation": invID, "role": string(role)}
		if !joined {
			d["already_member"] = "true"
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "member.join", TargetType: "user", TargetID: viewer.ID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: d})
	})
	if err != nil {
		return "", false, fmt.Errorf("accept invitation: %w", err)
	}
	return orgID, joined, nil
}
