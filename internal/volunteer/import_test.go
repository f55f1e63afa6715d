package volunteer

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// TestImportNeedsVerifiedOrganisation: the owner of an organisation the
// platform has not verified cannot import, preview or download a report.
func TestImportNeedsVerifiedOrganisation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		f.exec(`UPDATE organisations SET status = 'pending', verified_at = NULL WHERE id = $1`, f.orgID)
		old := f.volunteer("متطوع قديم", "old")
		file := exchCSV(exchHeader, `أمل,amal@example.org,,,,,,`, `قديم,`+old.Email+`,,,,,,`, `خطأ,bad,,,,,,`)
		before := f.state()
		check := func(what string, err error) {
			t.Helper()
			var he *httpx.Error
			if !errors.As(err, &he) || he.MsgID != "volunteer.import.error.unverified" || he.Status != 403 {
				t.Errorf("%s in an unverified organisation: %v", what, err)
			}
		}
		_, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, file)
		check("preview", err)
		_, err = f.svc.ImportVolunteers(f.ctx, f.coord, f.orgID, file, ImportOptions{Notify: true})
		check("import", err)
		_, err = f.svc.ImportRejected(f.ctx, f.coord, f.orgID, file, exchEN)
		check("report", err)
		if after := f.state(); after != before {
			t.Errorf("an unverified organisation imported: %s, then %s", before, after)
		}
		if n := f.count(`SELECT COUNT(*) FROM memberships WHERE user_id = $1`, old.ID); n != 0 {
			t.Error("an unverified organisation added an existing account")
		}
		if en := exchEN.T("volunteer.import.error.unverified"); !strings.Contains(en, "verified organisation") {
			t.Errorf("English refusal %q", en)
		}
		if ar := exchAR.T("volunteer.import.error.unverified"); !strings.Contains(ar, "جمعية موثّقة") {
			t.Errorf("Arabic refusal %q", ar)
		}
	})
}

const exchHeader = "name,email,phone,gender,birth_date,skills,languages,neighbourhood"

// exchMixedFile has one row for every reason a row is refused, around valid
// rows: a new person, an existing volunteer and an account without a profile.
func exchMixedFile(existing, noProfile string) []byte {
	return exchCSV(exchHeader,
		`سارة الأحمد,Sara@Example.org,٠٥٠١٢٣٤٥٦٧,أنثى,١٩٩٥-٠٤-٠١,"إسعافات أولية، driving","ar, en",الملقا`,
		`خالد,not-an-email,,,,,,`,
		`سارة مكررة,sara@example.org,,,,,,`,
		`ليلى,layla@example.org,,,,juggling,,`,
		`منى,mona@example.org,,,1995-13-40,,,`,
		`هدى,huda@example.org,,,,,,حي غير موجود`,
		`,noname@example.org,,,,,,`,
		`ريم,reem@example.org,,,,,,الروضة`,
		`نورة,noura@example.org,,x,,,,`,
		`طفل,child@example.org,,,2020-01-01,,,`,
		`متطوع قديم,`+existing+`,0599999999,female,2001-01-01,cooking,en,SA-01-RUH-N-MLQ`,
		`اسم آخر,`+noProfile+`,,male,1990-06-15,Teaching,fr,north riyadh`,
	)
}

// exchProblems is the message ids of a row's problems.
func exchProblems(r ImportRow) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.MsgID)
	}
	return out
}

func TestImportPreviewReasonsAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		old := f.volunteer("متطوع قديم", "old")
		plain := f.user("صاحب حساب", "plain")
		before := f.state()
		rep, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, exchMixedFile(old.Email, strings.ToUpper(plain.Email)))
		if err != nil {
			t.Fatal(err)
		}
		if after := f.state(); after != before {
			t.Fatalf("the preview wrote: %s, then %s", before, after)
		}
		if rep.Format != ImportCSV || len(rep.Rows) != 12 || rep.Valid != 3 || rep.Rejected != 9 {
			t.Fatalf("format %s, %d rows, %d valid, %d rejected", rep.Format, len(rep.Rows), rep.Valid, rep.Rejected)
		}
		want := map[int][]string{
			2:  nil,
			3:  {"volunteer.import.reason.email_bad"},
			4:  {"volunteer.import.reason.email_duplicate"},
			5:  {"volunteer.import.reason.skill_unknown"},
			6:  {"volunteer.import.reason.date_bad"},
			7:  {"volunteer.import.reason.place_unknown"},
			8:  {"volunteer.import.reason.name_missing"},
			9:  {"volunteer.import.reason.place_ambiguous"},
			10: {"volunteer.import.reason.gender_bad"},
			11: {"volunteer.import.reason.too_young"},
			12: nil,
			13: nil,
		}
		for _, r := range rep.Rows {
			if got := exchProblems(r); !slices.Equal(got, want[r.Line]) {
				t.Errorf("row %d: problems %v, want %v", r.Line, got, want[r.Line])
			}
		}
		byLine := func(n int) *ImportRow {
			for i := range rep.Rows {
				if rep.Rows[i].Line == n {
					return &rep.Rows[i]
				}
			}
			t.Fatalf("no row %d", n)
			return nil
		}
		// The reasons read as a coordinator reads them, in both languages.
		for _, c := range []struct {
			line   int
			ar, en string
		}{
			{3, "البريد الإلكتروني: «not-an-email» ليس بريدًا إلكترونيًا صحيحًا", "Email: “not-an-email” is not a valid email address"},
			{4, "ورد أولًا في الصف ٢", "first on row 2"},
			{5, "المهارات: مهارات غير معروفة: juggling", "Skills: unknown skills: juggling"},
			{6, "«1995-13-40» ليس تاريخًا", "“1995-13-40” is not a date written YYYY-MM-DD"},
			{7, "الحي: لا يوجد حي ولا حي إداري باسم أو رمز «حي غير موجود»", "no neighbourhood or district has the name or code “حي غير موجود”"},
			{8, "الاسم: الاسم مطلوب", "Name: the name is missing"},
			{9, "أكثر من مكان اسمه «الروضة»", "write the place's code"},
			{10, "«x» غير مفهوم", "“x” is not understood"},
			{11, "أقل من ١٠ سنوات", "is under 10"},
		} {
			r := byLine(c.line)
			if ar := strings.Join(r.Reasons(exchAR), " "); !strings.Contains(ar, c.ar) {
				t.Errorf("row %d in Arabic: %q lacks %q", c.line, ar, c.ar)
			}
			if en := strings.Join(r.Reasons(exchEN), " "); !strings.Contains(en, c.en) {
				t.Errorf("row %d in English: %q lacks %q", c.line, en, c.en)
			}
		}
		// The preview tells nobody which addresses have an account: a new
		// address, an existing volunteer and an account without a profile
		// read the same, in both languages, and no count is given.
		if byLine(2).Outcome != ImportPending {
			t.Errorf("new person: outcome %s", byLine(2).Outcome)
		}
		if en := exchEN.T(byLine(2).Outcome.MsgID()); !strings.Contains(en, "left for you to invite") {
			t.Errorf("preview outcome %q", en)
		}
		for _, loc := range []*i18n.Locale{exchAR, exchEN} {
			want := loc.T(byLine(2).Outcome.MsgID())
			for _, n := range []int{12, 13} {
				if got := loc.T(byLine(n).Outcome.MsgID()); got != want {
					t.Errorf("row %d with an account reads %q, a new address %q", n, got, want)
				}
			}
		}
		if rep.NewAccounts != 0 || rep.Skipped != 0 {
			t.Errorf("the preview counts accounts: %d new, %d skipped", rep.NewAccounts, rep.Skipped)
		}
		// Parsed values of the first row: digits, Arabic gender, skill by
		// Arabic name and by code, neighbourhood by Arabic name.
		r := byLine(2)
		if r.email != "sara@example.org" || r.phone != "0501234567" || r.gender != Female || r.birthDate != "1995-04-01" ||
			!slices.Equal(r.skills, []string{"first_aid", "driving"}) || !slices.Equal(r.languages, []string{"ar", "en"}) ||
			r.placeID != f.places["SA-01-RUH-N-MLQ"] {
			t.Errorf("row 2 read as %+v", r)
		}
	})
}

