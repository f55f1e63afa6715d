package volunteer

// Fixtures of the attendance part's tests. Sign-ups belong to another part,
// so shifts, roles and sign-ups are written here with SQL. The Att* names
// are exported to this package's external tests (package volunteer_test),
// which build the whole app.

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/jobs"
)

// AttClock is a settable clock safe to read from server goroutines.
type AttClock struct{ ns atomic.Int64 }

// NewAttClock starts a clock at t.
func NewAttClock(t time.Time) *AttClock {
	c := &AttClock{}
	c.Set(t)
	return c
}

// Set moves the clock to t.
func (c *AttClock) Set(t time.Time) { c.ns.Store(t.UTC().Truncate(time.Microsecond).UnixNano()) }

// Now reads the clock.
func (c *AttClock) Now() time.Time { return time.Unix(0, c.ns.Load()).UTC() }

// AttUseClock makes the service read time from c (tests only).
func (s *Service) AttUseClock(c *AttClock) { s.now = c.Now }

// attSeq makes fixture names and codes unique within a test binary.
var attSeq atomic.Int64

// AttInsertOrgSettings saves an organisation's volunteering rules.
func AttInsertOrgSettings(ctx context.Context, d *db.DB, orgID string, approval Approval, graceMinutes int) error {
	_, err := d.W.ExecContext(ctx, `INSERT INTO org_volunteer_settings (org_id, hours_approval, checkin_grace_minutes, updated_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET hours_approval = $2, checkin_grace_minutes = $3`,
		orgID, string(approval), graceMinutes, db.Now())
	return err
}

