package volunteer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/jobs"
)

type suMail struct{ to, subject, text string }

// suMailer records what would be sent.
type suMailer struct {
	mu   sync.Mutex
	sent []suMail
}

func (m *suMailer) Queue(_ context.Context, _ db.Tx, to, subject, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, suMail{to, subject, text})
	return nil
}

// to lists the mail sent to an address.
func (m *suMailer) to(addr string) []suMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []suMail
	for _, s := range m.sent {
		if s.to == addr {
			out = append(out, s)
		}
	}
	return out
}

// suEnv is the volunteer service over a fresh database with a verified
// organisation (owned by coord), a fake clock and an insert-only job client.
type suEnv struct {
	t      *testing.T
	d      *db.DB
	ctx    context.Context
	svc    *Service
	orgs   *org.Service
	mail   *suMailer
	now    time.Time
	admin  *httpx.Viewer
	coord  *httpx.Viewer
	orgID  string
	places map[string]string
}

const suPlaces = `code,parent_code,level,name_ar,name_en,lat,lon
SA,,country,السعودية,Saudi Arabia,24.0,45.0
SA-03,SA,region,منطقة المدينة المنورة,Madinah Region,,
SA-03-MED,SA-03,city,المدينة المنورة,Madinah,24.47,39.61
SA-03-MED-QBA,SA-03-MED,district,قباء,Quba,24.44,39.62
SA-03-MED-QBA-N1,SA-03-MED-QBA,neighbourhood,حارة المسجد,Mosque Quarter,,
SA-03-MED-AZZ,SA-03-MED,district,العزيزية,Al Aziziyah,24.40,39.58
`

func suSetup(t *testing.T, d *db.DB) *suEnv {
	t.Helper()
	ctx := context.Background()
	m := &suMailer{}
	orgs := org.NewService(d, m, "https://sharaka.test")
	svc := NewService(d, orgs, m, "https://sharaka.test")
	e := &suEnv{t: t, d: d, ctx: ctx, svc: svc, orgs: orgs, mail: m, places: map[string]string{},
		now: suEpoch}
	svc.now = func() time.Time { return e.now }
	workers := river.NewWorkers()
	AddWorkers(workers, svc)
	jc, err := jobs.New(d, workers, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc.UseJobs(jc)
	e.admin = e.user("مشرف المنصة", "ar", true)
	if _, err := orgs.ImportPlacesCSV(ctx, strings.NewReader(suPlaces), e.admin.ID); err != nil {
		t.Fatalf("import places: %v", err)
	}
	rows, err := d.R.QueryContext(ctx, `SELECT code, id FROM places`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, id string
		if err := rows.Scan(&code, &id); err != nil {
			t.Fatal(err)
		}
		e.places[code] = id
	}
	rows.Close()
	e.coord = e.user("منسقة الجمعية", "ar", false)
	e.orgID = e.org(e.coord, "جمعية البر")
	return e
}

// user inserts an account directly, as the account area would.
func (e *suEnv) user(name, lang string, admin bool) *httpx.Viewer {
	e.t.Helper()
	id := db.NewID()
	email := "u" + id[len(id)-12:] + "@example.org"
	e.exec(`INSERT INTO users (id, email, name, password_hash, is_admin, locale, digits, time_zone, created_at, updated_at)
		VALUES ($1, $2, $3, '', $4, $5, 'latn', 'Asia/Riyadh', $6, $6)`, id, email, name, admin, lang, db.Now())
	return &httpx.Viewer{ID: id, Name: name, Email: email, IsAdmin: admin}
}

// org creates a verified organisation owned by owner.
func (e *suEnv) org(owner *httpx.Viewer, name string) string {
	e.t.Helper()
	o, err := e.orgs.CreateOrg(e.ctx, owner, org.Input{NameAr: name, Type: org.Charity})
	if err != nil {
		e.t.Fatalf("create org: %v", err)
	}
	if err := e.orgs.Verify(e.ctx, e.admin, o.ID); err != nil {
		e.t.Fatalf("verify org: %v", err)
	}
	return o.ID
}

// suVol describes a volunteer's profile.
type suVol struct {
	lang, gender, birth string
	skills              []string
	optOut              bool
	maxShifts           int
}

// volunteer creates an account with a volunteer profile.
func (e *suEnv) volunteer(name string, v suVol) *httpx.Viewer {
	e.t.Helper()
	if v.lang == "" {
		v.lang = "ar"
	}
	u := e.user(name, v.lang, false)
	now := db.Now()
	e.exec(`INSERT INTO volunteer_profiles (user_id, gender, birth_date, languages, reminders_opt_out, max_shifts_week, calendar_key,
			charter_version, charter_accepted_at, created_at, updated_at)
		VALUES ($1, $2, $3, 'ar', $4, $5, $6, $7, $8, $8, $8)`, u.ID, v.gender, v.birth, v.optOut, v.maxShifts, suRandom(), CharterVersion, now)
	for _, k := range v.skills {
		e.exec(`INSERT INTO volunteer_skills (user_id, skill_id) VALUES ($1, $2)`, u.ID, k)
	}
	return u
}

// suOpp describes an opportunity; zero values are the usual ones.
type suOpp struct {
	orgID, titleAr, titleEn, category, placeID, gender, approval, status string
	minAge                                                               int
	vetted                                                               bool
}

func (e *suEnv) opp(o suOpp) string {
	e.t.Helper()
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&o.orgID, e.orgID)
	def(&o.titleAr, "تعبئة السلال الغذائية")
	def(&o.category, "food")
	def(&o.gender, "any")
	def(&o.approval, "auto")
	def(&o.status, "published")
	id := db.NewID()
	now := db.Now()
	e.exec(`INSERT INTO opportunities (id, org_id, title_ar, title_en, category, place_id, gender_rule, min_age, vetted_only, approval, status,
			created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
		id, o.orgID, o.titleAr, o.titleEn, o.category, nullString(o.placeID), o.gender, o.minAge, o.vetted, o.approval, o.status, e.coord.ID, now)
	return id
}

// shift adds a shift starting at start (sign-up opens 30 days before and
// closes at the start; no cancellation cut-off) with one role per slots value.
func (e *suEnv) shift(oppID string, start time.Time, minutes int, slots ...int) (string, []string) {
	e.t.Helper()
	id := db.NewID()
	e.exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, signup_opens_days, signup_closes_hours, cancel_cutoff_hours,
			checkin_code, created_at) VALUES ($1, $2, $3, $4, 30, 0, 0, $5, $6)`,
		id, oppID, start.UTC(), start.Add(time.Duration(minutes)*time.Minute).UTC(), suRandom(), db.Now())
	var roles []string
	for i, n := range slots {
		rid := db.NewID()
		e.exec(`INSERT INTO shift_roles (id, shift_id, name_ar, name_en, slots) VALUES ($1, $2, $3, $4, $5)`,
			rid, id, "دور "+string(rune('أ'+i)), "Role "+string(rune('A'+i)), n)
		roles = append(roles, rid)
	}
	return id, roles
}

