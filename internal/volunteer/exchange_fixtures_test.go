package volunteer

// Fixtures of the exchange part's tests (imports and exports): a verified
// organisation with a coordinator and a plain member, a small geography, and
// builders of CSV and XLSX files in memory.

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// exchNow is the fixtures' clock: 26 November 2026, noon in Riyadh.
var exchNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

var exchSeq atomic.Int64

type exchMail struct{ to, subject, text string }

type exchMailer struct {
	mu   sync.Mutex
	sent []exchMail
}

func (m *exchMailer) Queue(_ context.Context, _ db.Tx, to, subject, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, exchMail{to, subject, text})
	return nil
}

func (m *exchMailer) all() []exchMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]exchMail(nil), m.sent...)
}

type exchFix struct {
	t      *testing.T
	d      *db.DB
	svc    *Service
	mail   *exchMailer
	ctx    context.Context
	coord  *httpx.Viewer
	member *httpx.Viewer
	orgID  string
	places map[string]string // code → id
}

func newExchFix(t *testing.T, d *db.DB) *exchFix {
	t.Helper()
	m := &exchMailer{}
	svc := NewService(d, org.NewService(d, m, "https://sharaka.test"), m, "https://sharaka.test")
	svc.now = func() time.Time { return exchNow }
	f := &exchFix{t: t, d: d, svc: svc, mail: m, ctx: context.Background(), places: map[string]string{}}
	f.coord = f.user("منسقة الجمعية", "coord")
	f.member = f.user("عضو عادي", "member")
	f.orgID = f.org(f.coord, "جمعية البر", "Al-Birr Society")
	f.join(f.orgID, f.member, org.RoleMember)
	f.geography()
	return f
}

func (f *exchFix) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.d.W.ExecContext(f.ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *exchFix) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// user inserts an account directly (no password), as the account area would.
func (f *exchFix) user(name, local string) *httpx.Viewer {
	f.t.Helper()
	id := db.NewID()
	email := fmt.Sprintf("%s.%d@example.org", local, exchSeq.Add(1))
	f.exec(`INSERT INTO users (id, email, name, password_hash, locale, created_at, updated_at) VALUES ($1, $2, $3, '', 'ar', $4, $4)`,
		id, email, name, db.Now())
	return &httpx.Viewer{ID: id, Name: name, Email: email}
}

// volunteer is an account with a volunteer profile the person wrote themselves.
func (f *exchFix) volunteer(name, local string) *httpx.Viewer {
	f.t.Helper()
	v := f.user(name, local)
	f.exec(`INSERT INTO volunteer_profiles (user_id, gender, birth_date, languages, phone, calendar_key, charter_version, charter_accepted_at,
			created_at, updated_at)
		VALUES ($1, 'male', '1980-02-02', 'ur', '0555000111', $2, $3, $4, $4, $4)`, v.ID, newCalendarKey(), CharterVersion, exchNow.Add(-48*time.Hour))
	return v
}

func (f *exchFix) org(owner *httpx.Viewer, nameAr, nameEn string) string {
	f.t.Helper()
	id := db.NewID()
	now := db.Now()
	f.exec(`INSERT INTO organisations (id, name_ar, name_en, type, status, created_by, created_at, verified_at)
		VALUES ($1, $2, $3, 'charity', 'verified', $4, $5, $5)`, id, nameAr, nameEn, owner.ID, now)
	f.join(id, owner, org.RoleOwner)
	return id
}

func (f *exchFix) join(orgID string, v *httpx.Viewer, role org.Role) {
	f.t.Helper()
	f.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`, orgID, v.ID, string(role), db.Now())
}

// geography: Riyadh with two districts; Al Malqa is a neighbourhood of the
// north (which has a location), and both districts have a neighbourhood
// called «الروضة».
func (f *exchFix) geography() {
	f.t.Helper()
	lat, lon := 24.8, 46.6
	for _, p := range []struct {
		code, parent, level, ar, en string
		located                     bool
	}{
		{"SA", "", "country", "السعودية", "Saudi Arabia", false},
		{"SA-01", "SA", "region", "منطقة الرياض", "Riyadh Region", false},
		{"SA-01-RUH", "SA-01", "city", "الرياض", "Riyadh", false},
		{"SA-01-RUH-N", "SA-01-RUH", "district", "شمال الرياض", "North Riyadh", true},
		{"SA-01-RUH-E", "SA-01-RUH", "district", "شرق الرياض", "East Riyadh", false},
		{"SA-01-RUH-N-MLQ", "SA-01-RUH-N", "neighbourhood", "الملقا", "Al Malqa", false},
		{"SA-01-RUH-N-RWD", "SA-01-RUH-N", "neighbourhood", "الروضة", "Ar Rawdah", false},
		{"SA-01-RUH-E-RWD", "SA-01-RUH-E", "neighbourhood", "الروضة", "Ar Rawdah East", false},
	} {
		id := db.NewID()
		var la, lo any
		if p.located {
			la, lo = lat, lon
		}
		f.exec(`INSERT INTO places (id, parent_id, level, code, name_ar, name_en, lat, lon, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, nullString(f.places[p.parent]), p.level, p.code, p.ar, p.en, la, lo, db.Now())
		f.places[p.code] = id
	}
}

// state counts what an import writes, to check that a step wrote nothing.
func (f *exchFix) state() string {
	f.t.Helper()
	return fmt.Sprintf("users=%d profiles=%d skills=%d members=%d audit=%d",
		f.count(`SELECT COUNT(*) FROM users`), f.count(`SELECT COUNT(*) FROM volunteer_profiles`), f.count(`SELECT COUNT(*) FROM volunteer_skills`),
		f.count(`SELECT COUNT(*) FROM memberships`), f.count(`SELECT COUNT(*) FROM audit_log`))
}

// exchCSV joins rows into a CSV file with a BOM.
func exchCSV(rows ...string) []byte {
	return append(append([]byte(nil), utf8BOM...), []byte(strings.Join(rows, "\r\n")+"\r\n")...)
}

// exchXLSX builds a workbook whose first sheet holds rows (cells of any type
// excelize writes: strings, numbers, times).
func exchXLSX(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exchReadXLSX reads back a workbook: its first sheet's name, whether it is
// right to left, and its rows.
func exchReadXLSX(t testing.TB, b []byte) (string, bool, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("read workbook: %v", err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	view, err := f.GetSheetView(sheet, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return sheet, view.RightToLeft != nil && *view.RightToLeft, rows
}

var (
	exchAR = i18n.New(i18n.AR, i18n.ArabicIndic, nil)
	exchEN = i18n.New(i18n.EN, i18n.Latin, nil)
)
