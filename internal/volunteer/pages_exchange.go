package volunteer

// The coordinator's import and export screens. The import is stateless: the
// preview page carries the checked file (base64) in one form whose buttons
// import its valid rows or download the report of its rejected rows; each
// step reads and checks the file again.

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

func (p *Pages) exchangeRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /organisations/{id}/volunteers/import", h(p.importForm))
	mux.Handle("POST /organisations/{id}/volunteers/import", h(p.importPost))
	mux.Handle("POST /organisations/{id}/volunteers/import/report", h(p.importReport))
	mux.Handle("GET /organisations/{id}/volunteers/import/template", h(p.importTemplate))
	mux.Handle("GET /organisations/{id}/shifts/{sid}/roster", h(p.exportRoster))
	mux.Handle("GET /organisations/{id}/hours/export", h(p.exportHours))
}

// Rows the preview shows; the report file has every rejected row.
const (
	exchShowRejected = 500
	exchShowValid    = 200
)

// exchBodyLimit bounds a posted import form: the file, or its base64 (4/3 of
// MaxImportBytes), plus the other fields.
const exchBodyLimit = MaxImportBytes*4/3 + 1<<20

// exchCoordinator checks that the viewer coordinates the organisation of the
// address and returns it.
func (p *Pages) exchCoordinator(r *http.Request) (*httpx.Viewer, *org.Org, error) {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if v == nil {
		return nil, nil, httpx.ErrUnauthorized
	}
	id := r.PathValue("id")
	if err := p.svc.orgs.Require(ctx, v, org.ManageVolunteering, id); err != nil {
		return nil, nil, err
	}
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return nil, nil, err
	}
	return v, o, nil
}

// exchColumn describes a column of the import file on the form.
type exchColumn struct {
	Name, Label, Hint string
	Required          bool
}

// exchRow is a row of the preview table.
type exchRow struct {
	Line    string
	Cells   []string
	Reasons []string
	Outcome string
}

type exchImportPage struct {
	web.Page
	Org     *org.Org
	OrgName string
	// Unverified: the organisation is not verified yet, so it cannot import.
	Unverified bool
	Columns    []exchColumn
	Max        string // the size limit, in MiB
	// FileError refuses the file as a whole.
	FileError string
	FileName  string
	Report    *ImportReport
	// Content is the checked file, base64, for the next step.
	Content string
	Notify  bool
	Head    []string
	// Rejected and Valid are the rows shown; More* count those left out.
	Rejected     []exchRow
	Valid        []exchRow
	MoreRejected int
	MoreValid    int
	// SkillList names the skills of the taxonomy, for the columns' help.
	SkillList string
}

func (p *Pages) newImportPage(w http.ResponseWriter, r *http.Request, o *org.Org) (exchImportPage, error) {
	pg := exchImportPage{Page: p.site.NewPage(w, r, "volunteer.import.title"), Org: o, Notify: true, Unverified: o.Status != org.Verified}
	pg.OrgName = o.Name(pg.Lang)
	pg.Max = pg.Number(MaxImportBytes >> 20)
	for _, c := range ImportColumns {
		pg.Columns = append(pg.Columns, exchColumn{Name: c, Label: pg.T(ImportColumnMsgID(c)), Hint: pg.T("volunteer.import.hint." + c),
			Required: c == ImportName || c == ImportEmail})
	}
	skills, err := p.svc.Skills(r.Context())
	if err != nil {
		return pg, err
	}
	names, sep := make([]string, len(skills)), "، "
	for i, k := range skills {
		names[i] = k.NameAr
		if pg.Lang == i18n.EN {
			names[i], sep = k.NameEn+" ("+k.ID+")", ", "
		}
	}
	pg.SkillList = strings.Join(names, sep)
	return pg, nil
}

func (p *Pages) importForm(w http.ResponseWriter, r *http.Request) error {
	_, o, err := p.exchCoordinator(r)
	if err != nil {
		return err
	}
	pg, err := p.newImportPage(w, r, o)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if pg.Unverified {
		status = http.StatusForbidden
	}
	return p.site.Render(w, status, "volunteer/exchange_import", pg)
}

// exchUpload is what an import form posted.
type exchUpload struct {
	file   []byte
	name   string
	step   string
	notify bool
	format string
}

