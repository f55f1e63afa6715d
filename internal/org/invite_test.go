package org

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

func TestInvitations(t *testing.T) {
	en := i18n.New(i18n.EN, i18n.Latin, nil)
	ar := i18n.New(i18n.AR, i18n.ArabicIndic, nil)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		platform := f.user(t, "Platform", true)
		owner, admin, member := f.user(t, "Owner", false), f.user(t, "Admin", false), f.user(t, "Member", false)
		o := f.org(t, owner, platform, "جمعية البر", Charity, "", false)
		f.join(t, o, admin, RoleAdmin)
		f.join(t, o, member, RoleMember)

		inv, err := f.svc.Invite(f.ctx, owner, o.ID, InviteInput{Email: " New@Example.com ", Role: RoleCoordinator}, en)
		if err != nil {
			t.Fatalf("Invite: %v", err)
		}
		mail := f.mail.last(t)
		if mail.to != "new@example.com" || !strings.Contains(mail.subject, "جمعية البر") || !strings.Contains(mail.text, "Volunteer coordinator") ||
			!strings.Contains(mail.text, "https://sharaka.test/invitations/") || !strings.Contains(mail.text, "14 days") {
			t.Errorf("mail = %+v", mail)
		}
		secret := linkSecret(t, mail.text)
		var stored string
		if err := d.R.QueryRow(`SELECT token_hash FROM invitations WHERE id = $1`, inv.ID).Scan(&stored); err != nil || stored != hashSecret(secret) || strings.Contains(stored, secret) {
			t.Errorf("stored %q for secret %q (%v)", stored, secret, err)
		}
		if !inv.ExpiresAt.Equal(inv.CreatedAt.Add(14 * 24 * time.Hour)) {
			t.Errorf("expires %v, created %v", inv.ExpiresAt, inv.CreatedAt)
		}
		open, err := f.svc.Invitations(f.ctx, admin, o.ID)
		if err != nil || len(open) != 1 || open[0].Email != "new@example.com" || open[0].InviterName != "Owner" {
			t.Errorf("Invitations = %+v, %v", open, err)
		}

		// Anyone holding the link sees the offer; only the invited address may accept it.
		det, err := f.svc.InvitationBySecret(f.ctx, secret)
		if err != nil || det.Org.ID != o.ID || det.Role != RoleCoordinator {
			t.Fatalf("InvitationBySecret = %+v, %v", det, err)
		}
		if _, _, err := f.svc.Accept(f.ctx, nil, secret); !errors.Is(err, httpx.ErrUnauthorized) {
			t.Errorf("anonymous Accept: %v", err)
		}
		newcomer := f.user(t, "New", false)
		newcomer.Email = " NEW@example.COM " // as typed at sign-up; the comparison trims and folds case
		orgID, joined, err := f.svc.Accept(f.ctx, newcomer, secret)
		if err != nil || orgID != o.ID || !joined {
			t.Fatalf("Accept = %q, %v, %v", orgID, joined, err)
		}
		if r, _ := f.svc.RoleOf(f.ctx, newcomer, o.ID); r != RoleCoordinator {
			t.Errorf("newcomer's role = %q", r)
		}
		if _, err := f.svc.InvitationBySecret(f.ctx, secret); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("used invitation shown: %v", err)
		}
		if _, _, err := f.svc.Accept(f.ctx, f.user(t, "Late", false), secret); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("used invitation accepted again: %v", err)
		}

		// An existing member uses up an invitation and keeps their role (they
		// took the invited address after it was sent).
		if _, err := f.svc.Invite(f.ctx, admin, o.ID, InviteInput{Email: "other@example.com", Role: RoleAdmin}, ar); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(f.ctx, `UPDATE users SET email = 'other@example.com' WHERE id = $1`, member.ID); err != nil {
			t.Fatal(err)
		}
		member.Email = "other@example.com"
		if m := f.mail.last(t); !strings.Contains(m.subject, "دعوة") || !strings.Contains(m.text, "١٤") {
			t.Errorf("Arabic mail = %+v", m)
		}
		if _, joined, err := f.svc.Accept(f.ctx, member, linkSecret(t, f.mail.last(t).text)); err != nil || joined {
			t.Errorf("member accepts: joined %v, %v", joined, err)
		}
		if r, _ := f.svc.RoleOf(f.ctx, member, o.ID); r != RoleMember {
			t.Errorf("member's role changed to %q", r)
		}
		joins, _ := audit.List(f.ctx, d.R, audit.Filter{OrgID: o.ID, Action: "member.join"})
		if len(joins) != 2 || joins[0].Details["already_member"] != "true" || joins[1].Details["role"] != "coordinator" {
			t.Errorf("member.join entries = %+v", joins)
		}
		if n := f.auditCount(t, "member.invite"); n != 2 {
			t.Errorf("member.invite audited %d times", n)
		}

		// Who may invite, whom and as what.
		for name, tc := range map[string]struct {
			actor *httpx.Viewer
			in    InviteInput
			want  error
			field string
		}{
			"member invites":      {member, InviteInput{Email: "x@example.com", Role: RoleMember}, httpx.ErrForbidden, ""},
			"admin invites owner": {admin, InviteInput{Email: "x@example.com", Role: RoleOwner}, ErrOwnerOnly, ""},
			"platform admin":      {platform, InviteInput{Email: "x@example.com", Role: RoleMember}, httpx.ErrForbidden, ""},
			"bad email":           {owner, InviteInput{Email: "x@", Role: RoleMember}, nil, "email"},
			"bad role":            {owner, InviteInput{Email: "x@example.com", Role: "boss"}, nil, "role"},
			"already a member":    {owner, InviteInput{Email: member.Email, Role: RoleMember}, nil, "email"},
		} {
			_, err := f.svc.Invite(f.ctx, tc.actor, o.ID, tc.in, en)
			if tc.want != nil && !errors.Is(err, tc.want) || tc.field != "" && httpx.As(err).Fields[tc.field] == "" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := f.svc.Invite(f.ctx, owner, o.ID, InviteInput{Email: "boss@example.com", Role: RoleOwner}, en); err != nil {
			t.Errorf("owner invites an owner: %v", err)
		}
	})
}

