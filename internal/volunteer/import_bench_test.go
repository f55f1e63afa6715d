package volunteer_test

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/volunteer"
)

// exchBenchFile is a workbook of n volunteers as an association would keep
// them: Arabic names, date cells, skills by Arabic name and by code; every
// 50th row has a bad address, and the first n/20 rows name people who
// already have an account.
func exchBenchFile(b *testing.B, n int) []byte {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "المتطوعون"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"الاسم", "البريد الإلكتروني", "الجوال", "الجنس", "تاريخ الميلاد", "المهارات", "اللغات", "الحي"}); err != nil {
		b.Fatal(err)
	}
	first := []string{"محمد", "فاطمة", "عبدالله", "نورة", "خالد", "سارة", "أحمد", "ريم", "عمر", "هند"}
	last := []string{"العتيبي", "القحطاني", "الشهري", "الغامدي", "الزهراني", "الدوسري", "المطيري", "الحربي"}
	skills := []string{"طبخ، قيادة السيارة", "first_aid", "تدريس, computer", "", "رعاية كبار السن"}
	genders := []string{"أنثى", "ذكر", "female", "male", ""}
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("vol%05d@example.org", i)
		if i%50 == 49 {
			email = fmt.Sprintf("vol%05d-at-example.org", i)
		}
		row := []any{first[i%len(first)] + " " + last[i%len(last)], email, fmt.Sprintf("05%08d", i), genders[i%len(genders)],
			time.Date(1970+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), skills[i%len(skills)], "ar, en", "الملقا"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportXLSX10k previews and imports a 10,000-row workbook on
// SQLite, and on PostgreSQL when SHARAKA_TEST_POSTGRES_URL is set, with and
// without welcome emails queued for the new accounts (one job each). Each
// run starts from a fresh database.
func BenchmarkImportXLSX10k(b *testing.B) {
	const rows = 10_000
	file := exchBenchFile(b, rows)
	for _, c := range []struct {
		dialect db.Dialect
		notify  bool
	}{{db.SQLite, true}, {db.SQLite, false}, {db.Postgres, true}, {db.Postgres, false}} {
		dialect, name := c.dialect, string(c.dialect)+"/no-emails"
		if c.notify {
			name = string(c.dialect) + "/welcome-emails"
		}
		b.Run(name, func(b *testing.B) {
			if dialect == db.Postgres && os.Getenv(dbtest.EnvPostgres) == "" {
				b.Skipf("PostgreSQL benchmark needs %s", dbtest.EnvPostgres)
			}
			var preview, write time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := exchAppSetup(b, dbtest.Open(b, dialect))
				for j := 0; j < rows/20; j++ {
					e.exec(`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, 'قديم', '', $3, $3)`,
						db.NewID(), fmt.Sprintf("vol%05d@example.org", j), db.Now())
				}
				v := e.coord.Viewer()
				b.StartTimer()

				t0 := time.Now()
				rep, err := e.a.Volunteer.PreviewImport(e.ctx, v, e.orgID, file)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				done, err := e.a.Volunteer.ImportVolunteers(e.ctx, v, e.orgID, file, volunteer.ImportOptions{Notify: c.notify})
				if err != nil {
					b.Fatal(err)
				}
				preview, write = preview+t1.Sub(t0), write+time.Since(t1)

				b.StopTimer()
				if len(rep.Rows) != rows || rep.Rejected != rows/50 || done.NewAccounts != rows-rows/50-rows/20+rows/20/50 {
					b.Fatalf("%d rows, %d rejected, %d new accounts", len(rep.Rows), rep.Rejected, done.NewAccounts)
				}
				if n := e.count(`SELECT COUNT(*) FROM volunteer_profiles`); n != rep.Valid {
					b.Fatalf("%d profiles for %d valid rows", n, rep.Valid)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(preview.Milliseconds())/float64(b.N), "preview-ms/op")
			b.ReportMetric(float64(write.Milliseconds())/float64(b.N), "import-ms/op")
		})
	}
}
