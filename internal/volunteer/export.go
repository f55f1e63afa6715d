package volunteer

// Exports for coordinators: a shift's roster and an organisation's hours, as
// CSV (UTF-8 with a BOM, so spreadsheet programs read Arabic right) or XLSX
// (a sheet named in the reader's language, right to left for Arabic). They
// carry personal data, so only the organisation's coordinators may take
// them, and every export is audited with what it held and how many rows.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// ExportFormat is the kind of file an export writes.
type ExportFormat string

const (
	ExportCSV  ExportFormat = "csv"
	ExportXLSX ExportFormat = "xlsx"
)

// ParseExportFormat reads a format parameter; "" is CSV.
func ParseExportFormat(s string) (ExportFormat, error) {
	switch ExportFormat(strings.ToLower(strings.TrimSpace(s))) {
	case "", ExportCSV:
		return ExportCSV, nil
	case ExportXLSX:
		return ExportXLSX, nil
	}
	return "", &httpx.Error{Status: http.StatusBadRequest, Type: "export-format", MsgID: "volunteer.export.error.format",
		Fields: map[string]string{"format": "volunteer.export.error.format"}}
}

// MaxExportRows bounds one hours export; a longer period is refused with a
// message asking for a shorter one.
const MaxExportRows = 100_000

// ErrExportTooLarge refuses an export of more than MaxExportRows rows.
var ErrExportTooLarge = &httpx.Error{Status: http.StatusUnprocessableEntity, Type: "export-too-large", MsgID: "volunteer.export.error.too_large"}

// ExportTable is what an export holds: a sheet name, a header row and rows
// of cells (string, int or float64).
type ExportTable struct {
	Sheet  string
	Header []string
	Rows   [][]any
	// RTL shows the sheet right to left (Arabic).
	RTL bool
}

// ExportFile is a finished download.
type ExportFile struct {
	// Name is the file name in the reader's language; ASCIIName is the
	// fallback for programs that do not read RFC 8187 names.
	Name, ASCIIName string
	ContentType     string
	Body            []byte
	Rows            int
}

// Disposition is the Content-Disposition header of the download.
func (f *ExportFile) Disposition() string {
	return `attachment; filename="` + f.ASCIIName + `"; filename*=UTF-8''` + exportPercent(f.Name)
}

// exportPercent encodes a name as RFC 8187 does: every byte outside attr-char as %XX.
func exportPercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

var exportUnsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// exportASCII keeps a file name to letters, digits, dots, dashes and underscores.
func exportASCII(s string) string {
	return strings.Trim(exportUnsafeName.ReplaceAllString(s, "-"), "-")
}

// exportNameChars keeps a localised file name free of path and quote characters.
var exportNameChars = regexp.MustCompile(`[\\/:*?"<>|\x00-\x1f]+`)

// File writes the table as format; name and ascii are the file names without extension.
func (t *ExportTable) File(format ExportFormat, name, ascii string) (*ExportFile, error) {
	f := &ExportFile{Rows: len(t.Rows)}
	name = strings.TrimSpace(exportNameChars.ReplaceAllString(name, "-"))
	f.Name, f.ASCIIName = name+"."+string(format), exportASCII(ascii)+"."+string(format)
	switch format {
	case ExportXLSX:
		body, err := t.XLSX()
		if err != nil {
			return nil, err
		}
		f.Body, f.ContentType = body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		f.Body, f.ContentType = t.CSV(), "text/csv; charset=utf-8"
	}
	return f, nil
}

// exportPhoneLike is a cell that starts with + or - but is a phone number or a number.
var exportPhoneLike = regexp.MustCompile(`^[+-]?[0-9][0-9 ()\-.]*$`)

// exportSafeCSV keeps a spreadsheet program from running a cell as a formula
// (CSV injection): text starting with = + - @ or a control character gets a
// leading apostrophe, except numbers and phone numbers.
func exportSafeCSV(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if !exportPhoneLike.MatchString(s) {
			return "'" + s
		}
	}
	return s
}

func exportCellText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// CSV writes the table as UTF-8 with a byte order mark and CRLF lines.
func (t *ExportTable) CSV() []byte {
	var buf bytes.Buffer
	buf.Write(utf8BOM)
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(t.Header) // writes to a bytes.Buffer cannot fail
	rec := make([]string, 0, len(t.Header))
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, c := range row {
			s, isText := c.(string)
			if !isText {
				s = exportCellText(c)
			} else {
				s = exportSafeCSV(s)
			}
			rec = append(rec, s)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return buf.Bytes()
}

// exportSheetName makes a valid sheet name: no []:*?/\ and at most 31 characters.
func exportSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.Trim(s, "'")
	for utf8.RuneCountInString(s) > 31 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	if s == "" {
		return "Sheet1"
	}
	return s
}

