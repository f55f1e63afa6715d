package volunteer

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// The iCalendar feed (RFC 5545) of a volunteer's shifts, at a secret
// address calendar apps subscribe to.

// calendarPast is how far back the feed reaches.
const calendarPast = 30 * 24 * time.Hour

// icalTime writes an instant in UTC, "form #2" of RFC 5545 §3.3.5.
func icalTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icalEscape escapes TEXT values (RFC 5545 §3.3.11).
func icalEscape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// icalWriter writes content lines ended by CRLF and folded at 75 octets
// (RFC 5545 §3.1), never inside a UTF-8 sequence.
type icalWriter struct{ b strings.Builder }

func (w *icalWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}

// text writes NAME:value with value escaped as TEXT.
func (w *icalWriter) text(name, value string) { w.line(name + ":" + icalEscape(value)) }

type feedEvent struct {
	MyShift
	Updated  time.Time
	Lat, Lon *float64
}

// CalendarFeed writes the iCalendar feed of the volunteer whose calendar
// key this is: their confirmed, pending and waitlisted sign-ups from 30 days
// ago on, in their language. An unknown key is db.ErrNotFound.
func (s *Service) CalendarFeed(ctx context.Context, key string) ([]byte, error) {
	var userID, locale string
	err := s.db.R.QueryRowContext(ctx, `SELECT v.user_id, u.locale FROM volunteer_profiles v JOIN users u ON u.id = v.user_id
		WHERE v.calendar_key = $1`, key).Scan(&userID, &locale)
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", db.Map(err))
	}
	lang, _ := i18n.ParseLang(locale)
	loc := i18n.New(lang, i18n.Latin, s.zone)
	now := s.now()
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+myShiftCols+`, g.updated_at, o.lat, o.lon`+myShiftFrom+`
		WHERE g.user_id = $1 AND g.status IN ('confirmed', 'pending', 'waitlisted') AND s.ends_at >= $2
		ORDER BY s.starts_at, g.id`, userID, now.Add(-calendarPast))
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}
	var events []feedEvent
	for rows.Next() {
		var e feedEvent
		var lat, lon sql.NullFloat64
		var status, shiftStatus string
		var attended int
		m := &e.MyShift
		if err := rows.Scan(&m.SignupID, &m.ShiftID, &m.OpportunityID, &m.TitleAr, &m.TitleEn, &m.Category, &m.PlaceID, &m.OrgID, &m.OrgNameAr,
			&m.OrgNameEn, &m.RoleNameAr, &m.RoleNameEn, &m.StartsAt, &m.EndsAt, &status, &m.PartySize, &shiftStatus, &m.NoShow, &attended,
			&e.Updated, &lat, &lon); err != nil {
			rows.Close()
			return nil, fmt.Errorf("calendar feed: %w", err)
		}
		m.Status, m.ShiftCancelled = SignupStatus(status), shiftStatus == "cancelled"
		e.Lat, e.Lon = floatPtr(lat), floatPtr(lon)
		events = append(events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}

	host := "sharaka"
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	places := map[string]string{}
	w := &icalWriter{}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//Sharaka//Volunteering//" + strings.ToUpper(string(loc.Lang)))
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.text("X-WR-CALNAME", loc.T("volunteer.ical.name"))
	w.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	w.line("X-PUBLISHED-TTL:PT1H")
	for _, e := range events {
		w.line("BEGIN:VEVENT")
		w.line("UID:signup-" + e.SignupID + "@" + host)
		w.line("DTSTAMP:" + icalTime(now))
		w.line("LAST-MODIFIED:" + icalTime(e.Updated))
		w.line("DTSTART:" + icalTime(e.StartsAt))
		w.line("DTEND:" + icalTime(e.EndsAt))
		w.text("SUMMARY", e.Title(loc.Lang)+" — "+e.OrgName(loc.Lang))
		desc := []string{loc.T("volunteer.ical.role", "Role", e.RoleName(loc.Lang)), loc.T(myShiftStatusMsgID(e.MyShift))}
		if e.PartySize > 1 {
			desc = append(desc, loc.N("volunteer.ical.party", e.PartySize))
		}
		w.text("DESCRIPTION", strings.Join(desc, "\n"))
		if e.PlaceID != "" {
			name, ok := places[e.PlaceID]
			if !ok {
				if p, err := s.orgs.Place(ctx, e.PlaceID); err == nil {
					name = p.Name(loc.Lang)
				}
				places[e.PlaceID] = name
			}
			if name != "" {
				w.text("LOCATION", name)
			}
		}
		if e.Lat != nil && e.Lon != nil {
			w.line(fmt.Sprintf("GEO:%.6f;%.6f", *e.Lat, *e.Lon))
		}
		w.line("URL:" + s.baseURL + "/volunteer/shifts")
		switch {
		case e.ShiftCancelled:
			w.line("STATUS:CANCELLED")
			w.line("TRANSP:TRANSPARENT")
		case e.Status == Confirmed:
			w.line("STATUS:CONFIRMED")
			w.line("TRANSP:OPAQUE")
		default:
			w.line("STATUS:TENTATIVE")
			w.line("TRANSP:OPAQUE")
		}
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return []byte(w.b.String()), nil
}

// myShiftStatusMsgID names where a sign-up stands, for badges and the feed.
func myShiftStatusMsgID(m MyShift) string {
	switch {
	case m.ShiftCancelled:
		return "volunteer.myshifts.status.cancelled"
	case m.NoShow:
		return "volunteer.myshifts.status.no_show"
	case m.Attended:
		return "volunteer.myshifts.status.attended"
	}
	return "volunteer.myshifts.status." + string(m.Status)
}

// calendar serves GET /calendar/{file} where file is "<calendar key>.ics".
func (p *Pages) calendar(w http.ResponseWriter, r *http.Request) error {
	key, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || key == "" {
		return httpx.ErrNotFound
	}
	body, err := p.svc.CalendarFeed(r.Context(), key)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="sharaka.ics"`)
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, err = w.Write(body)
	return err
}
