package volunteer_test

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

var exchBOM = []byte{0xEF, 0xBB, 0xBF}

func exchFile(rows ...string) []byte {
	return append(append([]byte(nil), exchBOM...), []byte(strings.Join(rows, "\n")+"\n")...)
}

// TestImportJourneyHTTP: a coordinator checks a file, sees every row with
// its reasons, imports the valid rows and downloads the rejected ones.
func TestImportJourneyHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := exchAppSetup(t, d)
		page := "/organisations/" + e.orgID + "/volunteers/import"
		file := exchFile("الاسم,البريد الإلكتروني,المهارات,الحي",
			"سارة الأحمد,sara@example.org,طبخ,الملقا",
			"خالد,not-an-email,,",
			"ليلى,layla@example.org,juggling,")

		for _, lang := range []i18n.Lang{i18n.AR, i18n.EN} {
			e.browser(e.coord, lang).get(page).expect(t, 200, `enctype="multipart/form-data"`, "/volunteers/import/template?format=xlsx")
		}
		b := e.browser(e.coord, i18n.AR)
		users := e.count(`SELECT COUNT(*) FROM users`)
		r := b.post(page, map[string]string{"step": "preview"}, "متطوعون.csv", file)
		r.expect(t, 200, "نتيجة الفحص: ", "متطوعون.csv", "صف واحد صالح", "صفّان مرفوضان",
			"«not-an-email» ليس بريدًا إلكترونيًا صحيحًا", "مهارات غير معروفة: juggling", "يُستورد، أو يُترك لتدعوه أنت إن كان لصاحبه حساب من قبل",
			"لم يُحفظ شيء بعد.")
		if n := e.count(`SELECT COUNT(*) FROM users`); n != users {
			t.Fatalf("the preview created %d accounts", n-users)
		}
		content := r.hidden(t, "content")

		rep := b.post(page+"/report", map[string]string{"content": content, "filename": "متطوعون.csv", "format": "csv"}, "", nil)
		rep.expect(t, 200, "رقم الصف,الاسم,البريد الإلكتروني,المهارات,الحي,السبب", "3,خالد,not-an-email")
		if !bytes.HasPrefix(rep.raw, exchBOM) || rep.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(rep.Header.Get("Content-Disposition"), `attachment; filename="rejected-rows.csv"; filename*=UTF-8''%D8%A7%D9%84`) {
			t.Errorf("report download: %q %q", rep.Header.Get("Content-Type"), rep.Header.Get("Content-Disposition"))
		}
		if strings.Contains(rep.body, "sara@example.org") {
			t.Error("the report of rejected rows lists a valid row")
		}

		done := b.post(page, map[string]string{"step": "import", "content": content, "filename": "متطوعون.csv", "notify": "1"}, "", nil)
		done.expect(t, 200, "تم الاستيراد", "أُنشئ حساب جديد واحد", "أُرسلت رسالة ترحيب واحدة", "رُفض صفّان")
		if n := e.count(`SELECT COUNT(*) FROM users WHERE email IN ('sara@example.org', 'layla@example.org')`); n != 1 {
			t.Errorf("%d accounts for a valid and a rejected row", n)
		}
		if n := e.count(`SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'sara@example.org' AND m.org_id = $1`, e.orgID); n != 1 {
			t.Error("the imported volunteer is not a member")
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.import' AND org_id = $1`, e.orgID); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		// The welcome email went through the mail queue.
		args := "CAST(args AS TEXT)"
		if d.Dialect == db.SQLite {
			args = "json(args)" // River's SQLite driver keeps arguments as binary JSONB
		}
		if n := e.count(`SELECT COUNT(*) FROM river_job WHERE kind = 'send_email' AND ` + args + ` LIKE '%sara@example.org%'`); n != 1 {
			t.Errorf("%d welcome emails queued", n)
		}

		// The template in English.
		tpl := e.browser(e.coord, i18n.EN).get(page + "/template?format=csv")
		tpl.expect(t, 200, "Name,Email,Phone,Gender,Birth date,Skills,Languages,Neighbourhood")
	})
}

// exchOutcomeCell is the last cell of a row: in the valid rows of a
// preview, the "On import" text.
var exchOutcomeCell = regexp.MustCompile(`<td>([^<]+)</td>\s*</tr>`)