// AttInsertShift writes an opportunity of orgID with one shift and one role
// of ten places; it returns the shift, the role and the check-in code.
func AttInsertShift(ctx context.Context, d *db.DB, orgID, creatorID, category string, start, end time.Time) (shiftID, roleID, code string, err error) {
	n := attSeq.Add(1)
	oppID, shiftID, roleID := db.NewID(), db.NewID(), db.NewID()
	code = fmt.Sprintf("K%02dQ%02d", n%100, (n/100)%100) // letters and digits, like the real codes
	now := db.Now()
	err = d.WithTx(ctx, func(tx db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO opportunities (id, org_id, title_ar, title_en, category, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, oppID, orgID, fmt.Sprintf("تعبئة السلال %d", n), fmt.Sprintf("Basket packing %d", n), category, creatorID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, checkin_code, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, shiftID, oppID, start.UTC(), end.UTC(), code, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO shift_roles (id, shift_id, name_ar, name_en, slots) VALUES ($1, $2, 'متطوع', 'Volunteer', 10)`, roleID, shiftID)
		return err
	})
	return shiftID, roleID, code, err
}

// AttInsertSignup puts userID on a shift's role with a status.
func AttInsertSignup(ctx context.Context, d *db.DB, shiftID, roleID, userID string, status SignupStatus) (string, error) {
	id := db.NewID()
	now := db.Now()
	_, err := d.W.ExecContext(ctx, `INSERT INTO signups (id, shift_id, role_id, user_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
		id, shiftID, roleID, userID, string(status), now)
	return id, err
}

// attMail is a sent message.
type attMail struct{ to, subject, text string }

// attMailer records what would be sent.
type attMailer struct {
	mu   sync.Mutex
	sent []attMail
}

func (m *attMailer) Queue(_ context.Context, _ db.Tx, to, subject, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, attMail{to, subject, text})
	return nil
}

func (m *attMailer) last(t *testing.T) attMail {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sent) == 0 {
		t.Fatal("no mail queued")
	}
	return m.sent[len(m.sent)-1]
}

type attFixture struct {
	t     *testing.T
	d     *db.DB
	svc   *Service
	mail  *attMailer
	clock *AttClock
	ctx   context.Context
}

func newAttFixture(t *testing.T, d *db.DB) *attFixture {
	t.Helper()
	m := &attMailer{}
	svc := NewService(d, org.NewService(d, m, "https://sharaka.test"), m, "https://sharaka.test")
	workers := river.NewWorkers()
	addAttendanceWorkers(workers, svc)
	jc, err := jobs.New(d, workers, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc.UseJobs(jc)
	f := &attFixture{t: t, d: d, svc: svc, mail: m, clock: NewAttClock(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)), ctx: context.Background()}
	svc.AttUseClock(f.clock)
	return f
}

// user inserts an account directly, as the account area would.
func (f *attFixture) user(name, locale string) *httpx.Viewer {
	f.t.Helper()
	id := db.NewID()
	email := fmt.Sprintf("%s.%d@example.com", strings.ToLower(strings.ReplaceAll(name, " ", ".")), attSeq.Add(1))
	_, err := f.d.W.ExecContext(f.ctx, `INSERT INTO users (id, email, name, password_hash, locale, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $5, $5)`, id, email, name, locale, db.Now())
	if err != nil {
		f.t.Fatalf("insert user: %v", err)
	}
	return &httpx.Viewer{ID: id, Name: name, Email: email}
}

// org inserts a verified organisation owned by owner.
func (f *attFixture) org(owner *httpx.Viewer, nameAr, nameEn string) string {
	f.t.Helper()
	id := db.NewID()
	now := db.Now()
	if _, err := f.d.W.ExecContext(f.ctx, `INSERT INTO organisations (id, name_ar, name_en, type, status, created_by, created_at, verified_at)
		VALUES ($1, $2, $3, 'charity', 'verified', $4, $5, $5)`, id, nameAr, nameEn, owner.ID, now); err != nil {
		f.t.Fatalf("insert organisation: %v", err)
	}
	f.member(id, owner, org.RoleOwner)
	return id
}

func (f *attFixture) member(orgID string, v *httpx.Viewer, role org.Role) {
	f.t.Helper()
	if _, err := f.d.W.ExecContext(f.ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`,
		orgID, v.ID, string(role), db.Now()); err != nil {
		f.t.Fatalf("insert membership: %v", err)
	}
}

func (f *attFixture) settings(orgID string, approval Approval, grace int) {
	f.t.Helper()
	if err := AttInsertOrgSettings(f.ctx, f.d, orgID, approval, grace); err != nil {
		f.t.Fatal(err)
	}
}

type attShift struct{ id, role, code string }

func (f *attFixture) shift(orgID string, creator *httpx.Viewer, start, end time.Time) attShift {
	f.t.Helper()
	id, role, code, err := AttInsertShift(f.ctx, f.d, orgID, creator.ID, "food", start, end)
	if err != nil {
		f.t.Fatalf("insert shift: %v", err)
	}
	return attShift{id, role, code}
}

func (f *attFixture) signup(sh attShift, v *httpx.Viewer, status SignupStatus) string {
	f.t.Helper()
	id, err := AttInsertSignup(f.ctx, f.d, sh.id, sh.role, v.ID, status)
	if err != nil {
		f.t.Fatalf("insert sign-up: %v", err)
	}
	return id
}

// hoursOf reads the hours a sign-up earned.
func (f *attFixture) hoursOf(signupID string) *Hours {
	f.t.Helper()
	var id string
	if err := f.d.R.QueryRowContext(f.ctx, `SELECT id FROM hours WHERE signup_id = $1`, signupID).Scan(&id); err != nil {
		f.t.Fatalf("hours of sign-up %s: %v", signupID, err)
	}
	h, err := loadHours(f.ctx, f.d.R, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// addHours inserts an hours row directly.
func (f *attFixture) addHours(userID, orgID, day string, minutes int, status HoursStatus) string {
	f.t.Helper()
	id := db.NewID()
	if _, err := f.d.W.ExecContext(f.ctx, `INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, created_at)
		VALUES ($1, $2, $3, 'food', $4, $5, 'عمل', 'self', $6, $7)`, id, userID, orgID, minutes, day, string(status), db.Now()); err != nil {
		f.t.Fatalf("insert hours: %v", err)
	}
	return id
}

// auditCount counts audit entries of an action about a target.
func (f *attFixture) auditCount(action, targetID string) int {
	f.t.Helper()
	var n int
	if err := f.d.R.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target_id = $2`, action, targetID).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}