// XLSX writes the table as a workbook of one sheet: bold, frozen header row;
// text stays text (never a formula), numbers are numbers.
func (t *ExportTable) XLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := exportSheetName(t.Sheet)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("name sheet: %w", err)
	}
	if t.RTL {
		rtl := true
		if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
			return nil, fmt.Errorf("sheet view: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if len(t.Header) > 0 {
		if err := sw.SetColWidth(1, len(t.Header), 20); err != nil {
			return nil, err
		}
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	for i, row := range t.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// exportAudit records an export of personal data.
func (s *Service) exportAudit(ctx context.Context, viewer *httpx.Viewer, orgID, what string, format ExportFormat, rows int, extra map[string]string) error {
	details := map[string]string{"what": what, "format": string(format), "rows": strconv.Itoa(rows)}
	for k, v := range extra {
		details[k] = v
	}
	targetType, targetID := "organisation", orgID
	if id := extra["shift"]; id != "" {
		targetType, targetID = "shift", id
	}
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.export", TargetType: targetType, TargetID: targetID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: details})
	})
}

// exportZone is where an export's times are written: the reader's zone.
func (s *Service) exportZone(loc *i18n.Locale) *time.Location {
	if loc != nil && loc.Zone != nil {
		return loc.Zone
	}
	return s.zone
}

func exportTime(t *time.Time, z *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(z).Format("2006-01-02 15:04")
}

func exportYes(loc *i18n.Locale, b bool) string {
	if b {
		return loc.T("volunteer.export.yes")
	}
	return ""
}

