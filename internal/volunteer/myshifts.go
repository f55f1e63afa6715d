package volunteer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// MyShift is one of a volunteer's sign-ups as "my shifts" shows it.
type MyShift struct {
	SignupID       string       `json:"signup_id"`
	ShiftID        string       `json:"shift_id"`
	OpportunityID  string       `json:"opportunity_id"`
	TitleAr        string       `json:"title_ar"`
	TitleEn        string       `json:"title_en"`
	Category       string       `json:"category"`
	PlaceID        string       `json:"place_id"`
	OrgID          string       `json:"org_id"`
	OrgNameAr      string       `json:"org_name_ar"`
	OrgNameEn      string       `json:"org_name_en"`
	RoleNameAr     string       `json:"role_name_ar"`
	RoleNameEn     string       `json:"role_name_en"`
	StartsAt       time.Time    `json:"starts_at"`
	EndsAt         time.Time    `json:"ends_at"`
	Status         SignupStatus `json:"status"`
	PartySize      int          `json:"party_size"`
	ShiftCancelled bool         `json:"shift_cancelled"`
	Attended       bool         `json:"attended"`
	NoShow         bool         `json:"no_show"`
}

// Title is the opportunity's title in lang.
func (m MyShift) Title(lang i18n.Lang) string { return profPick(lang, m.TitleAr, m.TitleEn) }

// OrgName is the organisation's name in lang.
func (m MyShift) OrgName(lang i18n.Lang) string { return profPick(lang, m.OrgNameAr, m.OrgNameEn) }

// RoleName is the role's name in lang.
func (m MyShift) RoleName(lang i18n.Lang) string { return profPick(lang, m.RoleNameAr, m.RoleNameEn) }

// profPick is the English text for English readers when there is one, else the Arabic.
func profPick(lang i18n.Lang, ar, en string) string {
	if lang == i18n.EN && en != "" {
		return en
	}
	return ar
}

// MyShiftFilter chooses upcoming (not yet ended) or past shifts; After and
// Before are cursors from a previous page.
type MyShiftFilter struct {
	Past          bool
	After, Before string
	Limit         int
}

// Page sizes of "my shifts".
const (
	MyShiftsLimit    = 20
	MyShiftsMaxLimit = 100
)

// MyShiftPage is one page of shifts with the cursors of its neighbours.
type MyShiftPage struct {
	Items      []MyShift
	Next, Prev string
}

// cursor is where a page of shifts starts: a shift start and a sign-up id.
func myShiftCursor(m MyShift) string {
	return strconv.FormatInt(m.StartsAt.UnixMicro(), 10) + "." + m.SignupID
}

func parseMyShiftCursor(c string) (time.Time, string, bool) {
	us, id, ok := strings.Cut(c, ".")
	n, err := strconv.ParseInt(us, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", false
	}
	return time.UnixMicro(n).UTC(), id, true
}

const myShiftCols = `g.id, g.shift_id, o.id, o.title_ar, o.title_en, o.category, COALESCE(o.place_id, ''), og.id, og.name_ar, og.name_en,
	r.name_ar, r.name_en, s.starts_at, s.ends_at, g.status, g.party_size, s.status, g.no_show,
	(SELECT COUNT(*) FROM attendance a WHERE a.signup_id = g.id)`

const myShiftFrom = ` FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN opportunities o ON o.id = s.opportunity_id
	JOIN organisations og ON og.id = o.org_id JOIN shift_roles r ON r.id = g.role_id `

func scanMyShift(row interface{ Scan(...any) error }) (MyShift, error) {
	var m MyShift
	var status, shiftStatus string
	var attended int
	err := row.Scan(&m.SignupID, &m.ShiftID, &m.OpportunityID, &m.TitleAr, &m.TitleEn, &m.Category, &m.PlaceID, &m.OrgID, &m.OrgNameAr,
		&m.OrgNameEn, &m.RoleNameAr, &m.RoleNameEn, &m.StartsAt, &m.EndsAt, &status, &m.PartySize, &shiftStatus, &m.NoShow, &attended)
	m.StartsAt, m.EndsAt = m.StartsAt.UTC(), m.EndsAt.UTC()
	m.Status, m.ShiftCancelled, m.Attended = SignupStatus(status), shiftStatus == "cancelled", attended > 0
	return m, err
}

