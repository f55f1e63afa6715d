package volunteer_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// icalEvent is one VEVENT's properties, by name (parameters dropped).
type icalEvent map[string]string

// parseICal checks the physical lines (CRLF, at most 75 octets, folded with
// a leading space), unfolds them and returns the calendar's properties and
// its events by UID.
func parseICal(t *testing.T, body string) (map[string]string, map[string]icalEvent) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatal("the feed does not end with CRLF")
	}
	var lines []string
	for i, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d holds a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets long", i, len(l))
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(lines) == 0 {
				t.Fatal("the feed starts with a continuation line")
			}
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not a calendar: %q … %q", lines[0], lines[len(lines)-1])
	}
	cal := map[string]string{}
	events := map[string]icalEvent{}
	var ev icalEvent
	for _, l := range lines[1 : len(lines)-1] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon in %q", l)
		}
		name, _, _ = strings.Cut(name, ";")
		switch {
		case l == "BEGIN:VEVENT":
			ev = icalEvent{}
		case l == "END:VEVENT":
			if ev["UID"] == "" {
				t.Fatal("an event without UID")
			}
			events[ev["UID"]] = ev
			ev = nil
		case ev != nil:
			ev[name] = value
		default:
			cal[name] = value
		}
	}
	return cal, events
}

