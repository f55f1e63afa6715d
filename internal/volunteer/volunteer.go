// Package volunteer runs volunteering end to end: volunteer profiles,
// opportunities and their shifts, sign-ups that explain themselves, waitlists,
// attendance, verified hours and certificates.
//
// Files by area: profile*.go (the person's record), opportunity*.go and
// shift*.go (what organisations offer), rules.go (the pure sign-up decision),
// signup*.go (sign-up, waitlist, withdrawal), roster*.go (coordinators),
// attendance*.go, hours*.go, certificate*.go, reminders.go, ical.go,
// import*.go/export*.go, distribute*.go (the engine of internal/assign on an
// opportunity's shifts), api*.go, pages_*.go.
package volunteer

import (
	"context"
	"slices"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/jobs"
)

// Mailer queues an email inside the caller's transaction (see account.Mailer).
type Mailer interface {
	Queue(ctx context.Context, tx db.Tx, to, subject, text string) error
}

// Service holds the volunteering use cases.
type Service struct {
	db      *db.DB
	orgs    *org.Service
	mail    Mailer
	jobs    *jobs.Client
	baseURL string
	now     func() time.Time
	// zone is where weekly availability and recurring shifts are defined.
	zone *time.Location
	// searcher reads the search index (searchIndex); shared by the copies
	// AtTime makes.
	searcher *lazySearch
}

// NewService builds the service; call UseJobs before serving.
func NewService(d *db.DB, orgs *org.Service, m Mailer, baseURL string) *Service {
	zone, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		zone = time.FixedZone("AST", 3*3600)
	}
	return &Service{db: d, orgs: orgs, mail: m, baseURL: baseURL, now: db.Now, zone: zone, searcher: &lazySearch{}}
}

// UseJobs gives the service its job client. River needs every worker before
// the client exists, and the workers need the service, hence the two steps.
func (s *Service) UseJobs(jc *jobs.Client) { s.jobs = jc }

// Gender is recorded only for eligibility rules.
type Gender string

const (
	GenderUnset Gender = ""
	Female      Gender = "female"
	Male        Gender = "male"
)

// GenderRule restricts who may take a shift.
type GenderRule string

const (
	AnyGender GenderRule = "any"
	WomenOnly GenderRule = "women"
	MenOnly   GenderRule = "men"
)

// Approval says whether sign-ups (or hours) need a coordinator.
type Approval string

const (
	AutoApproval   Approval = "auto"
	ReviewApproval Approval = "review"
)

// Categories of work, shared by opportunities and volunteers' interests.
var Categories = []string{"relief", "food", "health", "education", "elderly", "children", "environment", "community", "disability"}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool { return slices.Contains(Categories, c) }

// Languages a volunteer may speak or an opportunity may require.
var Languages = []string{"ar", "en", "ur", "hi", "bn", "id", "fr", "tr", "sgn"}

// CharterVersion is the volunteer charter people accept when they register;
// bump it when the text in the catalogue (volunteer.charter.*) changes.
const CharterVersion = "2026-11"

// Profile is a volunteer's own record, shared by every organisation they help.
type Profile struct {
	UserID             string
	Name               string // from the account, for display
	Email              string
	Gender             Gender
	BirthDate          string // YYYY-MM-DD or ""
	HomePlaceID        string
	Lat, Lon           *float64
	TravelRadiusKm     int
	MaxHoursWeek       int // 0: no limit
	MaxShiftsWeek      int // 0: no limit
	Languages          []string
	Interests          []string
	EmergencyName      string
	EmergencyPhone     string
	RemindersOptOut    bool
	CalendarKey        string
	CharterVersion     string
	CharterAcceptedAt  time.Time
	Skills             []ProfileSkill
	Availability       []Window
	Exceptions         []Away
	CreatedAt, Updated time.Time
}

// ProfileSkill is a skill a volunteer claims, optionally verified by an organisation.
type ProfileSkill struct {
	SkillID    string
	VerifiedBy string // organisation id, "" when unverified
}

