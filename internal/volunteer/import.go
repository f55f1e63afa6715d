package volunteer

// Importing volunteers from an organisation's spreadsheet (CSV or XLSX):
// every row is read and checked first (the preview writes nothing), then the
// valid rows are written in one transaction. The file travels with the
// coordinator's forms instead of being kept on the server, so nothing about
// an import lives between requests and any instance can serve each step.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Limits of an import file.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 20_000
	// impMaxColumns bounds the header, so a sheet with thousands of empty
	// columns cannot make every row expensive.
	impMaxColumns = 64
)

// The columns of an import file, by their canonical (header) names.
const (
	ImportName      = "name"
	ImportEmail     = "email"
	ImportPhone     = "phone"
	ImportGender    = "gender"
	ImportBirthDate = "birth_date"
	ImportSkills    = "skills"
	ImportLanguages = "languages"
	ImportPlace     = "neighbourhood"
)

// ImportColumns lists the columns a file may have, in the order of the template.
var ImportColumns = []string{ImportName, ImportEmail, ImportPhone, ImportGender, ImportBirthDate, ImportSkills, ImportLanguages, ImportPlace}

// ImportColumnMsgID is the catalogue id of a column's name.
func ImportColumnMsgID(col string) string { return "volunteer.import.col." + col }

// CharterImported is the charter version of a profile an organisation
// imported: the person has not accepted the charter yet, and the profile page
// asks them to (it asks whenever the version is not CharterVersion).
const CharterImported = "imported"

// ImportFormat is the kind of file.
type ImportFormat string

const (
	ImportCSV  ImportFormat = "csv"
	ImportXLSX ImportFormat = "xlsx"
)

// ImportOutcome says what importing a valid row does.
type ImportOutcome string

const (
	// ImportPending is the one outcome a preview shows for every valid row:
	// the row is imported or, if the address already has an account, left
	// for the coordinator to invite. A preview never looks accounts up, so
	// that it cannot tell anyone which addresses have one.
	ImportPending ImportOutcome = "pending"
	// ImportNewAccount: no account had the address; one was created with
	// the profile and the membership.
	ImportNewAccount ImportOutcome = "new_account"
	// ImportSkipped: the address already has an account. Nothing about that
	// person is changed (no membership, no profile): an import cannot act
	// on someone's account without their consent.
	ImportSkipped ImportOutcome = "skipped"
)

// MsgID is the catalogue id of the outcome's description.
func (o ImportOutcome) MsgID() string { return "volunteer.import.outcome." + string(o) }

// ImportProblem is one reason a row is refused.
type ImportProblem struct {
	Column string // "" for the row as a whole
	MsgID  string
	Value  string // the text that was refused
	Row    int    // the other row, for a duplicate
}

// Text is the problem in loc's language, naming its column.
func (p ImportProblem) Text(loc *i18n.Locale) string {
	msg := loc.T(p.MsgID, "Value", p.Value, "Row", loc.Number(int64(p.Row)),
		"Min", loc.Number(MinVolunteerAge), "Max", loc.Number(MaxVolunteerAge))
	if p.Column == "" {
		return msg
	}
	return loc.T(ImportColumnMsgID(p.Column)) + ": " + msg
}

// ImportRow is one data row of the file.
type ImportRow struct {
	// Line is the row's number in the sheet (the header is 1).
	Line int
	// Values are the cells as written, by column.
	Values   map[string]string
	Problems []ImportProblem
	// For valid rows: what importing does (ImportPending in a preview).
	Outcome ImportOutcome

	email, name, phone string
	gender             Gender
	birthDate          string
	skills, languages  []string
	placeID            string
	userID             string
}

// OK reports whether the row can be imported.
func (r *ImportRow) OK() bool { return len(r.Problems) == 0 }

// Reasons are the row's problems in loc's language.
func (r *ImportRow) Reasons(loc *i18n.Locale) []string {
	out := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		out[i] = p.Text(loc)
	}
	return out
}

