package org

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/mail"
)

type sentMail struct{ to, subject, text string }

// fakeMailer records what would be sent; it writes nothing, so a rolled
// back transaction still shows here, which the tests account for.
type fakeMailer struct {
	mu   sync.Mutex
	sent []sentMail
}

func (m *fakeMailer) Queue(_ context.Context, _ db.Tx, to, subject, text string) error {
	// Refuse what the real queue refuses (a line break in the subject …).
	if err := (mail.Message{To: to, Subject: subject, Text: text}).Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{to, subject, text})
	return nil
}

func (m *fakeMailer) last(t *testing.T) sentMail {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sent) == 0 {
		t.Fatal("no mail sent")
	}
	return m.sent[len(m.sent)-1]
}

// linkSecret pulls the invitation secret out of an emailed link.
func linkSecret(t *testing.T, text string) string {
	t.Helper()
	i := strings.Index(text, "/invitations/")
	if i < 0 {
		t.Fatalf("no invitation link in %q", text)
	}
	return strings.Fields(text[i+len("/invitations/"):])[0]
}

type fixture struct {
	d    *db.DB
	svc  *Service
	mail *fakeMailer
	ctx  context.Context
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	m := &fakeMailer{}
	return &fixture{d: d, svc: NewService(d, m, "https://sharaka.test"), mail: m, ctx: context.Background()}
}

// user inserts an account directly, as the account area would.
func (f *fixture) user(t *testing.T, name string, admin bool) *httpx.Viewer {
	t.Helper()
	id := db.NewID()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	now := db.Now()
	_, err := f.d.W.ExecContext(f.ctx, `INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, 'ar', 'latn', 'Asia/Riyadh', $5, $5)`, id, email, name, admin, now)
	if err != nil {
		t.Fatalf("insert user: %v", err)
	}
	return &httpx.Viewer{ID: id, Name: name, Email: email, IsAdmin: admin, EmailVerified: true}
}

// samplePlaces is a small geography: Saudi Arabia, Madinah region and city,
// two districts of Madinah and one neighbourhood, and Riyadh.
const samplePlaces = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,24.0,45.0
SA-03,SA,region,منطقة المدينة المنورة,Madinah Region,,
SA-03-MED,SA-03,city,المدينة المنورة,Madinah,24.47,39.61
SA-03-MED-QBA,SA-03-MED,district,قباء,Quba,24.44,39.62
SA-03-MED-AZZ,SA-03-MED,district,العزيزية,Al Aziziyah,,
SA-03-MED-QBA-N1,SA-03-MED-QBA,neighbourhood,حارة المسجد,Mosque Quarter,,
SA-01,SA,region,منطقة الرياض,Riyadh Region,,
SA-01-RUH,SA-01,city,الرياض,Riyadh,24.71,46.67
`

// places imports samplePlaces and returns the ids by code.
func (f *fixture) places(t *testing.T) map[string]string {
	t.Helper()
	if _, err := f.svc.ImportPlacesCSV(f.ctx, strings.NewReader(samplePlaces), ""); err != nil {
		t.Fatalf("import sample places: %v", err)
	}
	ps, err := allPlaces(f.ctx, f.d.R)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, p := range ps {
		ids[p.Code] = p.ID
	}
	return ids
}

// org creates an organisation owned by owner, verified when verify is set.
func (f *fixture) org(t *testing.T, owner, admin *httpx.Viewer, name string, typ Type, home string, verify bool) *Org {
	t.Helper()
	o, err := f.svc.CreateOrg(f.ctx, owner, Input{NameAr: name, NameEn: name, Type: typ, HomePlaceID: home})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if verify {
		if err := f.svc.Verify(f.ctx, admin, o.ID); err != nil {
			t.Fatalf("verify %s: %v", name, err)
		}
		o.Status = Verified
	}
	return o
}

// join adds a member directly with a role.
func (f *fixture) join(t *testing.T, o *Org, v *httpx.Viewer, role Role) {
	t.Helper()
	if _, err := insertMembership(f.ctx, f.d.W, o.ID, v.ID, role, time.Now().UTC()); err != nil {
		t.Fatalf("join: %v", err)
	}
}

// auditCount counts audit entries of an action.
func (f *fixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
