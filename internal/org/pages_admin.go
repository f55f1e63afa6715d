package org

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

type adminOrgsPage struct {
	web.Page
	Orgs []*Org
}

func (p *Pages) adminOrgs(w http.ResponseWriter, r *http.Request) error {
	orgs, err := p.svc.PendingOrgs(r.Context(), httpx.ViewerFrom(r.Context()))
	if err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "org/admin_orgs", adminOrgsPage{Page: p.site.NewPage(w, r, "org.admin.title"), Orgs: orgs})
}

func (p *Pages) verify(w http.ResponseWriter, r *http.Request) error {
	return p.decide(w, r, p.svc.Verify, "org.flash.verified")
}

func (p *Pages) reject(w http.ResponseWriter, r *http.Request) error {
	return p.decide(w, r, p.svc.Reject, "org.flash.rejected")
}

func (p *Pages) decide(w http.ResponseWriter, r *http.Request, do func(ctx context.Context, v *httpx.Viewer, id string) error, okMsg string) error {
	err := do(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if errors.Is(err, ErrNotPending) {
		web.SetFlash(w, "error", ErrNotPending.MsgID)
		web.Redirect(w, r, "/admin/organisations")
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", okMsg)
	web.Redirect(w, r, "/admin/organisations")
	return nil
}

type importPage struct {
	web.Page
	CSV    string
	Report *ImportReport
	Failed bool
}

// maxImportBytes bounds an uploaded places file.
const maxImportBytes = 10 << 20

func (p *Pages) importForm(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(httpx.ViewerFrom(r.Context())); err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "org/admin_import", importPage{Page: p.site.NewPage(w, r, "org.import.title")})
}

// importPlaces takes the file from an upload or, failing that, from the
// text area, and shows the report on the same page.
func (p *Pages) importPlaces(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if err := requireAdmin(v); err != nil {
		return err
	}
	text, err := importText(w, r)
	if err != nil {
		return err
	}
	pg := importPage{Page: p.site.NewPage(w, r, "org.import.title"), CSV: text}
	status := http.StatusOK
	pg.Report, err = p.svc.ImportPlacesCSV(r.Context(), strings.NewReader(text), v.ID)
	switch {
	case errors.Is(err, ErrImportRejected):
		pg.Failed, status = true, http.StatusUnprocessableEntity
	case err != nil:
		return err
	default:
		pg.CSV = ""
	}
	return p.site.Render(w, status, "org/admin_import", pg)
}

func importText(w http.ResponseWriter, r *http.Request) (string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(maxImportBytes); err != nil {
			return "", httpx.ErrBadRequest
		}
		if file, _, err := r.FormFile("file"); err == nil {
			defer file.Close()
			b, err := io.ReadAll(file)
			if err != nil {
				return "", httpx.ErrBadRequest
			}
			if len(b) > 0 {
				return string(b), nil
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return "", httpx.ErrBadRequest
	}
	return r.PostFormValue("csv"), nil
}