func (r *ImportRow) refuse(col, msgID, value string) {
	r.Problems = append(r.Problems, ImportProblem{Column: col, MsgID: msgID, Value: value})
}

// ImportReport is what a preview found, or what an import did.
type ImportReport struct {
	Format ImportFormat
	// Columns are the file's columns, in the file's order.
	Columns []string
	// Rows are every data row, in the file's order (blank rows skipped).
	Rows     []ImportRow
	Valid    int
	Rejected int
	// What an import did (always zero in a preview, which does not look
	// accounts up): accounts created with their profile and membership, and
	// rows skipped because their address already has an account.
	NewAccounts int
	Skipped     int
	// Imported is true once the valid rows are written.
	Imported bool
	// Notified counts the welcome emails queued for new accounts.
	Notified int
}

// ImportOptions are the coordinator's choices for an import.
type ImportOptions struct {
	// Notify emails everyone whose account the import creates, saying who
	// added them and how to choose a password.
	Notify bool
}

// Errors of imports.
var (
	ErrImportNothing = &httpx.Error{Status: http.StatusUnprocessableEntity, Type: "import-nothing", MsgID: "volunteer.import.error.nothing"}
	// ErrImportUnverified refuses imports into an organisation the platform
	// has not verified.
	ErrImportUnverified = &httpx.Error{Status: http.StatusForbidden, Type: "import-unverified", MsgID: "volunteer.import.error.unverified"}
)

// impFileError refuses the file as a whole; value (a column name, a line
// number) goes into the message.
func impFileError(msgID, value string) *httpx.Error {
	return &httpx.Error{Status: http.StatusUnprocessableEntity, Type: "import-file", MsgID: msgID, Detail: value,
		Fields: map[string]string{"file": msgID}}
}

// ImportFileProblem is the message of an error that refused a whole file, in
// loc's language; ok is false for any other error.
func ImportFileProblem(err error, loc *i18n.Locale) (string, bool) {
	var e *httpx.Error
	if !errors.As(err, &e) || e.Type != "import-file" {
		return "", false
	}
	return loc.T(e.MsgID, "Value", e.Detail, "Max", loc.Number(MaxImportRows), "Size", loc.Number(MaxImportBytes>>20)), true
}

// impFold prepares text for matching, not for display: digits made ASCII,
// Arabic diacritics and tatweel dropped, letter variants unified (أ إ آ ٱ → ا,
// ى → ي, ة → ه, ؤ → و, ئ → ي), case folded and spaces collapsed.
func impFold(s string) string {
	s = i18n.NormalizeDigits(s)
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640, r == 0x200F, r == 0x200E, r == 0xFEFF:
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى' || r == 'ئ':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ؤ':
			r = 'و'
		}
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimSpace(b.String())
}

// impHeaderKey folds a header cell: "Birth date", "birth-date" and
// "birth_date" are the same column.
func impHeaderKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, impFold(s))
}

// impIgnored marks header names of columns an import skips: the row number
// and reason of a rejected-rows report, so that a corrected report can be
// imported as it is.
const impIgnored = "-"

// impHeaders maps a folded header name to its column: the canonical names,
// common variants in both languages, and the column names of the catalogue
// (what the template and the report write).
var impHeaders = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	add := func(col string, names ...string) {
		for _, n := range names {
			m[impHeaderKey(n)] = col
		}
	}
	add(ImportName, "full name", "الاسم الكامل", "الاسم")
	add(ImportEmail, "e-mail", "email address", "البريد", "البريد الإلكتروني")
	add(ImportPhone, "mobile", "phone number", "الهاتف", "الجوال", "رقم الجوال", "رقم الهاتف")
	add(ImportGender, "sex")
	add(ImportBirthDate, "birthdate", "date of birth")
	add(ImportPlace, "neighborhood", "home neighbourhood", "home neighborhood", "home place", "الحي", "حي السكن")
	for _, lang := range []i18n.Lang{i18n.AR, i18n.EN} {
		loc := i18n.New(lang, i18n.Latin, nil)
		for _, col := range ImportColumns {
			add(col, loc.T(ImportColumnMsgID(col)))
		}
		add(impIgnored, loc.T("volunteer.import.report.row"), loc.T("volunteer.import.report.reason"))
	}
	for _, col := range ImportColumns {
		add(col, col)
	}
	return m
})