func profCalendarFeed(t *testing.T, e *profEnv) {
	owner := e.user("Owner", "owner@example.org", i18n.AR)
	vol := e.user("Yusuf", "yusuf@example.org", i18n.EN)
	o := e.org(owner, "جمعية البر", "Al-Birr Society")
	p, err := e.a.Volunteer.SaveProfile(e.ctx, vol.Viewer(), volunteer.ProfileInput{CharterAccepted: true, Languages: []string{"ar"}, TravelRadiusKm: 10})
	if err != nil {
		t.Fatal(err)
	}
	quba := e.places["SA-03-MED-QBA"]
	now := time.Now().UTC().Truncate(time.Minute)
	titleEn := "Packing, sorting; delivering food baskets to families in the neighbourhoods of Quba before Ramadan"
	mk := func(title string, start time.Time, shiftStatus, signupStatus string) (profShift, string) {
		s := e.shift(o, owner, "تعبئة سلال غذائية وتوزيعها على الأسر في أحياء قباء قبل رمضان", title, "food", quba, start, 180, shiftStatus)
		return s, e.signup(s, vol, signupStatus)
	}
	s1, confirmed := mk(titleEn, now.Add(48*time.Hour), "scheduled", "confirmed")
	_, pending := mk("Pending review", now.Add(72*time.Hour), "scheduled", "pending")
	_, waiting := mk("Waitlisted", now.Add(96*time.Hour), "scheduled", "waitlisted")
	_, cancelled := mk("Cancelled shift", now.Add(120*time.Hour), "cancelled", "confirmed")
	_, withdrawn := mk("Withdrawn", now.Add(144*time.Hour), "scheduled", "withdrawn")
	_, declined := mk("Declined", now.Add(150*time.Hour), "scheduled", "declined")
	_, old := mk("Long ago", now.Add(-40*24*time.Hour), "scheduled", "confirmed")
	_, recent := mk("Last week", now.Add(-7*24*time.Hour), "scheduled", "confirmed")
	uid := func(id string) string { return "signup-" + id + "@sharaka.test" }

	anon := e.browser(nil, i18n.AR)
	feed := "/calendar/" + p.CalendarKey + ".ics"
	r := anon.get(feed)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	cal, events := parseICal(t, r.body)
	if cal["VERSION"] != "2.0" || cal["PRODID"] == "" || cal["X-WR-CALNAME"] != "My shifts on Sharaka" {
		t.Errorf("calendar properties %v", cal)
	}
	for _, id := range []string{withdrawn, declined, old} {
		if _, ok := events[uid(id)]; ok {
			t.Errorf("sign-up %s should not be in the feed", id)
		}
	}
	wantStatus := map[string]string{confirmed: "CONFIRMED", pending: "TENTATIVE", waiting: "TENTATIVE", cancelled: "CANCELLED", recent: "CONFIRMED"}
	if len(events) != len(wantStatus) {
		t.Errorf("%d events, want %d", len(events), len(wantStatus))
	}
	stamp := regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	for id, status := range wantStatus {
		ev, ok := events[uid(id)]
		if !ok {
			t.Errorf("sign-up %s is missing", id)
			continue
		}
		if ev["STATUS"] != status {
			t.Errorf("%s: STATUS %s, want %s", id, ev["STATUS"], status)
		}
		for _, k := range []string{"DTSTAMP", "DTSTART", "DTEND"} {
			if !stamp.MatchString(ev[k]) {
				t.Errorf("%s: %s %q is not a UTC time", id, k, ev[k])
			}
		}
	}
	ev := events[uid(confirmed)]
	start := now.Add(48 * time.Hour)
	if ev["DTSTART"] != start.Format("20060102T150405Z") || ev["DTEND"] != start.Add(3*time.Hour).Format("20060102T150405Z") {
		t.Errorf("times %s – %s, want from %s", ev["DTSTART"], ev["DTEND"], start)
	}
	if want := `Packing\, sorting\; delivering food baskets to families in the neighbourhoods of Quba before Ramadan — Al-Birr Society`; ev["SUMMARY"] != want {
		t.Errorf("SUMMARY %q\nwant    %q", ev["SUMMARY"], want)
	}
	if ev["LOCATION"] != "Quba" || !strings.Contains(ev["DESCRIPTION"], `Role: General volunteer\n`) {
		t.Errorf("LOCATION %q DESCRIPTION %q", ev["LOCATION"], ev["DESCRIPTION"])
	}

	// A withdrawal takes the shift out of the feed; the others keep their UIDs.
	e.exec(`UPDATE signups SET status = 'withdrawn', updated_at = $2 WHERE id = $1`, confirmed, db.Now())
	_, after := parseICal(t, anon.get(feed).body)
	if _, ok := after[uid(confirmed)]; ok {
		t.Error("a withdrawn sign-up is still in the feed")
	}
	for id := range wantStatus {
		if _, ok := after[uid(id)]; !ok && id != confirmed {
			t.Errorf("sign-up %s lost its UID", id)
		}
	}

	// Someone who reads Arabic gets the Arabic titles.
	ar := e.user("مريم", "maryam@example.org", i18n.AR)
	pa, err := e.a.Volunteer.SaveProfile(e.ctx, ar.Viewer(), volunteer.ProfileInput{CharterAccepted: true, Languages: []string{"ar"}, TravelRadiusKm: 10})
	if err != nil {
		t.Fatal(err)
	}
	e.signup(s1, ar, "confirmed")
	_, arEvents := parseICal(t, anon.get("/calendar/"+pa.CalendarKey+".ics").body)
	for _, ev := range arEvents {
		if !strings.HasPrefix(ev["SUMMARY"], "تعبئة سلال غذائية") || ev["LOCATION"] != "قباء" {
			t.Errorf("Arabic feed: %q at %q", ev["SUMMARY"], ev["LOCATION"])
		}
	}
	if len(arEvents) != 1 {
		t.Errorf("Arabic feed has %d events", len(arEvents))
	}

	// Unknown keys and other file names are not found.
	for _, path := range []string{"/calendar/nope.ics", "/calendar/" + p.CalendarKey, "/calendar/.ics"} {
		if r := anon.get(path); r.StatusCode != 404 {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
	}
	// A new address retires the old one.
	b := e.browser(vol, i18n.EN)
	if r := b.post("/volunteer/profile/calendar-key", nil); r.StatusCode != 303 {
		t.Fatalf("regenerate: %d", r.StatusCode)
	}
	if r := anon.get(feed); r.StatusCode != 404 {
		t.Errorf("the old address still answers %d", r.StatusCode)
	}
	p2, _ := e.a.Volunteer.Profile(e.ctx, vol.ID)
	if r := anon.get("/calendar/" + p2.CalendarKey + ".ics"); r.StatusCode != 200 || p2.CalendarKey == p.CalendarKey {
		t.Errorf("the new address: %d", r.StatusCode)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.calendar_key' AND actor_id = $1`, vol.ID); n != 1 {
		t.Errorf("%d audit entries for the new key", n)
	}
}
