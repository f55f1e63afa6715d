package volunteer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

// exchReadCSV checks the BOM and reads the records.
func exchReadCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, utf8BOM) {
		t.Fatalf("no byte order mark: %q", b[:min(len(b), 20)])
	}
	r := csv.NewReader(bytes.NewReader(b[len(utf8BOM):]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestImportXLSXRoundTrip reads a workbook as spreadsheet programs write it
// (Arabic sheet and headers, a real date cell, a phone stored as a number,
// blank rows) and writes the rejected rows back as a workbook that can be
// corrected and imported again.
func TestImportXLSXRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		file := exchXLSX(t, "المتطوعون", [][]any{
			{"الاسم", "البريد الإلكتروني", "الجوال", "الجنس", "تاريخ الميلاد", "المهارات", "اللغات", "الحي"},
			{"فاطمة الزهراني", "fatima@example.org", 966501234567, "أنثى", time.Date(1999, 3, 7, 0, 0, 0, 0, time.UTC), "طبخ", "ar", "SA-01-RUH-N-MLQ"},
			{},
			{"عمر", "omar@example.org", "", "ذكر", "07/03/1999", "", "", "Al Malqa"},
			{"سلمى", "salma@example.org", "", "", "2000-01-01", "غوص", "", ""},
		})
		rep, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, file)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Format != ImportXLSX || len(rep.Rows) != 3 || rep.Valid != 1 {
			t.Fatalf("format %s, %d rows, %d valid: %+v", rep.Format, len(rep.Rows), rep.Valid, rep.Rows)
		}
		r := rep.Rows[0]
		if r.Line != 2 || r.phone != "966501234567" || r.birthDate != "1999-03-07" || r.gender != Female || !slices.Equal(r.skills, []string{"cooking"}) {
			t.Errorf("first row read as %+v", r)
		}
		if rep.Rows[1].Line != 4 || !slices.Equal(exchProblems(rep.Rows[1]), []string{"volunteer.import.reason.date_bad"}) {
			t.Errorf("row 4: line %d, problems %v", rep.Rows[1].Line, exchProblems(rep.Rows[1]))
		}

		tbl, err := f.svc.ImportRejected(f.ctx, f.coord, f.orgID, file, exchAR)
		if err != nil {
			t.Fatal(err)
		}
		xl, err := tbl.XLSX()
		if err != nil {
			t.Fatal(err)
		}
		sheet, rtl, rows := exchReadXLSX(t, xl)
		if sheet != "الصفوف المرفوضة" || !rtl {
			t.Errorf("report sheet %q, right to left %v", sheet, rtl)
		}
		if len(rows) != 3 || rows[0][0] != "رقم الصف" || rows[0][len(rows[0])-1] != "السبب" || rows[1][0] != "4" || rows[1][1] != "عمر" ||
			!strings.Contains(rows[1][len(rows[1])-1], "«07/03/1999» ليس تاريخًا") || rows[2][0] != "5" ||
			!strings.Contains(rows[2][len(rows[2])-1], "مهارات غير معروفة: غوص") {
			t.Errorf("report rows %q", rows)
		}
		// The report, corrected, imports as it is.
		fixed := exchXLSX(t, "x", [][]any{
			toAny(rows[0]), toAny(slices.Replace(slices.Clone(rows[1]), 5, 6, "1999-07-03")), toAny(slices.Replace(slices.Clone(rows[2]), 6, 7, "")),
		})
		rep, err = f.svc.ImportVolunteers(f.ctx, f.coord, f.orgID, fixed, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Valid != 2 || rep.Rejected != 0 || rep.NewAccounts != 2 {
			t.Errorf("corrected report: %+v", rep.Rows)
		}

		// The template in English reads back as a header the import accepts.
		xl, err = ImportTemplate(exchEN).XLSX()
		if err != nil {
			t.Fatal(err)
		}
		sheet, rtl, rows = exchReadXLSX(t, xl)
		if sheet != "Volunteers" || rtl || len(rows) != 1 || rows[0][0] != "Name" {
			t.Errorf("template %q rtl=%v %q", sheet, rtl, rows)
		}
		if cols, err := impHeader(rows[0]); err != nil || !slices.Equal(cols, ImportColumns) {
			t.Errorf("template header read as %v, %v", cols, err)
		}
	})
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// TestImportCSVArabic reads what Excel writes for "CSV UTF-8" in an Arabic
// locale (BOM, semicolons, Arabic headers, Arabic-Indic digits), and the
// rejected-rows report in CSV keeps the BOM and Arabic.
func TestImportCSVArabic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		file := exchCSV("الاسم;البريد الإلكتروني;تاريخ الميلاد;اللغات;الحي",
			"عبدالله;abdullah@example.org;١٩٨٨/١٢/٣١;ar، en;شمال الرياض",
			"=HYPERLINK(\"http://evil\");bad@;;;",
		)
		rep, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, file)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 2 || rep.Valid != 1 || rep.Rows[0].birthDate != "1988-12-31" || rep.Rows[0].placeID != f.places["SA-01-RUH-N"] ||
			!slices.Equal(rep.Rows[0].languages, []string{"ar", "en"}) {
			t.Fatalf("read as %+v", rep.Rows)
		}
		tbl, err := f.svc.ImportRejected(f.ctx, f.coord, f.orgID, file, exchAR)
		if err != nil {
			t.Fatal(err)
		}
		recs := exchReadCSV(t, tbl.CSV())
		if len(recs) != 2 || recs[0][0] != "رقم الصف" || recs[0][1] != "الاسم" || recs[1][0] != "3" {
			t.Fatalf("report %q", recs)
		}
		// A cell that a spreadsheet would run as a formula is written as text.
		if recs[1][1] != `'=HYPERLINK("http://evil")` || !strings.Contains(recs[1][len(recs[1])-1], "«bad@» ليس بريدًا إلكترونيًا صحيحًا") {
			t.Errorf("rejected row %q", recs[1])
		}
		// The same report in English.
		tbl, err = f.svc.ImportRejected(f.ctx, f.coord, f.orgID, file, exchEN)
		if err != nil {
			t.Fatal(err)
		}
		if recs := exchReadCSV(t, tbl.CSV()); recs[0][0] != "Row" || recs[0][len(recs[0])-1] != "Reason" || !strings.Contains(recs[1][len(recs[1])-1], "“bad@” is not a valid email address") {
			t.Errorf("English report %q", recs)
		}
	})
}