// impTable is a file read into cells.
type impTable struct {
	format   ImportFormat
	records  [][]string
	date1904 bool
}

// impRead checks what the bytes are by their content (not their name) and
// reads every row. XLSX is a zip holding [Content_Types].xml, read from its
// first sheet; CSV is UTF-8 text (a BOM is allowed) separated by commas,
// semicolons or tabs.
func impRead(b []byte) (*impTable, error) {
	switch {
	case len(b) == 0:
		return nil, impFileError("volunteer.import.error.empty", "")
	case len(b) > MaxImportBytes:
		return nil, impFileError("volunteer.import.error.size", "")
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return impReadXLSX(b)
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return nil, impFileError("volunteer.import.error.xls", "")
	}
	return impReadCSV(b)
}

func impReadXLSX(b []byte) (*impTable, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || !slices.ContainsFunc(zr.File, func(f *zip.File) bool { return f.Name == "[Content_Types].xml" }) {
		return nil, impFileError("volunteer.import.error.type", "")
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, impFileError("volunteer.import.error.xlsx", "")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, impFileError("volunteer.import.error.empty", "")
	}
	t := &impTable{format: ImportXLSX}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, impFileError("volunteer.import.error.xlsx", "")
	}
	defer rows.Close()
	for rows.Next() {
		if len(t.records) > MaxImportRows {
			return nil, impFileError("volunteer.import.error.rows", "")
		}
		// Raw values: numbers as stored (a phone number stays whole, a date
		// is its serial), not as the cell's display format shows them.
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, impFileError("volunteer.import.error.xlsx", "")
		}
		t.records = append(t.records, cells)
	}
	if rows.Error() != nil {
		return nil, impFileError("volunteer.import.error.xlsx", "")
	}
	return t, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func impReadCSV(b []byte) (*impTable, error) {
	b = bytes.TrimPrefix(b, utf8BOM)
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, impFileError("volunteer.import.error.type", "")
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = impSeparator(b)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	t := &impTable{format: ImportCSV}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, impFileError("volunteer.import.error.csv", strconv.Itoa(line))
		}
		if len(t.records) > MaxImportRows {
			return nil, impFileError("volunteer.import.error.rows", "")
		}
		t.records = append(t.records, rec)
	}
	return t, nil
}

// impSeparator guesses the separator from the header line: spreadsheet
// programs set to Arabic or European locales write semicolons.
func impSeparator(b []byte) rune {
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	best, n := ',', bytes.Count(line, []byte{','})
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// impHeader maps the header row to columns ("" for a column without a
// header, impIgnored for one the import skips).
func impHeader(rec []string) ([]string, error) {
	for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
		rec = rec[:len(rec)-1]
	}
	if len(rec) == 0 {
		return nil, impFileError("volunteer.import.error.empty", "")
	}
	if len(rec) > impMaxColumns {
		return nil, impFileError("volunteer.import.error.columns", "")
	}
	known := impHeaders()
	cols := make([]string, len(rec))
	seen := map[string]bool{}
	for i, h := range rec {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if h == "" {
			continue
		}
		col, ok := known[impHeaderKey(h)]
		if !ok {
			return nil, impFileError("volunteer.import.error.unknown_column", h)
		}
		if col != impIgnored && seen[col] {
			return nil, impFileError("volunteer.import.error.duplicate_column", h)
		}
		seen[col], cols[i] = true, col
	}
	for _, need := range []string{ImportName, ImportEmail} {
		if !seen[need] {
			return nil, impFileError("volunteer.import.error.missing_column", need)
		}
	}
	return cols, nil
}