// exchReadUpload reads the file from an upload (field "file") or, on the
// later steps, from the hidden field "content".
func exchReadUpload(w http.ResponseWriter, r *http.Request) (*exchUpload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, exchBodyLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, impFileError("volunteer.import.error.size", "")
		}
		return nil, httpx.ErrBadRequest
	}
	defer r.MultipartForm.RemoveAll()
	up := &exchUpload{step: r.PostFormValue("step"), notify: r.PostFormValue("notify") != "", format: r.PostFormValue("format")}
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
		if err != nil {
			return nil, httpx.ErrBadRequest
		}
		up.file, up.name = b, hdr.Filename
		if len(b) > 0 {
			return up, nil
		}
	}
	if c := r.PostFormValue("content"); c != "" {
		b, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return nil, httpx.ErrBadRequest
		}
		up.file, up.name = b, r.PostFormValue("filename")
		return up, nil
	}
	return nil, impFileError("volunteer.import.error.no_file", "")
}

// exchFileName keeps the base of an uploaded file's name, one line, short.
func exchFileName(s string) string {
	s = path.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.Join(strings.Fields(s), " ")
	if s == "." || s == "/" || !utf8.ValidString(s) {
		return ""
	}
	for utf8.RuneCountInString(s) > 120 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

func (p *Pages) importPost(w http.ResponseWriter, r *http.Request) error {
	v, o, err := p.exchCoordinator(r)
	if err != nil {
		return err
	}
	pg, err := p.newImportPage(w, r, o)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	if pg.Unverified {
		return p.site.Render(w, http.StatusForbidden, "volunteer/exchange_import", pg)
	}
	up, err := exchReadUpload(w, r)
	if msg, ok := ImportFileProblem(err, pg.Locale); ok {
		pg.FileError = msg
		return p.site.Render(w, http.StatusUnprocessableEntity, "volunteer/exchange_import", pg)
	}
	if err != nil {
		return err
	}
	pg.FileName, pg.Notify = exchFileName(up.name), up.notify || up.step != "import"
	var rep *ImportReport
	if up.step == "import" {
		rep, err = p.svc.ImportVolunteers(r.Context(), v, o.ID, up.file, ImportOptions{Notify: up.notify})
		if errors.Is(err, ErrImportNothing) {
			// The rows were valid at the preview but not any more: show why.
			rep, err = p.svc.PreviewImport(r.Context(), v, o.ID, up.file)
			if err == nil {
				pg.FileError = pg.T(ErrImportNothing.MsgID)
			}
		}
	} else {
		rep, err = p.svc.PreviewImport(r.Context(), v, o.ID, up.file)
	}
	if msg, ok := ImportFileProblem(err, pg.Locale); ok {
		pg.FileError = msg
		return p.site.Render(w, http.StatusUnprocessableEntity, "volunteer/exchange_import", pg)
	}
	if err != nil {
		return err
	}
	pg.Report, pg.Content = rep, base64.StdEncoding.EncodeToString(up.file)
	p.fillPreview(&pg, rep)
	status := http.StatusOK
	if pg.FileError != "" {
		status = http.StatusUnprocessableEntity
	}
	return p.site.Render(w, status, "volunteer/exchange_import", pg)
}

// fillPreview lays out the report's rows for the page.
func (p *Pages) fillPreview(pg *exchImportPage, rep *ImportReport) {
	for _, c := range rep.Columns {
		pg.Head = append(pg.Head, pg.T(ImportColumnMsgID(c)))
	}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		row := exchRow{Line: pg.Number(int64(r.Line))}
		for _, c := range rep.Columns {
			row.Cells = append(row.Cells, r.Values[c])
		}
		if !r.OK() {
			if len(pg.Rejected) == exchShowRejected {
				pg.MoreRejected++
				continue
			}
			row.Reasons = r.Reasons(pg.Locale)
			pg.Rejected = append(pg.Rejected, row)
			continue
		}
		if len(pg.Valid) == exchShowValid {
			pg.MoreValid++
			continue
		}
		row.Outcome = pg.T(r.Outcome.MsgID())
		pg.Valid = append(pg.Valid, row)
	}
}

