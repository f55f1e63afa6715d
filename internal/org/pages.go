package org

import (
	"embed"
	"errors"
	"net/http"
	"unicode/utf8"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

//go:embed templates
var templates embed.FS

// Pages serves the organisation, membership and place screens.
type Pages struct {
	svc  *Service
	site *web.Site
}

// NewPages registers the org templates with the site.
func NewPages(svc *Service, site *web.Site) (*Pages, error) {
	if err := site.Add("org", templates, "templates"); err != nil {
		return nil, err
	}
	return &Pages{svc: svc, site: site}, nil
}

// Routes adds the screens to mux.
func (p *Pages) Routes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /organisations", h(p.list))
	mux.Handle("GET /organisations/new", h(p.newForm))
	mux.Handle("POST /organisations/new", h(p.create))
	mux.Handle("GET /organisations/{id}", h(p.show))
	mux.Handle("GET /organisations/{id}/edit", h(p.editForm))
	mux.Handle("POST /organisations/{id}/edit", h(p.edit))
	mux.Handle("GET /organisations/{id}/members", h(p.members))
	mux.Handle("POST /organisations/{id}/invitations", h(p.invite))
	mux.Handle("POST /organisations/{id}/invitations/{inv}/revoke", h(p.revokeInvitation))
	mux.Handle("POST /organisations/{id}/members/{user}/role", h(p.changeRole))
	mux.Handle("POST /organisations/{id}/members/{user}/remove", h(p.removeMember))
	mux.Handle("GET /invitations/{secret}", h(p.invitation))
	mux.Handle("POST /invitations/{secret}", h(p.accept))
	mux.Handle("GET /places", h(p.places))
	mux.Handle("GET /admin/organisations", h(p.adminOrgs))
	mux.Handle("POST /admin/organisations/{id}/verify", h(p.verify))
	mux.Handle("POST /admin/organisations/{id}/reject", h(p.reject))
	mux.Handle("GET /admin/places/import", h(p.importForm))
	mux.Handle("POST /admin/places/import", h(p.importPlaces))
}

func requireUser(r *http.Request) (*httpx.Viewer, error) {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return v, nil
	}
	return nil, httpx.ErrUnauthorized
}

// fieldErrors returns the per-field messages of a validation failure, or
// nil for any other error, which the caller passes on.
func fieldErrors(err error) (*httpx.Error, bool) {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		return he, true
	}
	return nil, false
}

// ruleRefusal reports whether err is a membership rule the person could not
// see coming from the page (last owner, owners only …), which is told as a
// notice on the page they came from rather than an error page.
func ruleRefusal(err error) (string, bool) {
	for _, e := range []*httpx.Error{ErrLastOwner, ErrOwnerOnly, ErrOwnRole, ErrNotMember, ErrNotPending, ErrInvitationNotOpen} {
		if errors.Is(err, e) {
			return e.MsgID, true
		}
	}
	return "", false
}

// typeChoices are value, message-id pairs for a type select; all adds a
// first "any type" choice.
func typeChoices(firstID string) []string {
	var c []string
	if firstID != "" {
		c = append(c, "", firstID)
	}
	for _, t := range Types {
		c = append(c, string(t), t.MsgID())
	}
	return c
}

// roleOptions labels roles in the page's language, marking current.
func roleOptions(pg web.Page, roles []Role, current Role) []web.Option {
	out := make([]web.Option, 0, len(roles))
	for _, r := range roles {
		out = append(out, web.Option{Value: string(r), Label: pg.T(r.MsgID()), Selected: r == current})
	}
	return out
}

// placeSelect is a single-choice place field with a first empty choice.
func placeSelect(pg web.Page, f *web.Form, name, labelID, noneID string, opts []web.Option) web.FieldData {
	d := pg.Field(f, name, labelID, "select")
	d.Options = append(d.Options, web.Option{Value: "", Label: pg.T(noneID)})
	for _, o := range opts {
		o.Selected = o.Value == d.Value && d.Value != ""
		d.Options = append(d.Options, o)
	}
	return d
}

// labels maps option values to their labels.
func labels(opts []web.Option) map[string]string {
	m := make(map[string]string, len(opts))
	for _, o := range opts {
		m[o.Value] = o.Label
	}
	return m
}

// excerpt shortens a description for a list card, on a rune boundary.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// isolate wraps user text that goes inside a translated sentence in Unicode
// first-strong isolates, the plain-text <bdi>, so a Latin name does not
// reorder an Arabic sentence or the other way round.
func isolate(s string) string { return "\u2068" + s + "\u2069" }