func TestInvitationExpiryAndReplacement(t *testing.T) {
	en := i18n.New(i18n.EN, i18n.Latin, nil)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		owner := f.user(t, "Owner", false)
		o := f.org(t, owner, nil, "جمعية", Charity, "", false)
		invite := func(email string) string {
			t.Helper()
			if _, err := f.svc.Invite(f.ctx, owner, o.ID, InviteInput{Email: email, Role: RoleMember}, en); err != nil {
				t.Fatal(err)
			}
			return linkSecret(t, f.mail.last(t).text)
		}
		old, fresh := invite("a@example.com"), invite("a@example.com")
		if _, err := f.svc.InvitationBySecret(f.ctx, old); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("a replaced link still works: %v", err)
		}
		late, early := f.user(t, "Late", false), f.user(t, "A", false) // a@example.com, the invited address
		late.Email = "a@example.com"
		start := time.Now()
		f.svc.now = func() time.Time { return start.Add(InvitationTTL + time.Hour).UTC() }
		if _, _, err := f.svc.Accept(f.ctx, late, fresh); !errors.Is(err, ErrInvitationInvalid) {
			t.Errorf("expired invitation accepted: %v", err)
		}
		if open, _ := f.svc.Invitations(f.ctx, owner, o.ID); len(open) != 0 {
			t.Errorf("expired invitations listed: %v", open)
		}
		f.svc.now = func() time.Time { return start.Add(InvitationTTL - time.Hour).UTC() }
		if _, joined, err := f.svc.Accept(f.ctx, early, fresh); err != nil || !joined {
			t.Errorf("invitation within its time: %v, %v", joined, err)
		}
	})
}