// exchRosterFixture is a shift with a confirmed volunteer who checked in
// (with a phone on their profile) and one on the waitlist.
func (f *exchFix) rosterFixture() (shiftID string, confirmed, waiting *httpx.Viewer) {
	f.t.Helper()
	start := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	shiftID, roleID, _, err := AttInsertShift(f.ctx, f.d, f.orgID, f.coord.ID, "food", start, start.Add(3*time.Hour))
	if err != nil {
		f.t.Fatal(err)
	}
	confirmed = f.volunteer("=cmd|' /C calc'!A0", "conf")
	waiting = f.user("منتظرة", "wait")
	id, err := AttInsertSignup(f.ctx, f.d, shiftID, roleID, confirmed.ID, Confirmed)
	if err != nil {
		f.t.Fatal(err)
	}
	f.exec(`INSERT INTO attendance (signup_id, checked_in_at, method) VALUES ($1, $2, 'manual')`, id, start.Add(5*time.Minute))
	if _, err := AttInsertSignup(f.ctx, f.d, shiftID, roleID, waiting.ID, Waitlisted); err != nil {
		f.t.Fatal(err)
	}
	return shiftID, confirmed, waiting
}

func TestExportRoster(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		shiftID, confirmed, waiting := f.rosterFixture()
		// The confirmed volunteer was placed by a distribution, leading team 2.
		f.exec(`UPDATE signups SET team = 2, team_leader = TRUE WHERE shift_id = $1 AND user_id = $2`, shiftID, confirmed.ID)

		file, err := f.svc.ExportRoster(f.ctx, f.coord, f.orgID, shiftID, ExportCSV, exchAR)
		if err != nil {
			t.Fatal(err)
		}
		if file.Rows != 2 || file.ContentType != "text/csv; charset=utf-8" || file.ASCIIName != "roster-2026-12-01.csv" ||
			!strings.Contains(file.Disposition(), `filename="roster-2026-12-01.csv"; filename*=UTF-8''%D9%82%D8%A7%D8%A6%D9%85%D8%A9-`) {
			t.Errorf("file %q %q %q", file.Name, file.ASCIIName, file.Disposition())
		}
		recs := exchReadCSV(t, file.Body)
		want := [][]string{
			{"الدور", "الحالة", "الترتيب في الانتظار", "الاسم", "البريد الإلكتروني", "الجوال", "عدد الأشخاص", "المرافقون", "موثَّق", "الفريق",
				"قائد الفريق", "الحضور", "الانصراف", "لم يحضر", "ملاحظة الغياب", "وقت التسجيل"},
		}
		if !slices.Equal(recs[0], want[0]) {
			t.Errorf("header %q", recs[0])
		}
		if len(recs) != 3 || recs[1][1] != "مؤكد" || recs[1][3] != "'=cmd|' /C calc'!A0" || recs[1][4] != confirmed.Email ||
			recs[1][5] != "0555000111" || recs[1][9] != "2" || recs[1][10] != exportYes(exchAR, true) || recs[1][11] != "2026-12-01 09:05" ||
			recs[2][1] != "في قائمة الانتظار" || recs[2][2] != "1" || recs[2][4] != waiting.Email || recs[2][5] != "" || recs[2][9] != "" {
			t.Errorf("rows %q", recs[1:])
		}

		file, err = f.svc.ExportRoster(f.ctx, f.coord, f.orgID, shiftID, ExportXLSX, exchEN)
		if err != nil {
			t.Fatal(err)
		}
		sheet, rtl, rows := exchReadXLSX(t, file.Body)
		if sheet != "Roster" || rtl || len(rows) != 3 || rows[0][0] != "Role" || rows[1][1] != "Confirmed" || rows[1][3] != "=cmd|' /C calc'!A0" ||
			rows[2][1] != "Waitlisted" {
			t.Errorf("workbook %q rtl=%v %q", sheet, rtl, rows)
		}
		file, err = f.svc.ExportRoster(f.ctx, f.coord, f.orgID, shiftID, ExportXLSX, exchAR)
		if err != nil {
			t.Fatal(err)
		}
		if sheet, rtl, _ := exchReadXLSX(t, file.Body); sheet != "قائمة المناوبة" || !rtl {
			t.Errorf("Arabic workbook %q rtl=%v", sheet, rtl)
		}

		entries, err := audit.List(f.ctx, d.R, audit.Filter{OrgID: f.orgID, Action: "volunteer.export", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 || entries[0].TargetID != shiftID || entries[0].Details["what"] != "roster" || entries[0].Details["rows"] != "2" {
			t.Errorf("audit %+v", entries)
		}

		// A member is refused, and so is a shift of another organisation.
		if _, err := f.svc.ExportRoster(f.ctx, f.member, f.orgID, shiftID, ExportCSV, exchAR); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("member: %v", err)
		}
		other := f.org(f.coord, "جمعية أخرى", "Other")
		if _, err := f.svc.ExportRoster(f.ctx, f.coord, other, shiftID, ExportCSV, exchAR); httpx.As(err).Status != 404 {
			t.Errorf("another organisation's shift: %v", err)
		}
	})
}