// MyShifts lists the viewer's sign-ups of any status but withdrawn: upcoming
// ones soonest first, past ones latest first.
func (s *Service) MyShifts(ctx context.Context, viewer *httpx.Viewer, f MyShiftFilter) (*MyShiftPage, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	if f.Limit == 0 {
		f.Limit = MyShiftsLimit
	}
	if f.Limit < 1 || f.Limit > MyShiftsMaxLimit {
		return nil, httpx.Invalid(map[string]string{"limit": "volunteer.myshifts.error.limit"})
	}
	backward, cursor := f.Before != "", f.After
	if backward {
		cursor = f.Before
	}
	// Upcoming pages go forward in time, past pages backward; a "before"
	// cursor walks the other way and the page is turned round after.
	later := !f.Past != backward
	q := `SELECT ` + myShiftCols + myShiftFrom + `WHERE g.user_id = $1 AND g.status <> 'withdrawn' AND `
	if f.Past {
		q += `s.ends_at < $2`
	} else {
		q += `s.ends_at >= $2`
	}
	args := []any{viewer.ID, s.now()}
	if cursor != "" {
		at, id, ok := parseMyShiftCursor(cursor)
		if !ok {
			return nil, httpx.Invalid(map[string]string{"after": "volunteer.myshifts.error.cursor"})
		}
		if later {
			q += ` AND (s.starts_at > $3 OR (s.starts_at = $3 AND g.id > $4))`
		} else {
			q += ` AND (s.starts_at < $3 OR (s.starts_at = $3 AND g.id < $4))`
		}
		args = append(args, at, id)
	}
	if later {
		q += ` ORDER BY s.starts_at, g.id`
	} else {
		q += ` ORDER BY s.starts_at DESC, g.id DESC`
	}
	q += ` LIMIT ` + strconv.Itoa(f.Limit+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("my shifts: %w", err)
	}
	defer rows.Close()
	items := []MyShift{}
	for rows.Next() {
		m, err := scanMyShift(rows)
		if err != nil {
			return nil, fmt.Errorf("my shifts: %w", err)
		}
		items = append(items, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("my shifts: %w", err)
	}
	more := len(items) > f.Limit
	if more {
		items = items[:f.Limit]
	}
	pg := &MyShiftPage{Items: items}
	if backward {
		slices.Reverse(items)
		if more {
			pg.Prev = myShiftCursor(items[0])
		}
		if len(items) > 0 {
			pg.Next = myShiftCursor(items[len(items)-1])
		}
	} else {
		if more {
			pg.Next = myShiftCursor(items[len(items)-1])
		}
		if cursor != "" && len(items) > 0 {
			pg.Prev = myShiftCursor(items[0])
		}
	}
	return pg, nil
}

// HoursTotal is verified time for one organisation or category.
type HoursTotal struct {
	Key     string `json:"key"` // organisation id or category
	NameAr  string `json:"name_ar,omitempty"`
	NameEn  string `json:"name_en,omitempty"`
	Minutes int    `json:"minutes"`
}

// Name is the organisation's name in lang.
func (h HoursTotal) Name(lang i18n.Lang) string { return profPick(lang, h.NameAr, h.NameEn) }

// HoursTotals is a volunteer's approved time, in all and split two ways.
type HoursTotals struct {
	Minutes    int          `json:"minutes"`
	ByOrg      []HoursTotal `json:"by_org"`
	ByCategory []HoursTotal `json:"by_category"`
}

// VerifiedHours adds up the volunteer's approved hours by organisation and
// by category, largest first.
func (s *Service) VerifiedHours(ctx context.Context, userID string) (*HoursTotals, error) {
	out := &HoursTotals{ByOrg: []HoursTotal{}, ByCategory: []HoursTotal{}}
	rows, err := s.db.R.QueryContext(ctx, `SELECT h.org_id, og.name_ar, og.name_en, SUM(h.minutes) FROM hours h
		JOIN organisations og ON og.id = h.org_id WHERE h.user_id = $1 AND h.status = 'approved'
		GROUP BY h.org_id, og.name_ar, og.name_en ORDER BY SUM(h.minutes) DESC, h.org_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("hours by organisation: %w", err)
	}
	for rows.Next() {
		var t HoursTotal
		if err := rows.Scan(&t.Key, &t.NameAr, &t.NameEn, &t.Minutes); err != nil {
			rows.Close()
			return nil, err
		}
		out.ByOrg = append(out.ByOrg, t)
		out.Minutes += t.Minutes
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.R.QueryContext(ctx, `SELECT h.category, SUM(h.minutes) FROM hours h WHERE h.user_id = $1 AND h.status = 'approved'
		GROUP BY h.category ORDER BY SUM(h.minutes) DESC, h.category`, userID)
	if err != nil {
		return nil, fmt.Errorf("hours by category: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t HoursTotal
		if err := rows.Scan(&t.Key, &t.Minutes); err != nil {
			return nil, err
		}
		out.ByCategory = append(out.ByCategory, t)
	}
	return out, rows.Err()
}
