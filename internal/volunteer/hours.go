package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Hours: what volunteers earn from attendance or submit for work done off
// the platform, and what coordinators approve or decline (with a reason,
// never deleting the row).

// HoursStatus is where an hours entry stands.
type HoursStatus string

const (
	HoursPending  HoursStatus = "pending"
	HoursApproved HoursStatus = "approved"
	HoursDeclined HoursStatus = "declined"
)

// HoursStatuses lists every status, in the order filters show them.
var HoursStatuses = []HoursStatus{HoursPending, HoursApproved, HoursDeclined}

// MsgID is the catalogue id of the status's name.
func (h HoursStatus) MsgID() string { return "volunteer.hours.status." + string(h) }

// Badge is the badge class that shows the status.
func (h HoursStatus) Badge() string {
	switch h {
	case HoursApproved:
		return "ok"
	case HoursDeclined:
		return "bad"
	}
	return "warn"
}

// Sources of hours.
const (
	HoursFromAttendance = "attendance"
	HoursFromSelf       = "self"
)

// Limits on submitted hours.
const (
	MinSubmittedMinutes = 15
	MaxSubmittedMinutes = 720
	MaxHoursDescription = 1000
)

// Hours is one entry of a volunteer's hours with one organisation.
type Hours struct {
	ID          string      `json:"id"`
	UserID      string      `json:"user_id"`
	UserName    string      `json:"user_name"`
	OrgID       string      `json:"org_id"`
	OrgNameAr   string      `json:"org_name_ar"`
	OrgNameEn   string      `json:"org_name_en"`
	SignupID    string      `json:"signup_id,omitempty"`
	Category    string      `json:"category"`
	Minutes     int         `json:"minutes"`
	WorkedOn    string      `json:"worked_on"`
	Description string      `json:"description"`
	Source      string      `json:"source"`
	Status      HoursStatus `json:"status"`
	DecidedBy   string      `json:"decided_by,omitempty"`
	DeciderName string      `json:"decided_by_name,omitempty"`
	DecidedAt   *time.Time  `json:"decided_at,omitempty"`
	// DeclineReason is kept with declined hours.
	DeclineReason string    `json:"decline_reason,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// For hours from attendance: the opportunity and the attendance's flags.
	OpportunityTitleAr string `json:"opportunity_title_ar,omitempty"`
	OpportunityTitleEn string `json:"opportunity_title_en,omitempty"`
	AutoClosed         bool   `json:"auto_closed"`
	Corrected          bool   `json:"corrected"`
}

// OrgName is the organisation's name in lang.
func (h Hours) OrgName(lang i18n.Lang) string {
	if lang == i18n.EN && h.OrgNameEn != "" {
		return h.OrgNameEn
	}
	return h.OrgNameAr
}

// OpportunityTitle is the opportunity's title in lang ("" for submitted hours).
func (h Hours) OpportunityTitle(lang i18n.Lang) string {
	if lang == i18n.EN && h.OpportunityTitleEn != "" {
		return h.OpportunityTitleEn
	}
	return h.OpportunityTitleAr
}

// Day is WorkedOn as a time for .Date (noon UTC, the same day in every zone).
func (h Hours) Day() time.Time { return hoursDayTime(h.WorkedOn) }

// hoursDayTime reads a YYYY-MM-DD date as noon UTC of that day (zero when malformed).
func hoursDayTime(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t.Add(12 * time.Hour)
}

// Errors of hours decisions.
var (
	ErrOwnHours     = &httpx.Error{Status: http.StatusForbidden, Type: "own-hours", MsgID: "volunteer.hours.error.own"}
	ErrHoursDecided = &httpx.Error{Status: http.StatusConflict, Type: "hours-decided", MsgID: "volunteer.hours.error.decided"}
)

const hoursCols = `h.id, h.user_id, u.name, h.org_id, g.name_ar, g.name_en, COALESCE(h.signup_id, ''), h.category, h.minutes, h.worked_on,
	h.description, h.source, h.status, COALESCE(h.decided_by, ''), COALESCE(d.name, ''), h.decided_at, h.decline_reason, h.created_at,
	COALESCE(o.title_ar, ''), COALESCE(o.title_en, ''), a.auto_closed, a.corrected_at`

const hoursFrom = ` FROM hours h JOIN users u ON u.id = h.user_id JOIN organisations g ON g.id = h.org_id
	LEFT JOIN users d ON d.id = h.decided_by
	LEFT JOIN signups sg ON sg.id = h.signup_id LEFT JOIN shifts sh ON sh.id = sg.shift_id
	LEFT JOIN opportunities o ON o.id = sh.opportunity_id
	LEFT JOIN attendance a ON a.signup_id = h.signup_id `

func scanHours(row interface{ Scan(...any) error }) (*Hours, error) {
	h := &Hours{}
	var status string
	var decided, corrected sql.NullTime
	var auto sql.NullBool
	if err := row.Scan(&h.ID, &h.UserID, &h.UserName, &h.OrgID, &h.OrgNameAr, &h.OrgNameEn, &h.SignupID, &h.Category, &h.Minutes, &h.WorkedOn,
		&h.Description, &h.Source, &status, &h.DecidedBy, &h.DeciderName, &decided, &h.DeclineReason, &h.CreatedAt,
		&h.OpportunityTitleAr, &h.OpportunityTitleEn, &auto, &corrected); err != nil {
		return nil, db.Map(err)
	}
	h.Status, h.AutoClosed, h.Corrected = HoursStatus(status), auto.Bool, corrected.Valid
	h.CreatedAt = h.CreatedAt.UTC()
	if decided.Valid {
		t := decided.Time.UTC()
		h.DecidedAt = &t
	}
	return h, nil
}

func loadHours(ctx context.Context, q db.Querier, id string) (*Hours, error) {
	h, err := scanHours(q.QueryRowContext(ctx, `SELECT `+hoursCols+hoursFrom+`WHERE h.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("hours %s: %w", id, err)
	}
	return h, nil
}

