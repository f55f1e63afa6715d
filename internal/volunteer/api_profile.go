package volunteer

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

var profileOps = []httpx.Operation{
	{Method: "GET", Path: "/api/v1/volunteer/profile", ID: "getMyVolunteerProfile", Tag: "volunteering", Auth: true, Response: ProfileView{},
		Summary: "Get the caller's volunteer profile (404 until they create one)"},
	{Method: "PUT", Path: "/api/v1/volunteer/profile", ID: "saveMyVolunteerProfile", Tag: "volunteering", Auth: true, Body: ProfileInput{}, Response: ProfileView{},
		Summary: "Create (201; charter_accepted must be true) or replace (200) the caller's volunteer profile; exceptions are replaced only when the key is sent"},
	{Method: "GET", Path: "/api/v1/skills", ID: "listSkills", Tag: "volunteering", Response: SkillList{},
		Summary: "List the shared skills taxonomy"},
	{Method: "GET", Path: "/api/v1/volunteer/shifts", ID: "listMyShifts", Tag: "volunteering", Auth: true, Query: []string{"when", "after", "limit"}, Response: MyShiftList{},
		Summary: "List the caller's sign-ups (all but withdrawn): when=upcoming (default, soonest first) or when=past (latest first)"},
}

func (a *API) profileAPI(mux httpx.Router) {
	mux.Handle("GET /api/v1/volunteer/profile", httpx.API(a.getProfile))
	mux.Handle("PUT /api/v1/volunteer/profile", httpx.API(a.saveProfile))
	mux.Handle("GET /api/v1/skills", httpx.API(a.listSkills))
	mux.Handle("GET /api/v1/volunteer/shifts", httpx.API(a.listMyShifts))
}

// ProfileView is a volunteer profile as the API shows it to its owner.
type ProfileView struct {
	UserID            string             `json:"user_id"`
	Name              string             `json:"name"`
	Skills            []ProfileSkillView `json:"skills"`
	Languages         []string           `json:"languages"`
	Interests         []string           `json:"interests"`
	Availability      []WindowInput      `json:"availability"`
	Exceptions        []AwayView         `json:"exceptions"`
	HomePlaceID       string             `json:"home_place_id"`
	Lat               *float64           `json:"lat"`
	Lon               *float64           `json:"lon"`
	TravelRadiusKm    int                `json:"travel_radius_km"`
	MaxHoursWeek      int                `json:"max_hours_week"`
	MaxShiftsWeek     int                `json:"max_shifts_week"`
	Gender            Gender             `json:"gender"`
	BirthDate         string             `json:"birth_date"`
	EmergencyName     string             `json:"emergency_name"`
	EmergencyPhone    string             `json:"emergency_phone"`
	RemindersOptOut   bool               `json:"reminders_opt_out"`
	Phone             string             `json:"phone"`
	CalendarURL       string             `json:"calendar_url"`
	CharterVersion    string             `json:"charter_version"`
	CharterAcceptedAt time.Time          `json:"charter_accepted_at"`
	// CharterCurrent is false when the charter changed since it was accepted;
	// the next save needs charter_accepted.
	CharterCurrent bool      `json:"charter_current"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ProfileSkillView is a skill the volunteer lists; verified_by is the
// organisation that verified it, "" when none has.
type ProfileSkillView struct {
	SkillID    string `json:"skill_id"`
	VerifiedBy string `json:"verified_by"`
}

// AwayView is a period away.
type AwayView struct {
	ID       string `json:"id"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
	Note     string `json:"note"`
}

// List responses of this part.
type (
	SkillList struct {
		Items []Skill `json:"items"`
		Next  string  `json:"next"`
	}
	MyShiftList struct {
		Items []MyShift `json:"items"`
		Next  string    `json:"next"`
	}
)

func (a *API) view(p *Profile, phone string) ProfileView {
	out := ProfileView{UserID: p.UserID, Name: p.Name, Skills: []ProfileSkillView{}, Languages: p.Languages, Interests: p.Interests,
		Availability: []WindowInput{}, Exceptions: []AwayView{}, HomePlaceID: p.HomePlaceID, Lat: p.Lat, Lon: p.Lon,
		TravelRadiusKm: p.TravelRadiusKm, MaxHoursWeek: p.MaxHoursWeek, MaxShiftsWeek: p.MaxShiftsWeek, Gender: p.Gender,
		BirthDate: p.BirthDate, EmergencyName: p.EmergencyName, EmergencyPhone: p.EmergencyPhone, RemindersOptOut: p.RemindersOptOut,
		CalendarURL: a.svc.CalendarURL(p.CalendarKey), CharterVersion: p.CharterVersion, CharterAcceptedAt: p.CharterAcceptedAt.UTC(),
		CharterCurrent: p.CharterVersion == CharterVersion, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.Updated.UTC(), Phone: phone}
	for _, s := range p.Skills {
		out.Skills = append(out.Skills, ProfileSkillView(s))
	}
	for _, w := range p.Availability {
		out.Availability = append(out.Availability, WindowInput{Weekday: int(w.Weekday), Start: FormatClock(w.StartMinute), End: FormatClock(w.EndMinute)})
	}
	for _, e := range p.Exceptions {
		out.Exceptions = append(out.Exceptions, AwayView(e))
	}
	return out
}

func (a *API) getProfile(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	p, err := a.svc.Profile(r.Context(), v.ID)
	if err != nil {
		return err
	}
	phone, err := a.svc.ProfilePhone(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, a.view(p, phone))
}

func (a *API) saveProfile(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in ProfileInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	_, err := a.svc.Profile(r.Context(), v.ID)
	before := err == nil
	p, err := a.svc.SaveProfile(r.Context(), v, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !before {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/volunteer/profile")
	}
	phone, err := a.svc.ProfilePhone(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, status, a.view(p, phone))
}

func (a *API) listSkills(w http.ResponseWriter, r *http.Request) error {
	ks, err := a.svc.Skills(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, SkillList{Items: ks})
}

func (a *API) listMyShifts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := MyShiftFilter{After: q.Get("after")}
	switch q.Get("when") {
	case "", "upcoming":
	case "past":
		f.Past = true
	default:
		return httpx.Invalid(map[string]string{"when": "volunteer.myshifts.error.when"})
	}
	if s := strings.TrimSpace(i18n.NormalizeDigits(q.Get("limit"))); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return httpx.Invalid(map[string]string{"limit": "volunteer.myshifts.error.limit"})
		}
		f.Limit = n
	}
	pg, err := a.svc.MyShifts(r.Context(), httpx.ViewerFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, MyShiftList{Items: pg.Items, Next: pg.Next})
}