func suRandom() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *suEnv) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.d.W.ExecContext(e.ctx, q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *suEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.d.R.QueryRowContext(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// status is a sign-up's status in the database.
func (e *suEnv) status(signupID string) SignupStatus {
	e.t.Helper()
	var s string
	if err := e.d.R.QueryRowContext(e.ctx, `SELECT status FROM signups WHERE id = $1`, signupID).Scan(&s); err != nil {
		e.t.Fatalf("status of %s: %v", signupID, err)
	}
	return SignupStatus(s)
}

// suEpoch is the fake clock's time at the start of every case.
var suEpoch = time.Date(2031, 3, 1, 6, 0, 0, 0, time.UTC)

// suCase is one case run on a shared environment; cases create their own
// people and shifts and count only what they made.
type suCase struct {
	name string
	fn   func(t *testing.T, e *suEnv, d *db.DB)
}

// suRun runs cases one after the other on e (setting up a database costs
// more than the cases), each from the same clock.
func suRun(t *testing.T, e *suEnv, d *db.DB, cases []suCase) {
	for _, c := range cases {
		e.now = suEpoch
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			c.fn(t, e, d)
		})
	}
}

// jobsFor counts the jobs of a kind whose argument key has the value.
func (e *suEnv) jobsFor(kind, key, value string) int {
	arg := "args->>'" + key + "'"
	if e.d.Dialect == db.SQLite {
		arg = "json_extract(args, '$." + key + "')"
	}
	return e.count(`SELECT COUNT(*) FROM river_job WHERE kind = $1 AND `+arg+` = $2`, kind, value)
}

// signUp signs v up and fails the test on an error.
func (e *suEnv) signUp(v *httpx.Viewer, shiftID string, in SignupInput) (*Signup, Decision) {
	e.t.Helper()
	g, d, err := e.svc.SignUp(e.ctx, v, shiftID, in)
	if err != nil {
		e.t.Fatalf("sign up: %v", err)
	}
	return g, d
}

// signupOf is the live sign-up of v on a shift.
func (e *suEnv) signupOf(v *httpx.Viewer, shiftID string) string {
	e.t.Helper()
	var id string
	if err := e.d.R.QueryRowContext(e.ctx, `SELECT id FROM signups WHERE user_id = $1 AND shift_id = $2 AND status IN ('confirmed', 'waitlisted', 'pending')`, v.ID, shiftID).Scan(&id); err != nil {
		e.t.Fatalf("sign-up of %s: %v", v.Name, err)
	}
	return id
}