// recordAttendanceHours turns a closed attendance into hours: minutes
// rounded, the opportunity's category and organisation, the local day of
// the check-in; approved at once when the organisation approves hours
// automatically. A second call for the same sign-up changes nothing.
func (s *Service) recordAttendanceHours(ctx context.Context, tx db.Tx, t *attTarget, in, out time.Time, st orgSettings, now time.Time) error {
	minutes := attendanceMinutes(in, out)
	if minutes <= 0 {
		return nil
	}
	status, decided := HoursPending, sql.NullTime{}
	if st.HoursApproval == AutoApproval {
		status, decided = HoursApproved, sql.NullTime{Time: now, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO hours (id, user_id, org_id, signup_id, category, minutes, worked_on, description, source, status, decided_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, '', 'attendance', $8, $9, $10) ON CONFLICT (signup_id) DO NOTHING`,
		db.NewID(), t.UserID, t.Opp.OrgID, t.SignupID, t.Opp.Category, minutes, in.In(s.zone).Format(time.DateOnly), string(status), decided, now)
	if err != nil {
		return fmt.Errorf("record hours: %w", err)
	}
	return nil
}

// recomputeHours follows a corrected attendance of a confirmed sign-up and
// says what it did ("recorded", "updated", "reopened", "kept" or "none"):
// missing hours are recorded; pending hours and hours approved
// automatically (decided_by NULL) take the new minutes and day; hours a
// coordinator approved take them too and go back to pending for review;
// declined hours stay declined.
func (s *Service) recomputeHours(ctx context.Context, tx db.Tx, t *attTarget, in, out time.Time, now time.Time) (string, error) {
	if t.Status != Confirmed {
		return "none", nil
	}
	var id, status string
	var byCoordinator bool
	err := tx.QueryRowContext(ctx, `SELECT id, status, decided_by IS NOT NULL FROM hours WHERE signup_id = $1`, t.SignupID).Scan(&id, &status, &byCoordinator)
	if errors.Is(err, sql.ErrNoRows) {
		st, err := loadOrgSettings(ctx, tx, t.Opp.OrgID)
		if err != nil {
			return "", err
		}
		return "recorded", s.recordAttendanceHours(ctx, tx, t, in, out, st, now)
	}
	if err != nil {
		return "", fmt.Errorf("hours of sign-up: %w", err)
	}
	minutes, day := max(1, attendanceMinutes(in, out)), in.In(s.zone).Format(time.DateOnly)
	switch {
	case HoursStatus(status) == HoursPending, HoursStatus(status) == HoursApproved && !byCoordinator:
		_, err = tx.ExecContext(ctx, `UPDATE hours SET minutes = $2, worked_on = $3 WHERE id = $1`, id, minutes, day)
		status = "updated"
	case HoursStatus(status) == HoursApproved:
		_, err = tx.ExecContext(ctx, `UPDATE hours SET minutes = $2, worked_on = $3, status = 'pending', decided_by = NULL, decided_at = NULL
			WHERE id = $1`, id, minutes, day)
		status = "reopened"
	default:
		return "kept", nil
	}
	if err != nil {
		return "", fmt.Errorf("recompute hours: %w", err)
	}
	return status, nil
}

// HoursInput is a volunteer's own report of work done off the platform.
type HoursInput struct {
	OrgID       string `json:"org_id"`
	WorkedOn    string `json:"worked_on"` // YYYY-MM-DD
	Minutes     int    `json:"minutes"`
	Category    string `json:"category"`
	Description string `json:"description"`
}

// today is the current calendar day in the service's zone.
func (s *Service) attToday() string { return s.now().In(s.zone).Format(time.DateOnly) }

// hoursParseDay reads a YYYY-MM-DD date typed with either digit form.
func hoursParseDay(v string) (string, bool) {
	v = strings.TrimSpace(i18n.NormalizeDigits(v))
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1900 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// SubmitHours records hours a volunteer reports for work off the platform,
// pending a coordinator's review. The organisation is one they volunteered
// with or any verified organisation.
func (s *Service) SubmitHours(ctx context.Context, viewer *httpx.Viewer, in HoursInput) (*Hours, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	errs := map[string]string{}
	in.OrgID, in.Description, in.Category = strings.TrimSpace(in.OrgID), strings.TrimSpace(in.Description), strings.TrimSpace(in.Category)
	if in.OrgID == "" {
		errs["org_id"] = "volunteer.hours.error.org"
	} else if ok, err := s.hoursMayReportTo(ctx, viewer, in.OrgID); err != nil {
		return nil, err
	} else if !ok {
		errs["org_id"] = "volunteer.hours.error.org"
	}
	if day, ok := hoursParseDay(in.WorkedOn); !ok {
		errs["worked_on"] = "volunteer.hours.error.date"
	} else if day > s.attToday() {
		errs["worked_on"] = "volunteer.hours.error.future"
	} else {
		in.WorkedOn = day
	}
	if in.Minutes < MinSubmittedMinutes || in.Minutes > MaxSubmittedMinutes {
		errs["minutes"] = "volunteer.hours.error.minutes"
	}
	if !ValidCategory(in.Category) {
		errs["category"] = "volunteer.hours.error.category"
	}
	switch {
	case in.Description == "":
		errs["description"] = "volunteer.hours.error.work_done"
	case utf8.RuneCountInString(in.Description) > MaxHoursDescription:
		errs["description"] = "volunteer.hours.error.work_done_long"
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	id := db.NewID()
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO hours (id, user_id, org_id, category, minutes, worked_on, description, source, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'self', 'pending', $8)`, id, viewer.ID, in.OrgID, in.Category, in.Minutes, in.WorkedOn, in.Description, s.now())
		if err != nil {
			return fmt.Errorf("submit hours: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return loadHours(ctx, s.db.R, id)
}

// hoursMayReportTo says whether the viewer may submit hours to orgID.
func (s *Service) hoursMayReportTo(ctx context.Context, viewer *httpx.Viewer, orgID string) (bool, error) {
	var status string
	err := s.db.R.QueryRowContext(ctx, `SELECT status FROM organisations WHERE id = $1`, orgID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if org.Status(status) == org.Verified {
		return true, nil
	}
	mine, err := s.hoursVolunteeredWith(ctx, viewer.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(mine, func(o HoursOrg) bool { return o.ID == orgID }), nil
}

// HoursOrg is an organisation offered in a form.
type HoursOrg struct {
	ID     string
	NameAr string
	NameEn string
}

// Name is the organisation's name in lang.
func (o HoursOrg) Name(lang i18n.Lang) string {
	if lang == i18n.EN && o.NameEn != "" {
		return o.NameEn
	}
	return o.NameAr
}

// hoursVolunteeredWith lists the organisations userID had a confirmed place
// with, or hours with, by Arabic name.
func (s *Service) hoursVolunteeredWith(ctx context.Context, userID string) ([]HoursOrg, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT g.id, g.name_ar, g.name_en FROM organisations g WHERE g.id IN (
			SELECT o.org_id FROM signups sg JOIN shifts sh ON sh.id = sg.shift_id JOIN opportunities o ON o.id = sh.opportunity_id
			WHERE sg.user_id = $1 AND sg.status = 'confirmed'
			UNION SELECT h.org_id FROM hours h WHERE h.user_id = $1)
		ORDER BY g.name_ar, g.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("organisations volunteered with: %w", err)
	}
	defer rows.Close()
	var out []HoursOrg
	for rows.Next() {
		var o HoursOrg
		if err := rows.Scan(&o.ID, &o.NameAr, &o.NameEn); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// hoursMaxOtherOrgs bounds the verified organisations the hours form lists
// beyond those the volunteer knows.
const hoursMaxOtherOrgs = 300

// HoursOrgChoices are the organisations the viewer may report hours to:
// those they volunteered with, then other verified ones.
func (s *Service) HoursOrgChoices(ctx context.Context, viewer *httpx.Viewer) (mine, others []HoursOrg, err error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, nil, err
	}
	if mine, err = s.hoursVolunteeredWith(ctx, viewer.ID); err != nil {
		return nil, nil, err
	}
	known := map[string]bool{}
	for _, o := range mine {
		known[o.ID] = true
	}
	after := ""
	for len(others) < hoursMaxOtherOrgs {
		pg, err := s.orgs.ListVerified(ctx, org.ListFilter{After: after, Limit: org.MaxLimit})
		if err != nil {
			return nil, nil, err
		}
		for _, o := range pg.Items {
			if !known[o.ID] {
				others = append(others, HoursOrg{ID: o.ID, NameAr: o.NameAr, NameEn: o.NameEn})
			}
		}
		if pg.Next == "" {
			break
		}
		after = pg.Next
	}
	return mine, others, nil
}

// HoursFilter narrows ListHours. Without OrgID it lists the viewer's own
// hours; with it, a coordinator's queue (UserID narrows it to one person).
type HoursFilter struct {
	OrgID  string
	UserID string
	Status HoursStatus // "" for every status
	After  string      // the Next of the previous page
	Limit  int
}

// HoursPage is one page of hours; Next is "" on the last one.
type HoursPage struct {
	Items []Hours
	Next  string
}

// Page sizes of hours lists.
const (
	DefaultHoursLimit = 20
	MaxHoursLimit     = 100
)

// hoursPhase is one ordered run of a list: pending hours oldest first (a
// queue), or the rest newest first.
type hoursPhase struct {
	tag    byte // 'p' or 'd', the cursor's first letter
	status string
	asc    bool
}

// ListHours lists the viewer's own hours newest first, or an organisation's
// for its coordinators: pending first (oldest first, as a queue), then the
// decided ones, newest first. Pages are keyset pages on id.
func (s *Service) ListHours(ctx context.Context, viewer *httpx.Viewer, f HoursFilter) (*HoursPage, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	errs := map[string]string{}
	if f.Status != "" && !slices.Contains(HoursStatuses, f.Status) {
		errs["status"] = "volunteer.hours.error.status"
	}
	if f.Limit == 0 {
		f.Limit = DefaultHoursLimit
	}
	if f.Limit < 1 || f.Limit > MaxHoursLimit {
		errs["limit"] = "volunteer.hours.error.limit"
	}
	var phases []hoursPhase
	switch {
	case f.OrgID != "" && f.Status == "":
		phases = []hoursPhase{{'p', string(HoursPending), true}, {'d', "decided", false}}
	case f.OrgID != "" && f.Status == HoursPending:
		phases = []hoursPhase{{'p', string(HoursPending), true}}
	default:
		phases = []hoursPhase{{'d', string(f.Status), false}}
	}
	start, afterID := 0, ""
	if f.After != "" {
		start = slices.IndexFunc(phases, func(p hoursPhase) bool { return p.tag == f.After[0] })
		if start < 0 {
			errs["after"] = "volunteer.hours.error.after"
		}
		afterID = f.After[1:]
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	owner, ownerCol := viewer.ID, "h.user_id"
	if f.OrgID != "" {
		if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, f.OrgID); err != nil {
			return nil, err
		}
		owner, ownerCol = f.OrgID, "h.org_id"
	} else {
		f.UserID = ""
	}
	pg := &HoursPage{Items: []Hours{}}
	for _, ph := range phases[start:] {
		room := f.Limit - len(pg.Items)
		items, err := s.hoursRun(ctx, ownerCol, owner, f.UserID, ph, afterID, room+1)
		if err != nil {
			return nil, err
		}
		afterID = ""
		if len(items) > room {
			pg.Items = append(pg.Items, items[:room]...)
			pg.Next = string(ph.tag)
			if room > 0 {
				pg.Next += pg.Items[len(pg.Items)-1].ID
			}
			return pg, nil
		}
		pg.Items = append(pg.Items, items...)
	}
	return pg, nil
}

func (s *Service) hoursRun(ctx context.Context, ownerCol, owner, userID string, ph hoursPhase, afterID string, limit int) ([]Hours, error) {
	status, order, cmp := "h.status = $3", "ASC", ">"
	if ph.status == "decided" {
		status = "h.status <> 'pending' AND $3 = 'decided'"
	} else if ph.status == "" {
		status = "$3 = ''"
	}
	if !ph.asc {
		order, cmp = "DESC", "<"
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+hoursCols+hoursFrom+`WHERE `+ownerCol+` = $1 AND ($2 = '' OR h.user_id = $2)
		AND `+status+` AND ($4 = '' OR h.id `+cmp+` $4) ORDER BY h.id `+order+` LIMIT $5`, owner, userID, ph.status, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list hours: %w", err)
	}
	defer rows.Close()
	var out []Hours
	for rows.Next() {
		h, err := scanHours(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *h)
	}
	return out, rows.Err()
}

// hoursDecidable loads hours a coordinator is about to decide.
func (s *Service) hoursDecidable(ctx context.Context, tx db.Tx, viewer *httpx.Viewer, id string) (*Hours, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	h, err := loadHours(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, h.OrgID); err != nil {
		return nil, err
	}
	switch {
	case h.UserID == viewer.ID:
		return nil, ErrOwnHours
	case h.Status != HoursPending:
		return nil, ErrHoursDecided
	}
	return h, nil
}

// ApproveHours approves pending hours; a coordinator of the organisation
// may, except for their own hours.
func (s *Service) ApproveHours(ctx context.Context, viewer *httpx.Viewer, id string) (*Hours, error) {
	var out *Hours
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		h, err := s.hoursDecidable(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE hours SET status = 'approved', decided_by = $2, decided_at = $3 WHERE id = $1 AND status = 'pending'`,
			id, viewer.ID, s.now())
		if err != nil {
			return fmt.Errorf("approve hours: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrHoursDecided
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.hours_approve", TargetType: "hours", TargetID: id,
			OrgID: h.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": h.UserID, "minutes": fmt.Sprint(h.Minutes)}}); err != nil {
			return err
		}
		out, err = loadHours(ctx, tx, id)
		return err
	})
	return out, err
}

// DeclineHours declines pending hours with a reason the volunteer is told
// by email; the entry is kept.
func (s *Service) DeclineHours(ctx context.Context, viewer *httpx.Viewer, id, reason string) (*Hours, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, httpx.Invalid(map[string]string{"reason": "volunteer.hours.error.reason_required"})
	case utf8.RuneCountInString(reason) > MaxReasonRunes:
		return nil, httpx.Invalid(map[string]string{"reason": "volunteer.hours.error.reason_long"})
	}
	var out *Hours
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		h, err := s.hoursDecidable(ctx, tx, viewer, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE hours SET status = 'declined', decided_by = $2, decided_at = $3, decline_reason = $4
			WHERE id = $1 AND status = 'pending'`, id, viewer.ID, s.now(), reason)
		if err != nil {
			return fmt.Errorf("decline hours: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrHoursDecided
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.hours_decline", TargetType: "hours", TargetID: id,
			OrgID: h.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": h.UserID, "minutes": fmt.Sprint(h.Minutes), "reason": reason}}); err != nil {
			return err
		}
		err = s.attNotifyUser(ctx, tx, h.UserID, func(loc *i18n.Locale) (string, string) {
			return loc.T("volunteer.hours.mail.declined_subject"),
				loc.T("volunteer.hours.mail.declined_text", "Org", h.OrgName(loc.Lang), "Date", loc.Date(h.Day()),
					"Duration", FormatMinutes(loc, h.Minutes), "Reason", reason, "Link", strings.TrimRight(s.baseURL, "/")+"/volunteer/hours")
		})
		if err != nil {
			return err
		}
		out, err = loadHours(ctx, tx, id)
		return err
	})
	return out, err
}

// attNotifyUser queues an email to userID in their language.
func (s *Service) attNotifyUser(ctx context.Context, tx db.Tx, userID string, compose func(loc *i18n.Locale) (subject, text string)) error {
	var email, lang, digits string
	if err := tx.QueryRowContext(ctx, `SELECT email, locale, digits FROM users WHERE id = $1`, userID).Scan(&email, &lang, &digits); err != nil {
		return fmt.Errorf("recipient %s: %w", userID, db.Map(err))
	}
	l, _ := i18n.ParseLang(lang)
	d, _ := i18n.ParseDigits(digits)
	subject, text := compose(i18n.New(l, d, s.zone))
	return s.mail.Queue(ctx, tx, email, subject, text)
}

// FormatMinutes writes minutes as hours and minutes in loc's language ("3 hours
// 15 minutes", "٣ ساعات و١٥ دقيقة").
func FormatMinutes(loc *i18n.Locale, minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return loc.N("volunteer.hours.n_minutes", m)
	case m == 0:
		return loc.N("volunteer.hours.n_hours", h)
	}
	return loc.T("volunteer.hours.hm", "Hours", loc.N("volunteer.hours.n_hours", h), "Minutes", loc.N("volunteer.hours.n_minutes", m))
}

// HoursCategoryMsgID is the catalogue id of a category's name as the hours
// screens show it.
func HoursCategoryMsgID(c string) string { return "volunteer.hours.category." + c }