func TestExportHours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		vol := f.user("حمد", "hamad")
		add := func(day string, minutes int, status, decidedBy, reason string) {
			f.exec(`INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, decided_by, decided_at,
					decline_reason, created_at)
				VALUES ($1, $2, $3, 'elderly', $4, $5, 'زيارة دار المسنين', 'self', $6, $7, $8, $9, $8)`,
				db.NewID(), vol.ID, f.orgID, minutes, day, status, nullString(decidedBy), exchNow, reason)
		}
		add("2026-10-01", 90, "approved", "", "")
		add("2026-10-15", 60, "declined", f.coord.ID, "لم يكن في الجدول")
		add("2026-11-20", 45, "pending", "", "")

		file, err := f.svc.ExportHours(f.ctx, f.coord, f.orgID, HoursExportFilter{From: "٢٠٢٦-١٠-٠١", To: "2026-10-31"}, ExportCSV, exchAR)
		if err != nil {
			t.Fatal(err)
		}
		recs := exchReadCSV(t, file.Body)
		if len(recs) != 3 || recs[0][0] != "المتطوع" || recs[0][4] != "الساعات" {
			t.Fatalf("export %q", recs)
		}
		if !slices.Equal(recs[1], []string{"حمد", vol.Email, "2026-10-01", "90", "1.5", "كبار السن", "أضافها المتطوع", "زيارة دار المسنين", "معتمدة",
			"تلقائيًا", "2026-11-26 12:00", ""}) {
			t.Errorf("approved row %q", recs[1])
		}
		if recs[2][8] != "مرفوضة" || recs[2][9] != "منسقة الجمعية" || recs[2][11] != "لم يكن في الجدول" {
			t.Errorf("declined row %q", recs[2])
		}
		if file.ASCIIName != "hours-2026-10-01-2026-10-31.csv" {
			t.Errorf("file name %q", file.ASCIIName)
		}

		file, err = f.svc.ExportHours(f.ctx, f.coord, f.orgID, HoursExportFilter{Status: HoursPending}, ExportXLSX, exchEN)
		if err != nil {
			t.Fatal(err)
		}
		sheet, rtl, rows := exchReadXLSX(t, file.Body)
		if sheet != "Hours" || rtl || len(rows) != 2 || rows[1][2] != "2026-11-20" || rows[1][3] != "45" || rows[1][4] != "0.75" ||
			rows[1][5] != "Elderly" || rows[1][9] != "" {
			t.Errorf("pending hours %q rtl=%v %q", sheet, rtl, rows)
		}

		entries, err := audit.List(f.ctx, d.R, audit.Filter{OrgID: f.orgID, Action: "volunteer.export", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].Details["what"] != "hours" || entries[0].Details["rows"] != "1" || entries[0].Details["status"] != "pending" ||
			entries[1].Details["rows"] != "2" || entries[1].Details["from"] != "2026-10-01" {
			t.Errorf("audit %+v", entries)
		}

		for _, c := range []struct {
			f     HoursExportFilter
			field string
		}{
			{HoursExportFilter{From: "2026-13-01"}, "from"},
			{HoursExportFilter{From: "2026-11-01", To: "2026-10-01"}, "to"},
			{HoursExportFilter{Status: "lost"}, "status"},
		} {
			_, err := f.svc.ExportHours(f.ctx, f.coord, f.orgID, c.f, ExportCSV, exchEN)
			if he := httpx.As(err); he.Status != 422 || he.Fields[c.field] == "" {
				t.Errorf("%+v: %v", c.f, err)
			}
		}
		if _, err := f.svc.ExportHours(f.ctx, f.member, f.orgID, HoursExportFilter{}, ExportCSV, exchEN); !errors.Is(err, httpx.ErrForbidden) {
			t.Errorf("member: %v", err)
		}
		if _, err := ParseExportFormat("pdf"); httpx.As(err).Status != 400 {
			t.Errorf("format pdf: %v", err)
		}
	})
}