// TestImportExistingAccountsHTTP: addresses that already have an account
// (here a member and the platform admin) read exactly like new ones on the
// preview; the import adds none of them, gives them no profile, and only
// its result counts them.
func TestImportExistingAccountsHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := exchAppSetup(t, d)
		admin := e.user("مشرف المنصة", true)
		page := "/organisations/" + e.orgID + "/volunteers/import"
		file := exchFile("name,email,phone", "جديد,new.person@example.org,0501112222",
			"عضو,"+strings.ToUpper(e.member.Email)+",0500000001", "مشرف,"+admin.Email+",0500000002")
		before := e.count(`SELECT COUNT(*) FROM memberships`)
		for _, c := range []struct {
			lang i18n.Lang
			want string
		}{{i18n.EN, "Will be imported or, if the person already has an account, left for you to invite"},
			{i18n.AR, "يُستورد، أو يُترك لتدعوه أنت إن كان لصاحبه حساب من قبل"}} {
			r := e.browser(e.coord, c.lang).post(page, map[string]string{"step": "preview"}, "v.csv", file)
			r.expect(t, 200)
			valid, _, _ := strings.Cut(r.body[strings.Index(r.body, `id="valid-h"`)+1:], "</table>")
			cells := exchOutcomeCell.FindAllStringSubmatch(valid, -1)
			if len(cells) != 3 {
				t.Fatalf("%s: %d outcome cells", c.lang, len(cells))
			}
			for i, m := range cells {
				if strings.TrimSpace(m[1]) != c.want {
					t.Errorf("%s row %d reads %q, want %q", c.lang, i+2, m[1], c.want)
				}
			}
			for _, leak := range []string{"already on the platform", "Already on the platform", "له حساب على المنصة", "member already"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("%s preview says %q", c.lang, leak)
				}
			}
		}
		b := e.browser(e.coord, i18n.EN)
		content := b.post(page, map[string]string{"step": "preview"}, "v.csv", file).hidden(t, "content")
		done := b.post(page, map[string]string{"step": "import", "content": content, "filename": "v.csv"}, "", nil)
		done.expect(t, 200, "one new account was created", "2 addresses are already on the platform: not added.",
			`href="/organisations/`+e.orgID+`/members"`)
		for _, u := range []string{e.member.ID, admin.ID} {
			if n := e.count(`SELECT COUNT(*) FROM volunteer_profiles WHERE user_id = $1`, u); n != 0 {
				t.Errorf("%s was given a volunteer profile", u)
			}
		}
		if n := e.count(`SELECT COUNT(*) FROM memberships WHERE user_id = $1`, admin.ID); n != 0 {
			t.Error("the platform admin was made a member")
		}
		if n := e.count(`SELECT COUNT(*) FROM memberships`); n != before+1 {
			t.Errorf("%d memberships added, want 1", n-before)
		}
	})
}

// TestImportUnverifiedHTTP: the owner of an organisation not verified yet
// sees why they cannot import, and posting a file is refused.
func TestImportUnverifiedHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := exchAppSetup(t, d)
		owner := e.user("مالك", false)
		o, err := e.a.Org.CreateOrg(e.ctx, owner.Viewer(), org.Input{NameAr: "جمعية جديدة", NameEn: "New Society", Type: org.Charity})
		if err != nil {
			t.Fatal(err)
		}
		page := "/organisations/" + o.ID + "/volunteers/import"
		e.browser(owner, i18n.EN).get(page).expect(t, 403, "Only a verified organisation can import volunteers.")
		ar := e.browser(owner, i18n.AR)
		ar.get(page).expect(t, 403, "لا يستورد المتطوعين إلا جمعية موثّقة.")
		users := e.count(`SELECT COUNT(*) FROM users`)
		file := exchFile("name,email", "أ,someone@example.org", "عضو,"+e.member.Email)
		r := ar.post(page, map[string]string{"step": "preview"}, "a.csv", file)
		r.expect(t, 403, "لا يستورد المتطوعين إلا جمعية موثّقة.")
		if strings.Contains(r.body, "someone@example.org") {
			t.Error("an unverified organisation got a preview")
		}
		ar.post(page, map[string]string{"step": "import", "content": base64.StdEncoding.EncodeToString(file)}, "", nil).expect(t, 403)
		if n := e.count(`SELECT COUNT(*) FROM users`); n != users {
			t.Error("an unverified organisation imported")
		}
		if n := e.count(`SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id = $2`, o.ID, e.member.ID); n != 0 {
			t.Error("an unverified organisation added an existing account")
		}
	})
}

func TestImportRefusalsHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := exchAppSetup(t, d)
		page := "/organisations/" + e.orgID + "/volunteers/import"
		csv := exchFile("name,email", "أ,a@example.org")

		// Only coordinators: a member is refused, a visitor is sent to sign in.
		m := e.browser(e.member, i18n.EN)
		m.get(page).expect(t, 403)
		m.post(page, map[string]string{"step": "preview"}, "a.csv", csv).expect(t, 403)
		m.post(page, map[string]string{"step": "import", "content": "bmFtZSxlbWFpbApBLGFAZXhhbXBsZS5vcmcK"}, "", nil).expect(t, 403)
		m.post(page+"/report", map[string]string{"format": "csv", "content": "bmFtZSxlbWFpbAo="}, "", nil).expect(t, 403)
		m.get(page+"/template?format=csv").expect(t, 403)
		if r := e.browser(nil, i18n.EN).get(page); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
			t.Errorf("visitor: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if n := e.count(`SELECT COUNT(*) FROM users WHERE email = 'a@example.org'`); n != 0 {
			t.Error("a member imported someone")
		}

		// A file that is not a spreadsheet is refused with a clear message.
		b := e.browser(e.coord, i18n.EN)
		b.post(page, map[string]string{"step": "preview"}, "photo.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")).
			expect(t, 422, "This is neither a UTF-8 CSV file nor an XLSX file.")
		b.post(page, map[string]string{"step": "preview"}, "", nil).expect(t, 422, "Choose a file to upload.")
		b.post(page, map[string]string{"step": "preview"}, "x.csv", exchFile("name,email,shoe", "a,b@example.org,1")).
			expect(t, 422, "Unknown column in the header row: “shoe”.")
	})
}

func TestExportsHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := exchAppSetup(t, d)
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
		shiftID, roleID, _, err := volunteer.AttInsertShift(e.ctx, d, e.orgID, e.coord.ID, "food", start, start.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		vol := e.user("نوف", false)
		if _, err := volunteer.AttInsertSignup(e.ctx, d, shiftID, roleID, vol.ID, volunteer.Confirmed); err != nil {
			t.Fatal(err)
		}
		e.exec(`INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, created_at)
			VALUES ($1, $2, $3, 'food', 120, '2026-11-01', 'تعبئة', 'self', 'pending', $4)`, db.NewID(), vol.ID, e.orgID, db.Now())

		roster := "/organisations/" + e.orgID + "/shifts/" + shiftID + "/roster"
		hours := "/organisations/" + e.orgID + "/hours/export"
		b := e.browser(e.coord, i18n.AR)
		b.get(roster).expect(t, 200, "تنزيل قائمة المناوبة", "?format=xlsx", "/shifts/"+shiftID+"/roster")
		r := b.get(roster + "?format=csv")
		r.expect(t, 200, "الدور,الحالة", "نوف,"+vol.Email)
		if !bytes.HasPrefix(r.raw, exchBOM) || !strings.Contains(r.Header.Get("Content-Disposition"), `filename="roster-`) {
			t.Errorf("roster download %q", r.Header.Get("Content-Disposition"))
		}
		x := b.get(roster + "?format=xlsx")
		x.expect(t, 200)
		if x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || !bytes.HasPrefix(x.raw, []byte("PK")) {
			t.Errorf("workbook %q", x.Header.Get("Content-Type"))
		}
		b.get(roster+"?format=pdf").expect(t, 400, "صيغة ملف غير معروفة")

		en := e.browser(e.coord, i18n.EN)
		en.get(hours).expect(t, 200, "Export volunteering hours", `name="from"`)
		en.get(hours+"?from=2026-13-01&format=csv").expect(t, 422, "Write the date as YYYY-MM-DD")
		h := en.get(hours + "?from=2026-11-01&to=2026-11-30&format=csv")
		h.expect(t, 200, "Volunteer,Email,Date,Minutes,Hours", "نوف,"+vol.Email+",2026-11-01,120,2,Food,Submitted by the volunteer,تعبئة,Pending review")
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.export' AND org_id = $1`, e.orgID); n != 3 {
			t.Errorf("%d exports audited, want 3", n)
		}

		// A member gets 403 on every export.
		m := e.browser(e.member, i18n.AR)
		for _, p := range []string{roster, roster + "?format=csv", hours, hours + "?format=xlsx"} {
			m.get(p).expect(t, 403)
		}
	})
}