// exportPhones reads the volunteers' own phone numbers, for the people of a roster.
func exportPhones(ctx context.Context, q db.Querier, userIDs []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(userIDs); start += impChunk {
		chunk := userIDs[start:min(start+impChunk, len(userIDs))]
		marks, args := make([]string, len(chunk)), make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := q.QueryContext(ctx, `SELECT user_id, phone FROM volunteer_profiles WHERE user_id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read phones: %w", err)
		}
		for rows.Next() {
			var id, phone string
			if err := rows.Scan(&id, &phone); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = phone
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ExportRoster writes a shift's roster (every confirmed, pending and
// waitlisted sign-up, role by role) for the coordinators of orgID, the
// shift's organisation, with headers in loc's language.
func (s *Service) ExportRoster(ctx context.Context, viewer *httpx.Viewer, orgID, shiftID string, format ExportFormat, loc *i18n.Locale) (*ExportFile, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	ro, err := s.Roster(ctx, viewer, shiftID)
	if err != nil {
		return nil, err
	}
	if ro.Opportunity.OrgID != orgID {
		return nil, httpx.ErrNotFound
	}
	var ids []string
	for _, role := range ro.Roles {
		for _, list := range [][]RosterEntry{role.Confirmed, role.Pending, role.Waitlisted} {
			for _, e := range list {
				ids = append(ids, e.UserID)
			}
		}
	}
	phones, err := exportPhones(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	z := s.exportZone(loc)
	t := &ExportTable{Sheet: loc.T("volunteer.export.roster.sheet"), RTL: loc.Lang == i18n.AR}
	for _, c := range []string{"role", "status", "position", "name", "email", "phone", "party", "members", "vetted", "team", "team_leader",
		"checked_in", "checked_out", "no_show", "no_show_comment", "signed_up"} {
		t.Header = append(t.Header, loc.T("volunteer.export.roster.col."+c))
	}
	for _, role := range ro.Roles {
		name := role.Name(loc.Lang)
		for _, list := range [][]RosterEntry{role.Confirmed, role.Pending, role.Waitlisted} {
			for _, e := range list {
				pos := any("")
				if e.Position > 0 {
					pos = e.Position
				}
				team := any("") // a team comes from a distribution
				if e.Team > 0 {
					team = e.Team
				}
				t.Rows = append(t.Rows, []any{name, loc.T("volunteer.export.roster.status." + string(e.Status)), pos, e.Name, e.Email,
					phones[e.UserID], e.PartySize, strings.Join(e.Members, "، "), exportYes(loc, e.Vetted), team, exportYes(loc, e.TeamLeader),
					exportTime(e.CheckedInAt, z), exportTime(e.CheckedOutAt, z), exportYes(loc, e.NoShow), e.NoShowComment,
					exportTime(&e.CreatedAt, z)})
			}
		}
	}
	day := ro.Shift.StartsAt.In(z).Format(time.DateOnly)
	f, err := t.File(format, loc.T("volunteer.export.roster.file", "Title", ro.Opportunity.Title(loc.Lang), "Date", day), "roster-"+day)
	if err != nil {
		return nil, err
	}
	if err := s.exportAudit(ctx, viewer, orgID, "roster", format, f.Rows, map[string]string{"shift": shiftID}); err != nil {
		return nil, err
	}
	return f, nil
}

// HoursExportFilter chooses the hours of an export: worked between From and
// To (YYYY-MM-DD, either digits, inclusive; "" is open) with a status ("" for all).
type HoursExportFilter struct {
	From, To string
	Status   HoursStatus
}

// check normalises the filter; field errors use the query parameter names.
func (f *HoursExportFilter) check() error {
	errs := map[string]string{}
	for _, p := range []struct {
		name string
		v    *string
	}{{"from", &f.From}, {"to", &f.To}} {
		if strings.TrimSpace(*p.v) == "" {
			*p.v = ""
			continue
		}
		day, ok := hoursParseDay(*p.v)
		if !ok {
			errs[p.name] = "volunteer.export.error.date"
			continue
		}
		*p.v = day
	}
	if f.From != "" && f.To != "" && f.From > f.To && errs["from"] == "" && errs["to"] == "" {
		errs["to"] = "volunteer.export.error.order"
	}
	if f.Status != "" && f.Status != HoursPending && f.Status != HoursApproved && f.Status != HoursDeclined {
		errs["status"] = "volunteer.hours.error.status"
	}
	if len(errs) > 0 {
		return httpx.Invalid(errs)
	}
	return nil
}

// scanPlus scans a row's leading columns with an existing scanner and the
// columns after them into extra.
type scanPlus struct {
	rows  *sql.Rows
	extra []any
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }

// ExportHours writes an organisation's hours in a period, oldest first, for
// its coordinators: volunteer, date, minutes and hours, category, source,
// status, who decided and the reason of a decline.
func (s *Service) ExportHours(ctx context.Context, viewer *httpx.Viewer, orgID string, f HoursExportFilter, format ExportFormat, loc *i18n.Locale) (*ExportFile, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+hoursCols+`, u.email`+hoursFrom+`WHERE h.org_id = $1
			AND ($2 = '' OR h.worked_on >= $2) AND ($3 = '' OR h.worked_on <= $3) AND ($4 = '' OR h.status = $4)
		ORDER BY h.worked_on, h.id LIMIT $5`, orgID, f.From, f.To, string(f.Status), MaxExportRows+1)
	if err != nil {
		return nil, fmt.Errorf("export hours: %w", err)
	}
	defer rows.Close()
	t := &ExportTable{Sheet: loc.T("volunteer.export.hours.sheet"), RTL: loc.Lang == i18n.AR}
	for _, c := range []string{"name", "email", "date", "minutes", "hours", "category", "source", "work", "status", "decided_by", "decided_at", "decline_reason"} {
		t.Header = append(t.Header, loc.T("volunteer.export.hours.col."+c))
	}
	z := s.exportZone(loc)
	for rows.Next() {
		var email string
		h, err := scanHours(scanPlus{rows: rows, extra: []any{&email}})
		if err != nil {
			return nil, err
		}
		if len(t.Rows) == MaxExportRows {
			return nil, ErrExportTooLarge
		}
		work := h.Description
		if h.Source == HoursFromAttendance {
			work = h.OpportunityTitle(loc.Lang)
		}
		source := loc.T("volunteer.export.hours.source." + h.Source)
		decider := h.DeciderName
		if decider == "" && h.Status != HoursPending {
			decider = loc.T("volunteer.export.hours.automatic")
		}
		t.Rows = append(t.Rows, []any{h.UserName, email, h.WorkedOn, h.Minutes, math.Round(float64(h.Minutes)/60*100) / 100,
			loc.T(HoursCategoryMsgID(h.Category)), source, work, loc.T(h.Status.MsgID()), decider, exportTime(h.DecidedAt, z), h.DeclineReason})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	from, to := f.From, f.To
	if from == "" {
		from = loc.T("volunteer.export.hours.start")
	}
	if to == "" {
		to = s.now().In(s.zone).Format(time.DateOnly)
	}
	ascii := "hours"
	if f.From != "" {
		ascii += "-" + f.From
	}
	ascii += "-" + to
	file, err := t.File(format, loc.T("volunteer.export.hours.file", "From", from, "To", to), ascii)
	if err != nil {
		return nil, err
	}
	if err := s.exportAudit(ctx, viewer, orgID, "hours", format, file.Rows,
		map[string]string{"from": f.From, "to": f.To, "status": string(f.Status)}); err != nil {
		return nil, err
	}
	return file, nil
}