// exchSend writes a download.
func exchSend(w http.ResponseWriter, f *ExportFile) error {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", f.Disposition())
	h.Set("Content-Length", strconv.Itoa(len(f.Body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(f.Body)
	return err
}

// importReport downloads the rejected rows of the posted file.
func (p *Pages) importReport(w http.ResponseWriter, r *http.Request) error {
	v, o, err := p.exchCoordinator(r)
	if err != nil {
		return err
	}
	up, err := exchReadUpload(w, r)
	if err != nil {
		return err
	}
	format, err := ParseExportFormat(up.format)
	if err != nil {
		return err
	}
	loc := httpx.Locale(r.Context())
	t, err := p.svc.ImportRejected(r.Context(), v, o.ID, up.file, loc)
	if err != nil {
		return err
	}
	f, err := t.File(format, loc.T("volunteer.import.report.file"), "rejected-rows")
	if err != nil {
		return err
	}
	return exchSend(w, f)
}

// importTemplate downloads an empty file with the header row in the page's language.
func (p *Pages) importTemplate(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := p.exchCoordinator(r); err != nil {
		return err
	}
	format, err := ParseExportFormat(r.URL.Query().Get("format"))
	if err != nil {
		return err
	}
	loc := httpx.Locale(r.Context())
	f, err := ImportTemplate(loc).File(format, loc.T("volunteer.import.template.file"), "volunteers")
	if err != nil {
		return err
	}
	return exchSend(w, f)
}

// exchExportPage offers the roster's downloads, or the hours export's form.
type exchExportPage struct {
	web.Page
	Org     *org.Org
	OrgName string
	// Unverified: the organisation is not verified yet, so it cannot import.
	Unverified bool
	// The roster's shift, when this is the roster's page.
	Roster    *Roster
	OppTitle  string
	RosterURL string
	Here      string
	// The hours form.
	Form       *web.Form
	StatusOpts []web.Option
}

func (p *Pages) exportRoster(w http.ResponseWriter, r *http.Request) error {
	v, o, err := p.exchCoordinator(r)
	if err != nil {
		return err
	}
	ctx, sid := r.Context(), r.PathValue("sid")
	if q := r.URL.Query(); q.Has("format") {
		format, err := ParseExportFormat(q.Get("format"))
		if err != nil {
			return err
		}
		f, err := p.svc.ExportRoster(ctx, v, o.ID, sid, format, httpx.Locale(ctx))
		if err != nil {
			return err
		}
		return exchSend(w, f)
	}
	ro, err := p.svc.Roster(ctx, v, sid)
	if err != nil {
		return err
	}
	if ro.Opportunity.OrgID != o.ID {
		return httpx.ErrNotFound
	}
	pg := exchExportPage{Page: p.site.NewPage(w, r, "volunteer.export.roster.title"), Org: o, Roster: ro}
	pg.OrgName, pg.OppTitle = o.Name(pg.Lang), ro.Opportunity.Title(pg.Lang)
	pg.RosterURL, pg.Here = "/shifts/"+sid+"/roster", "/organisations/"+o.ID+"/shifts/"+sid+"/roster"
	return p.site.Render(w, http.StatusOK, "volunteer/exchange_export", pg)
}

func (p *Pages) exportHours(w http.ResponseWriter, r *http.Request) error {
	v, o, err := p.exchCoordinator(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	f := web.EmptyForm()
	for _, k := range []string{"from", "to", "status"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	status := http.StatusOK
	if q.Has("format") {
		format, err := ParseExportFormat(q.Get("format"))
		if err == nil {
			var file *ExportFile
			file, err = p.svc.ExportHours(ctx, v, o.ID, HoursExportFilter{From: f.Get("from"), To: f.Get("to"), Status: HoursStatus(f.Get("status"))},
				format, httpx.Locale(ctx))
			if err == nil {
				return exchSend(w, file)
			}
		}
		switch he, ok := attFieldErrors(err); {
		case ok:
			f.SetErrors(he.Fields)
			status = he.Status
		case errors.Is(err, ErrExportTooLarge):
			f.SetErrors(map[string]string{"from": ErrExportTooLarge.MsgID})
			status = ErrExportTooLarge.Status
		default:
			return err
		}
	}
	pg := exchExportPage{Page: p.site.NewPage(w, r, "volunteer.export.hours.title"), Org: o, Form: f}
	pg.OrgName, pg.Here = o.Name(pg.Lang), "/organisations/"+o.ID+"/hours/export"
	pg.StatusOpts = hoursStatusOptions(pg.Page, HoursStatus(f.Get("status")))
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, status, "volunteer/exchange_export", pg)
}

// ExportRosterURL is the address of a shift's roster download (format "csv"
// or "xlsx"; "" for the page offering both), for the roster page's links.
func ExportRosterURL(orgID, shiftID, format string) string {
	u := "/organisations/" + orgID + "/shifts/" + shiftID + "/roster"
	if format != "" {
		u += "?format=" + url.QueryEscape(format)
	}
	return u
}