// impPlace is a place as the import needs it: to match what people write
// and to locate the volunteer.
type impPlace struct {
	id, parent string
	level      org.Level
	lat, lon   *float64
}

// impRefs is what rows are checked against, read once per file.
type impRefs struct {
	skills map[string]string   // folded id, Arabic or English name → skill id
	places map[string][]string // folded code or name → district and neighbourhood ids
	byID   map[string]*impPlace
	today  time.Time
}

func (s *Service) impLoadRefs(ctx context.Context, q db.Querier) (*impRefs, error) {
	rf := &impRefs{skills: map[string]string{}, places: map[string][]string{}, byID: map[string]*impPlace{}, today: s.profToday()}
	skills, err := s.Skills(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range skills {
		for _, key := range []string{k.ID, k.NameAr, k.NameEn} {
			if key = impFold(key); key != "" {
				rf.skills[key] = k.ID
			}
		}
	}
	places, err := impPlaces(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, p := range places {
		rf.byID[p.id] = &p.impPlace
		if p.level != org.District && p.level != org.Neighbourhood {
			continue
		}
		for _, key := range []string{p.code, p.nameAr, p.nameEn} {
			if key = impFold(key); key != "" && !slices.Contains(rf.places[key], p.id) {
				rf.places[key] = append(rf.places[key], p.id)
			}
		}
	}
	return rf, nil
}

// centroid is the location of a place, or of the nearest place above it
// that has one (what the profile page does for a home place).
func (rf *impRefs) centroid(id string) (lat, lon *float64) {
	for p, n := rf.byID[id], 0; p != nil && n < 10; p, n = rf.byID[p.parent], n+1 {
		if p.lat != nil && p.lon != nil {
			return p.lat, p.lon
		}
	}
	return nil, nil
}

// impListSep separates the items of a skills or languages cell.
var impListSep = regexp.MustCompile(`[,،;؛/|\n]+`)

func impList(s string) []string {
	var out []string
	for _, item := range impListSep.Split(s, -1) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// impGender reads female/male in English or Arabic; "" is not given.
func impGender(s string) (Gender, bool) {
	switch impFold(s) {
	case "":
		return GenderUnset, true
	case "female", "f", "انثي":
		return Female, true
	case "male", "m", "ذكر":
		return Male, true
	}
	return GenderUnset, false
}

var impSerialRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// impDate reads YYYY-MM-DD (either digits, "/" allowed, one-digit month and
// day allowed) or, from a spreadsheet, a date cell's serial number.
func impDate(s string, xlsx, date1904 bool) (time.Time, bool) {
	s = strings.TrimSpace(i18n.NormalizeDigits(s))
	if xlsx && impSerialRe.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 || f > 2958465 {
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, date1904)
		if err != nil {
			return time.Time{}, false
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
	}
	s = strings.ReplaceAll(s, "/", "-")
	t, err := time.Parse("2006-1-2", s)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, false
	}
	return t, true
}

// check reads and validates one row on its own; duplicates across rows are
// found by the caller.
func (rf *impRefs) check(t *impTable, line int, cols []string, rec []string) ImportRow {
	r := ImportRow{Line: line, Values: make(map[string]string, len(cols))}
	for i, c := range rec {
		switch {
		case i >= len(cols):
			if strings.TrimSpace(c) != "" {
				r.refuse("", "volunteer.import.reason.extra_cells", strings.TrimSpace(c))
			}
		case cols[i] != "" && cols[i] != impIgnored:
			r.Values[cols[i]] = strings.TrimSpace(c)
		}
	}
	v := r.Values

	r.name = strings.Join(strings.Fields(v[ImportName]), " ")
	switch {
	case r.name == "":
		r.refuse(ImportName, "volunteer.import.reason.name_missing", "")
	case utf8.RuneCountInString(r.name) > account.MaxName:
		r.refuse(ImportName, "volunteer.import.reason.name_long", "")
	case strings.ContainsFunc(r.name, unicode.IsControl):
		r.refuse(ImportName, "volunteer.import.reason.name_control", "")
	}

	r.email = account.NormalizeEmail(i18n.NormalizeDigits(v[ImportEmail]))
	switch {
	case r.email == "":
		r.refuse(ImportEmail, "volunteer.import.reason.email_missing", "")
	case !account.ValidEmail(r.email):
		r.refuse(ImportEmail, "volunteer.import.reason.email_bad", v[ImportEmail])
		r.email = ""
	}

	if r.phone = strings.TrimSpace(i18n.NormalizeDigits(v[ImportPhone])); r.phone != "" && !profPhoneOK(r.phone) {
		r.refuse(ImportPhone, "volunteer.import.reason.phone_bad", v[ImportPhone])
	}

	var ok bool
	if r.gender, ok = impGender(v[ImportGender]); !ok {
		r.refuse(ImportGender, "volunteer.import.reason.gender_bad", v[ImportGender])
	}

	if raw := v[ImportBirthDate]; raw != "" {
		born, ok := impDate(raw, t.format == ImportXLSX, t.date1904)
		switch {
		case !ok:
			r.refuse(ImportBirthDate, "volunteer.import.reason.date_bad", raw)
		case born.After(rf.today):
			r.refuse(ImportBirthDate, "volunteer.import.reason.date_future", raw)
		case ageOn(born, rf.today) < MinVolunteerAge:
			r.refuse(ImportBirthDate, "volunteer.import.reason.too_young", raw)
		case ageOn(born, rf.today) > MaxVolunteerAge:
			r.refuse(ImportBirthDate, "volunteer.import.reason.too_old", raw)
		default:
			r.birthDate = born.Format(time.DateOnly)
		}
	}

	var unknown []string
	for _, item := range impList(v[ImportSkills]) {
		if id, ok := rf.skills[impFold(item)]; ok {
			if !slices.Contains(r.skills, id) {
				r.skills = append(r.skills, id)
			}
		} else {
			unknown = append(unknown, item)
		}
	}
	if len(unknown) > 0 {
		r.refuse(ImportSkills, "volunteer.import.reason.skill_unknown", strings.Join(unknown, "، "))
	}

	unknown = nil
	for _, item := range impList(v[ImportLanguages]) {
		if code := strings.ToLower(item); slices.Contains(Languages, code) {
			if !slices.Contains(r.languages, code) {
				r.languages = append(r.languages, code)
			}
		} else {
			unknown = append(unknown, item)
		}
	}
	if len(unknown) > 0 {
		r.refuse(ImportLanguages, "volunteer.import.reason.language_unknown", strings.Join(unknown, "، "))
	}
	if len(r.languages) == 0 {
		r.languages = []string{"ar"}
	}

	if raw := v[ImportPlace]; raw != "" {
		switch ids := rf.places[impFold(raw)]; len(ids) {
		case 0:
			r.refuse(ImportPlace, "volunteer.import.reason.place_unknown", raw)
		case 1:
			r.placeID = ids[0]
		default:
			r.refuse(ImportPlace, "volunteer.import.reason.place_ambiguous", raw)
		}
	}
	return r
}

// impBlank reports whether a row has no value at all (spreadsheets keep
// formatted empty rows).
func impBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// impParse reads a file and checks every row against the skills and places;
// it touches no person's data.
func (s *Service) impParse(ctx context.Context, file []byte) (*ImportReport, *impRefs, error) {
	t, err := impRead(file)
	if err != nil {
		return nil, nil, err
	}
	start := slices.IndexFunc(t.records, func(rec []string) bool { return !impBlank(rec) })
	if start < 0 {
		return nil, nil, impFileError("volunteer.import.error.empty", "")
	}
	cols, err := impHeader(t.records[start])
	if err != nil {
		return nil, nil, err
	}
	rf, err := s.impLoadRefs(ctx, s.db.R)
	if err != nil {
		return nil, nil, err
	}
	rep := &ImportReport{Format: t.format}
	for _, c := range cols {
		if c != "" && c != impIgnored {
			rep.Columns = append(rep.Columns, c)
		}
	}
	firstLine := map[string]int{}
	for i := start + 1; i < len(t.records); i++ {
		if impBlank(t.records[i]) {
			continue
		}
		row := rf.check(t, i+1, cols, t.records[i])
		if row.email != "" {
			if first, dup := firstLine[row.email]; dup {
				row.Problems = append(row.Problems, ImportProblem{Column: ImportEmail, MsgID: "volunteer.import.reason.email_duplicate",
					Value: row.Values[ImportEmail], Row: first})
			} else {
				firstLine[row.email] = row.Line
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	if len(rep.Rows) == 0 {
		return nil, nil, impFileError("volunteer.import.error.no_rows", "")
	}
	for i := range rep.Rows {
		if rep.Rows[i].OK() {
			rep.Valid++
		} else {
			rep.Rejected++
		}
	}
	return rep, rf, nil
}

// pending marks every valid row ImportPending (a preview).
func (rep *ImportReport) pending() {
	for i := range rep.Rows {
		if rep.Rows[i].OK() {
			rep.Rows[i].Outcome = ImportPending
		}
	}
}

// outcomes fills in what each valid row does, from the addresses that
// already have an account.
func (rep *ImportReport) outcomes(found map[string]bool) {
	rep.NewAccounts, rep.Skipped = 0, 0
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if !r.OK() {
			continue
		}
		if found[r.email] {
			r.Outcome = ImportSkipped
			rep.Skipped++
		} else {
			r.Outcome = ImportNewAccount
			rep.NewAccounts++
		}
	}
}

func (rep *ImportReport) validEmails() []string {
	var out []string
	for i := range rep.Rows {
		if rep.Rows[i].OK() {
			out = append(out, rep.Rows[i].email)
		}
	}
	return out
}

// impAllowed checks that viewer coordinates orgID and that the organisation
// is verified, and returns it.
func (s *Service) impAllowed(ctx context.Context, viewer *httpx.Viewer, orgID string) (*org.Org, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	o, err := s.orgs.Org(ctx, viewer, orgID)
	if err != nil {
		return nil, err
	}
	if o.Status != org.Verified {
		return nil, ErrImportUnverified
	}
	return o, nil
}

// PreviewImport reads a file of volunteers and checks every row; it writes
// nothing and looks no account up, so every valid row has the same outcome
// (ImportPending). Only the coordinators of a verified organisation may.
func (s *Service) PreviewImport(ctx context.Context, viewer *httpx.Viewer, orgID string, file []byte) (*ImportReport, error) {
	if _, err := s.impAllowed(ctx, viewer, orgID); err != nil {
		return nil, err
	}
	rep, _, err := s.impParse(ctx, file)
	if err != nil {
		return nil, err
	}
	rep.pending()
	return rep, nil
}

// impUnusableHash is a real argon2id hash of a random secret nobody keeps:
// signing in with any password fails as it should (the account code treats
// a hash it cannot parse as an internal error), and the person chooses a
// password with "forgotten password".
func impUnusableHash(ctx context.Context) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return account.HashPassword(ctx, base64.RawStdEncoding.EncodeToString(b))
}

// ImportVolunteers checks the file again and writes its valid rows in one
// transaction: for every address without an account, an account (Arabic,
// with no usable password until the person sets one), a volunteer profile
// (the charter is left for the person to accept) and a membership of the
// organisation. An address that already has an account is skipped and
// nothing of that person changes: the coordinator invites them from the
// members page. Either every valid row is written or, if the database
// refuses anything, none. Rows with problems are skipped and stay in the
// report. Only the coordinators of a verified organisation may.
func (s *Service) ImportVolunteers(ctx context.Context, viewer *httpx.Viewer, orgID string, file []byte, opts ImportOptions) (*ImportReport, error) {
	o, err := s.impAllowed(ctx, viewer, orgID)
	if err != nil {
		return nil, err
	}
	rep, rf, err := s.impParse(ctx, file)
	if err != nil {
		return nil, err
	}
	if rep.Valid == 0 {
		return nil, ErrImportNothing
	}
	var hash string
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		found, err := impFindAccounts(ctx, tx, rep.validEmails())
		if err != nil {
			return err
		}
		rep.outcomes(found)
		if rep.NewAccounts > 0 && hash == "" {
			if hash, err = impUnusableHash(ctx); err != nil {
				return err
			}
		}
		w := impWrite{orgID: orgID, now: s.now(), hash: hash, refs: rf}
		if err := w.run(ctx, tx, rep); err != nil {
			return err
		}
		if opts.Notify {
			if rep.Notified, err = s.impWelcome(ctx, tx, rep, o); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.import", TargetType: "organisation", TargetID: orgID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{
				"format": string(rep.Format), "rows": strconv.Itoa(len(rep.Rows)), "imported": strconv.Itoa(rep.Valid),
				"rejected": strconv.Itoa(rep.Rejected), "accounts_created": strconv.Itoa(rep.NewAccounts),
				"skipped_existing": strconv.Itoa(rep.Skipped), "notified": strconv.Itoa(rep.Notified)}})
	})
	if err != nil {
		return nil, fmt.Errorf("import volunteers into %s: %w", orgID, err)
	}
	rep.Imported = true
	return rep, nil
}