func TestImportWritesValidRowsOnlyAndLeavesAccountsAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		old := f.volunteer("متطوع قديم", "old")
		plain := f.user("صاحب حساب", "plain")
		var oldUpdated time.Time
		if err := d.R.QueryRowContext(f.ctx, `SELECT updated_at FROM volunteer_profiles WHERE user_id = $1`, old.ID).Scan(&oldUpdated); err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.ImportVolunteers(f.ctx, f.coord, f.orgID, exchMixedFile(old.Email, plain.Email), ImportOptions{Notify: true})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Imported || rep.Valid != 3 || rep.NewAccounts != 1 || rep.Skipped != 2 || rep.Notified != 1 {
			t.Fatalf("report %+v", rep)
		}
		// Only the valid rows' people exist.
		for _, email := range []string{"layla@example.org", "mona@example.org", "huda@example.org", "noname@example.org", "reem@example.org",
			"noura@example.org", "child@example.org"} {
			if n := f.count(`SELECT COUNT(*) FROM users WHERE email = $1`, email); n != 0 {
				t.Errorf("%s of a rejected row has an account", email)
			}
		}
		// The new person: an account that cannot be signed in to until a
		// password is chosen, an imported profile, skills, membership.
		var id, name, hash, locale string
		if err := d.R.QueryRowContext(f.ctx, `SELECT id, name, password_hash, locale FROM users WHERE email = 'sara@example.org'`).Scan(&id, &name, &hash, &locale); err != nil {
			t.Fatalf("new account: %v", err)
		}
		if name != "سارة الأحمد" || locale != "ar" || !strings.HasPrefix(hash, "$argon2id$") {
			t.Errorf("new account: %q %q %q", name, locale, hash)
		}
		if ok, err := account.CheckPassword(f.ctx, hash, "password123"); ok || err != nil {
			t.Errorf("signing in to an imported account: %v %v", ok, err)
		}
		p, err := f.svc.Profile(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Gender != Female || p.BirthDate != "1995-04-01" || p.HomePlaceID != f.places["SA-01-RUH-N-MLQ"] || p.Lat == nil || *p.Lat != 24.8 ||
			!slices.Equal(p.Languages, []string{"ar", "en"}) || p.CharterVersion != CharterImported || len(p.Skills) != 2 {
			t.Errorf("imported profile %+v", p)
		}
		if n := f.count(`SELECT COUNT(*) FROM volunteer_profiles WHERE user_id = $1 AND phone = '0501234567'`, id); n != 1 {
			t.Error("the phone was not kept")
		}
		if n := f.count(`SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id = $2 AND role = 'member'`, f.orgID, id); n != 1 {
			t.Error("the new person is not a member")
		}
		// The existing volunteer's own profile is untouched, and they were
		// not made a member without their consent.
		op, err := f.svc.Profile(f.ctx, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if op.Gender != Male || op.BirthDate != "1980-02-02" || !slices.Equal(op.Languages, []string{"ur"}) || op.HomePlaceID != "" ||
			len(op.Skills) != 0 || op.CharterVersion != CharterVersion || !op.Updated.Equal(oldUpdated) {
			t.Errorf("an existing profile was changed: %+v", op)
		}
		if n := f.count(`SELECT COUNT(*) FROM volunteer_profiles WHERE user_id = $1 AND phone = '0555000111'`, old.ID); n != 1 {
			t.Error("an existing profile's phone was changed")
		}
		if n := f.count(`SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id = $2`, f.orgID, old.ID); n != 0 {
			t.Error("the existing volunteer was made a member by the import")
		}
		// The account without a profile got none, nor a membership, nor skills.
		if _, err := f.svc.Profile(f.ctx, plain.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("an existing account was given a profile: %v", err)
		}
		if n := f.count(`SELECT (SELECT COUNT(*) FROM memberships WHERE user_id = $1) + (SELECT COUNT(*) FROM volunteer_skills WHERE user_id = $1)`,
			plain.ID); n != 0 {
			t.Error("an existing account was made a member or given skills")
		}
		var plainName string
		if err := d.R.QueryRowContext(f.ctx, `SELECT name FROM users WHERE id = $1`, plain.ID).Scan(&plainName); err != nil || plainName != "صاحب حساب" {
			t.Errorf("existing account's name: %q %v", plainName, err)
		}
		// One welcome email, in Arabic, to the new person only.
		mails := f.mail.all()
		if len(mails) != 1 || mails[0].to != "sara@example.org" || !strings.Contains(mails[0].subject, "جمعية البر") ||
			!strings.Contains(mails[0].text, "https://sharaka.test/password/forgot") {
			t.Errorf("mails %+v", mails)
		}
		// Audited with the counts.
		entries, err := audit.List(f.ctx, d.R, audit.Filter{OrgID: f.orgID, Action: "volunteer.import", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].ActorID != f.coord.ID || entries[0].Details["imported"] != "3" || entries[0].Details["rejected"] != "9" ||
			entries[0].Details["accounts_created"] != "1" || entries[0].Details["skipped_existing"] != "2" {
			t.Errorf("audit %+v", entries)
		}
		// Importing the same file again changes no one and adds no one.
		people := func() int {
			return f.count(`SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM volunteer_profiles) + (SELECT COUNT(*) FROM memberships)`)
		}
		before := people()
		rep, err = f.svc.ImportVolunteers(f.ctx, f.coord, f.orgID, exchMixedFile(old.Email, plain.Email), ImportOptions{Notify: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.NewAccounts != 0 || rep.Skipped != 3 || rep.Notified != 0 {
			t.Errorf("second import: %+v", rep)
		}
		if after := people(); after != before {
			t.Errorf("second import wrote: %d rows, then %d", before, after)
		}
	})
}

// TestImportAllOrNothing: when the database refuses one write, nothing of
// the import stays.
func TestImportAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		rep, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, exchCSV(exchHeader,
			`أمل,amal@example.org,,,,,,`, `بدر,badr@example.org,,,,cooking,,`))
		if err != nil {
			t.Fatal(err)
		}
		rep.outcomes(map[string]bool{})
		// A skill removed from the taxonomy between the check and the write.
		rep.Rows[1].skills = []string{"no_such_skill"}
		before := f.state()
		rf, err := f.svc.impLoadRefs(f.ctx, d.R)
		if err != nil {
			t.Fatal(err)
		}
		err = d.WithTx(f.ctx, func(tx db.Tx) error {
			return impWrite{orgID: f.orgID, now: exchNow, hash: "x", refs: rf}.run(f.ctx, tx, rep)
		})
		if err == nil {
			t.Fatal("the database accepted a skill that does not exist")
		}
		if after := f.state(); after != before {
			t.Fatalf("a refused import left %s (was %s)", after, before)
		}
	})
}

func TestImportFileRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newExchFix(t, d)
		zipNoTypes := exchXLSX(t, "ورقة", [][]any{{"name", "email"}})
		zipNoTypes = bytes.ReplaceAll(zipNoTypes, []byte("[Content_Types].xml"), []byte("[Content_Typez].xml"))
		for _, c := range []struct {
			name string
			file []byte
			msg  string
			en   string
		}{
			{"empty", nil, "volunteer.import.error.empty", "The file is empty."},
			{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "volunteer.import.error.type", "neither a UTF-8 CSV file nor an XLSX file"},
			{"latin-1 text", []byte("name,email\nJos\xe9,jose@example.org\n"), "volunteer.import.error.type", "neither a UTF-8 CSV"},
			{"old excel", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "volunteer.import.error.xls", "old-format Excel"},
			{"zip that is not a workbook", zipNoTypes, "volunteer.import.error.type", "neither a UTF-8 CSV"},
			{"too big", append(exchCSV(exchHeader), make([]byte, MaxImportBytes)...), "volunteer.import.error.size", "larger than 5 MB"},
			{"unknown column", exchCSV("name,email,shoe size", "أ,a@example.org,42"), "volunteer.import.error.unknown_column", "“shoe size”"},
			{"no email column", exchCSV("name,phone", "أ,0500000000"), "volunteer.import.error.missing_column", "no “email” column"},
			{"twice the same column", exchCSV("name,email,الاسم", "أ,a@example.org,ب"), "volunteer.import.error.duplicate_column", "“الاسم” appears twice"},
			{"header only", exchCSV(exchHeader, ",,,,,,,"), "volunteer.import.error.no_rows", "no volunteers after it"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := f.state()
				_, err := f.svc.PreviewImport(f.ctx, f.coord, f.orgID, c.file)
				var he *httpx.Error
				if !errors.As(err, &he) || he.MsgID != c.msg {
					t.Fatalf("got %v, want %s", err, c.msg)
				}
				if msg, ok := ImportFileProblem(err, exchEN); !ok || !strings.Contains(msg, c.en) {
					t.Errorf("message %q lacks %q", msg, c.en)
				}
				if _, err := f.svc.ImportVolunteers(f.ctx, f.coord, f.orgID, c.file, ImportOptions{}); !errors.As(err, &he) || he.MsgID != c.msg {
					t.Errorf("import: %v", err)
				}
				if after := f.state(); after != before {
					t.Errorf("a refused file wrote: %s", after)
				}
			})
		}
	})
}