// Window is a weekly availability window in the service's zone.
type Window struct {
	Weekday     time.Weekday
	StartMinute int // minutes after midnight
	EndMinute   int
}

// Away is a period (inclusive dates, YYYY-MM-DD) when a volunteer is not available.
type Away struct {
	ID       string
	StartsOn string
	EndsOn   string
	Note     string
}

// Skill is an entry of the shared taxonomy.
type Skill struct {
	ID     string `json:"id"`
	NameAr string `json:"name_ar"`
	NameEn string `json:"name_en"`
}

// Opportunity is a kind of work an organisation offers, with its requirements.
type Opportunity struct {
	ID            string     `json:"id"`
	OrgID         string     `json:"org_id"`
	OrgNameAr     string     `json:"org_name_ar"`
	OrgNameEn     string     `json:"org_name_en"`
	TitleAr       string     `json:"title_ar"`
	TitleEn       string     `json:"title_en"`
	DescriptionAr string     `json:"description_ar"`
	DescriptionEn string     `json:"description_en"`
	Category      string     `json:"category"`
	PlaceID       string     `json:"place_id"`
	Lat           *float64   `json:"lat"`
	Lon           *float64   `json:"lon"`
	GenderRule    GenderRule `json:"gender_rule"`
	MinAge        int        `json:"min_age"`
	VettedOnly    bool       `json:"vetted_only"`
	Languages     []string   `json:"languages"`
	Skills        []string   `json:"skills"`
	Approval      Approval   `json:"approval"`
	Status        string     `json:"status"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Shift is one occurrence of an opportunity's work, with its roles.
type Shift struct {
	ID                string    `json:"id"`
	OpportunityID     string    `json:"opportunity_id"`
	SeriesID          string    `json:"series_id,omitempty"`
	StartsAt          time.Time `json:"starts_at"`
	EndsAt            time.Time `json:"ends_at"`
	TeamSize          int       `json:"team_size"`
	SignupOpensDays   int       `json:"signup_opens_days"`
	SignupClosesHours int       `json:"signup_closes_hours"`
	CancelCutoffHours int       `json:"cancel_cutoff_hours"`
	Status            string    `json:"status"`
	Roles             []Role    `json:"roles"`
	// CheckinCode is shown only to coordinators (and on the kiosk page).
	CheckinCode string `json:"-"`
}

// Role is a set of slots on a shift; a role with a skill needs it.
type Role struct {
	ID      string `json:"id"`
	NameAr  string `json:"name_ar"`
	NameEn  string `json:"name_en"`
	SkillID string `json:"skill_id,omitempty"`
	Slots   int    `json:"slots"`
	// Taken counts confirmed people (party sizes included).
	Taken int `json:"taken"`
}

// Minutes is the shift's length.
func (s *Shift) Minutes() int { return int(s.EndsAt.Sub(s.StartsAt) / time.Minute) }

// SignupStatus is where a sign-up stands.
type SignupStatus string

const (
	Confirmed  SignupStatus = "confirmed"
	Waitlisted SignupStatus = "waitlisted"
	Pending    SignupStatus = "pending"
	Withdrawn  SignupStatus = "withdrawn"
	Declined   SignupStatus = "declined"
)

// Signup is one person's (or party's) place on a shift.
type Signup struct {
	ID             string       `json:"id"`
	ShiftID        string       `json:"shift_id"`
	RoleID         string       `json:"role_id"`
	UserID         string       `json:"user_id"`
	Status         SignupStatus `json:"status"`
	PartySize      int          `json:"party_size"`
	Members        []string     `json:"members,omitempty"`
	NoShow         bool         `json:"no_show"`
	NoShowComment  string       `json:"no_show_comment,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
	WaitlistNumber int          `json:"waitlist_position,omitempty"`
}

// AtTime returns a copy of the service whose clock reads now(): the demo
// loader uses it to record a past that really happened through the same
// rules (shifts created, attended and approved at their own times).
func (s *Service) AtTime(now func() time.Time) *Service {
	c := *s
	// Stored times are UTC at microseconds, whatever zone the caller's clock uses.
	c.now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &c
}
