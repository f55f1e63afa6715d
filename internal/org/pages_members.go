package org

import (
	"errors"
	"net/http"
	"net/url"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

type memberRow struct {
	Member
	Self   bool
	Manage bool
	Roles  []web.Option
}

// inviteRow is an open invitation; Revoke offers to withdraw it.
type inviteRow struct {
	Invitation
	Revoke bool
}

type membersPage struct {
	web.Page
	Org         *Org
	Role        Role
	Members     []memberRow
	Invitations []inviteRow
	CanInvite   bool
	InviteForm  *web.Form
	InviteRoles []string
}

func (p *Pages) renderMembers(w http.ResponseWriter, r *http.Request, status int, inviteForm *web.Form) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := p.svc.Org(ctx, v, id)
	if err != nil {
		return err
	}
	ms, err := p.svc.Members(ctx, v, id)
	if err != nil {
		return err
	}
	pg := membersPage{Page: p.site.NewPage(w, r, "org.members.title"), Org: o, InviteForm: inviteForm}
	if pg.Role, err = p.svc.RoleOf(ctx, v, id); err != nil {
		return err
	}
	for _, m := range ms {
		row := memberRow{Member: m, Self: m.UserID == v.ID}
		if row.Manage = mayManage(pg.Role, m.Role, row.Self); row.Manage {
			row.Roles = roleOptions(pg.Page, assignable(pg.Role), m.Role)
		}
		pg.Members = append(pg.Members, row)
	}
	if pg.CanInvite, err = p.svc.Can(ctx, v, InviteMember, id); err != nil {
		return err
	}
	if pg.CanInvite {
		for _, r := range assignable(pg.Role) {
			pg.InviteRoles = append(pg.InviteRoles, string(r), r.MsgID())
		}
		if pg.InviteForm.Get("role") == "" {
			pg.InviteForm.Values["role"] = string(RoleMember)
		}
	}
	invs, err := p.svc.Invitations(ctx, v, id)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		pg.Invitations = append(pg.Invitations, inviteRow{Invitation: inv, Revoke: pg.CanInvite && mayOffer(pg.Role, inv.Role)})
	}
	return p.site.Render(w, status, "org/members", pg)
}

func (p *Pages) members(w http.ResponseWriter, r *http.Request) error {
	return p.renderMembers(w, r, http.StatusOK, web.EmptyForm())
}

func (p *Pages) invite(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	if err := p.visible(r); err != nil {
		return err
	}
	_, err = p.svc.Invite(ctx, v, id, InviteInput{Email: f.Get("email"), Role: Role(f.Get("role"))}, httpx.Locale(ctx))
	if he, ok := fieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderMembers(w, r, he.Status, f)
	}
	if msg, ok := ruleRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, "/organisations/"+id+"/members")
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "org.flash.invited")
	web.Redirect(w, r, "/organisations/"+id+"/members")
	return nil
}

func (p *Pages) revokeInvitation(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	if err := p.visible(r); err != nil {
		return err
	}
	err := p.svc.RevokeInvitation(ctx, v, id, r.PathValue("inv"))
	return p.afterMemberChange(w, r, err, "org.flash.invite_revoked", "/organisations/"+id+"/members")
}

// visible refuses, as not found, a change to an organisation the viewer may
// not even see, so that a pending one is not revealed by a 403 where an
// unknown one gives 404.
func (p *Pages) visible(r *http.Request) error {
	_, err := p.svc.Org(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	return err
}

func (p *Pages) changeRole(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	if err := p.visible(r); err != nil {
		return err
	}
	err = p.svc.ChangeRole(ctx, v, id, r.PathValue("user"), Role(f.Get("role")))
	return p.afterMemberChange(w, r, err, "org.flash.role_changed", "/organisations/"+id+"/members")
}

func (p *Pages) removeMember(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id, user := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"), r.PathValue("user")
	if err := p.visible(r); err != nil {
		return err
	}
	err := p.svc.RemoveMember(ctx, v, id, user)
	if v != nil && user == v.ID {
		return p.afterMemberChange(w, r, err, "org.flash.left", "/organisations")
	}
	return p.afterMemberChange(w, r, err, "org.flash.removed", "/organisations/"+id+"/members")
}

// afterMemberChange tells the outcome of a membership change: rule
// refusals and validation as a notice on the members page, anything else as
// an error page.
func (p *Pages) afterMemberChange(w http.ResponseWriter, r *http.Request, err error, okMsg, next string) error {
	back := "/organisations/" + r.PathValue("id") + "/members"
	if msg, ok := ruleRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, back)
		return nil
	}
	if he, ok := fieldErrors(err); ok {
		for _, m := range he.Fields {
			web.SetFlash(w, "error", m)
		}
		web.Redirect(w, r, back)
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", okMsg)
	web.Redirect(w, r, next)
	return nil
}

type invitationPage struct {
	web.Page
	Inv      *InvitationDetails
	Offer    string
	SignedAs string
	// OtherAddress is set when the signed-in person is not the one invited.
	OtherAddress bool
	SignInURL    string
	SignUpURL    string
}

func (p *Pages) invitation(w http.ResponseWriter, r *http.Request) error {
	return p.renderInvitation(w, r, http.StatusOK)
}

func (p *Pages) renderInvitation(w http.ResponseWriter, r *http.Request, status int) error {
	inv, err := p.svc.InvitationBySecret(r.Context(), r.PathValue("secret"))
	if err != nil {
		return err
	}
	next := url.QueryEscape(r.URL.Path)
	pg := invitationPage{Page: p.site.NewPage(w, r, "org.invite.title"), Inv: inv, SignInURL: "/signin?next=" + next, SignUpURL: "/signup?next=" + next}
	pg.Offer = pg.T("org.invite.offer", "Inviter", isolate(inv.InviterName), "Org", isolate(inv.Org.Name(pg.Lang)), "Role", pg.T(inv.Role.MsgID()))
	if pg.Viewer != nil {
		pg.SignedAs = pg.T("org.invite.as", "Name", isolate(pg.Viewer.Name))
		pg.OtherAddress = !inv.SentTo(pg.Viewer)
	}
	// The secret is in the address; keep it out of caches.
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, status, "org/invitation", pg)
}

func (p *Pages) accept(w http.ResponseWriter, r *http.Request) error {
	v, err := requireUser(r)
	if err != nil {
		return err
	}
	orgID, joined, err := p.svc.Accept(r.Context(), v, r.PathValue("secret"))
	if errors.Is(err, ErrInvitationOtherAddress) {
		// The invitation stays open: show it again with the reason.
		return p.renderInvitation(w, r, ErrInvitationOtherAddress.Status)
	}
	if errors.Is(err, ErrEmailUnverified) {
		web.SetFlash(w, "error", ErrEmailUnverified.MsgID)
		web.Redirect(w, r, "/account")
		return nil
	}
	if err != nil {
		return err
	}
	if joined {
		web.SetFlash(w, "ok", "org.flash.joined")
	} else {
		web.SetFlash(w, "ok", "org.flash.already_member")
	}
	web.Redirect(w, r, "/organisations/"+orgID)
	return nil
}
