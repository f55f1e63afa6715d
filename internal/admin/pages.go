// Package admin serves the platform administrators' screens that belong to
// no single area: the dashboard, the audit log and the development outbox.
package admin

import (
	"embed"
	"net/http"
	"net/url"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/mail"
	"sharaka/internal/platform/web"
)

//go:embed templates
var templates embed.FS

const pageSize = 50

// Pages serves /admin.
type Pages struct {
	db   *db.DB
	site *web.Site
}

// NewPages registers the admin templates.
func NewPages(d *db.DB, site *web.Site) (*Pages, error) {
	if err := site.Add("admin", templates, "templates"); err != nil {
		return nil, err
	}
	return &Pages{db: d, site: site}, nil
}

// Routes adds the admin screens.
func (p *Pages) Routes(mux httpx.Router) {
	mux.Handle("GET /admin", p.site.H(p.index))
	mux.Handle("GET /admin/audit", p.site.H(p.audit))
	mux.Handle("GET /admin/outbox", p.site.H(p.outbox))
}

// requireAdmin lets only platform admins through.
func requireAdmin(r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	if !v.IsAdmin {
		return httpx.ErrForbidden
	}
	return nil
}

func (p *Pages) index(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "admin/index", p.site.NewPage(w, r, "admin.title"))
}

type auditPage struct {
	web.Page
	Entries []audit.Entry
	Action  string
	Actions []string
	Pager   web.Pager
}

func (p *Pages) audit(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	f := audit.Filter{Action: q.Get("action"), Before: q.Get("before"), Limit: pageSize + 1}
	entries, err := audit.List(r.Context(), p.db.R, f)
	if err != nil {
		return err
	}
	pg := auditPage{Page: p.site.NewPage(w, r, "admin.audit.title"), Action: f.Action, Actions: Actions()}
	next := ""
	if len(entries) > pageSize {
		entries = entries[:pageSize]
		v := url.Values{"before": {entries[pageSize-1].ID}}
		if f.Action != "" {
			v.Set("action", f.Action)
		}
		next = "/admin/audit?" + v.Encode()
	}
	prev := ""
	if f.Before != "" {
		prev = "/admin/audit"
		if f.Action != "" {
			prev += "?action=" + url.QueryEscape(f.Action)
		}
	}
	pg.Entries, pg.Pager = entries, pg.NewPager(prev, next)
	return p.site.Render(w, http.StatusOK, "admin/audit", pg)
}

type outboxPage struct {
	web.Page
	Items []mail.OutboxItem
	Pager web.Pager
}

// outbox shows mail written instead of sent; only in development mode, since
// reset links in it would let an admin take over any account.
func (p *Pages) outbox(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	if !p.site.Dev {
		return httpx.ErrNotFound
	}
	before := r.URL.Query().Get("before")
	items, err := mail.ListOutbox(r.Context(), p.db, pageSize+1, before)
	if err != nil {
		return err
	}
	pg := outboxPage{Page: p.site.NewPage(w, r, "admin.outbox.title")}
	next, prev := "", ""
	if len(items) > pageSize {
		items = items[:pageSize]
		next = "/admin/outbox?before=" + url.QueryEscape(items[pageSize-1].ID)
	}
	if before != "" {
		prev = "/admin/outbox"
	}
	pg.Items, pg.Pager = items, pg.NewPager(prev, next)
	return p.site.Render(w, http.StatusOK, "admin/outbox", pg)
}