// impWelcome queues an email, in Arabic (the new accounts' language), to
// each person whose account the import created.
func (s *Service) impWelcome(ctx context.Context, tx db.Tx, rep *ImportReport, o *org.Org) (int, error) {
	loc := i18n.New(i18n.AR, i18n.Latin, s.zone)
	base := strings.TrimRight(s.baseURL, "/")
	subject := loc.T("volunteer.import.mail.subject", "Org", o.NameAr)
	n := 0
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if !r.OK() || r.Outcome != ImportNewAccount {
			continue
		}
		text := loc.T("volunteer.import.mail.text", "Name", r.name, "Org", o.NameAr, "Email", r.email,
			"Password", base+"/password/forgot", "Profile", base+"/volunteer/profile")
		if err := s.mail.Queue(ctx, tx, r.email, subject, text); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ImportRejected is the table of the file's rejected rows, as written, with
// their row number and reasons in loc's language: what a coordinator
// corrects and imports again (the row and reason columns are skipped then).
func (s *Service) ImportRejected(ctx context.Context, viewer *httpx.Viewer, orgID string, file []byte, loc *i18n.Locale) (*ExportTable, error) {
	if _, err := s.impAllowed(ctx, viewer, orgID); err != nil {
		return nil, err
	}
	rep, _, err := s.impParse(ctx, file)
	if err != nil {
		return nil, err
	}
	t := &ExportTable{Sheet: loc.T("volunteer.import.report.sheet"), RTL: loc.Lang == i18n.AR}
	t.Header = append(t.Header, loc.T("volunteer.import.report.row"))
	for _, c := range rep.Columns {
		t.Header = append(t.Header, loc.T(ImportColumnMsgID(c)))
	}
	t.Header = append(t.Header, loc.T("volunteer.import.report.reason"))
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if r.OK() {
			continue
		}
		cells := []any{r.Line}
		for _, c := range rep.Columns {
			cells = append(cells, r.Values[c])
		}
		cells = append(cells, strings.Join(r.Reasons(loc), " — "))
		t.Rows = append(t.Rows, cells)
	}
	return t, nil
}

// ImportTemplate is an empty file with the header row in loc's language.
func ImportTemplate(loc *i18n.Locale) *ExportTable {
	t := &ExportTable{Sheet: loc.T("volunteer.import.template.sheet"), RTL: loc.Lang == i18n.AR}
	for _, c := range ImportColumns {
		t.Header = append(t.Header, loc.T(ImportColumnMsgID(c)))
	}
	return t
}
