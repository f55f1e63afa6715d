package volunteer_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

var (
	profRowTitle = regexp.MustCompile(`<h3><bdi>([^<]+)</bdi></h3>`)
	profNextLink = regexp.MustCompile(`href="(/volunteer/shifts\?[^"]*)" rel="next"`)
	profPrevLink = regexp.MustCompile(`href="(/volunteer/shifts\?[^"]*)" rel="prev"`)
)

func profTitles(body string) []string {
	var out []string
	for _, m := range profRowTitle.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func profMyShiftsPagesAndTotals(t *testing.T, e *profEnv) {
	owner := e.user("Owner", "owner@example.org", i18n.AR)
	vol := e.user("Yara", "yara@example.org", i18n.EN)
	a := e.org(owner, "جمعية البر", "Al-Birr Society")
	b := e.org(owner, "فريق الخير", "Al-Khair Team")
	br := e.browser(vol, i18n.EN)

	// Nothing yet: the page says so and sends the person to the opportunities.
	r := br.get("/volunteer/shifts")
	if r.StatusCode != 200 || !strings.Contains(r.body, "You have no upcoming shifts.") || !strings.Contains(r.body, `href="/opportunities"`) ||
		!strings.Contains(r.body, "No approved hours yet.") || !strings.Contains(r.body, "You have not created your volunteer profile yet.") {
		t.Fatalf("empty my shifts: %d", r.StatusCode)
	}
	if r := br.get("/volunteer/shifts?when=past"); !strings.Contains(r.body, "You have no past shifts yet.") {
		t.Error("no empty state for past shifts")
	}
	p, err := e.a.Volunteer.SaveProfile(e.ctx, vol.Viewer(), volunteer.ProfileInput{CharterAccepted: true, Languages: []string{"ar"}, TravelRadiusKm: 10})
	if err != nil {
		t.Fatal(err)
	}

	// 22 upcoming shifts: two pages, soonest first.
	now := time.Now().UTC().Truncate(time.Minute)
	for i := 1; i <= 22; i++ {
		s := e.shift(a, owner, fmt.Sprintf("مناوبة %d", i), fmt.Sprintf("Shift %d", i), "food", "", now.Add(time.Duration(i)*24*time.Hour), 120, "scheduled")
		e.signup(s, vol, "confirmed")
	}
	// Past ones: attended, no-show, declined, withdrawn (not shown).
	past := func(title string, daysAgo int, status string) string {
		s := e.shift(b, owner, title, title, "health", "", now.Add(-time.Duration(daysAgo)*24*time.Hour), 60, "scheduled")
		return e.signup(s, vol, status)
	}
	attended := past("Clinic day", 3, "confirmed")
	e.exec(`INSERT INTO attendance (signup_id, checked_in_at, checked_out_at, method) VALUES ($1, $2, $3, 'manual')`,
		attended, now.Add(-72*time.Hour), now.Add(-71*time.Hour))
	noShow := past("Blood drive", 5, "confirmed")
	e.exec(`UPDATE signups SET no_show = TRUE, no_show_comment = 'did not come' WHERE id = $1`, noShow)
	past("Screening", 7, "declined")
	past("Cleanup", 9, "withdrawn")

	r = br.get("/volunteer/shifts")
	titles := profTitles(r.body)
	if len(titles) != volunteer.MyShiftsLimit || titles[0] != "Shift 1" || titles[19] != "Shift 20" {
		t.Fatalf("first page: %v", titles)
	}
	if !strings.Contains(r.body, "Confirmed") || !strings.Contains(r.body, "Al-Birr Society") || !strings.Contains(r.body, "General volunteer") {
		t.Error("rows lack status, organisation or role")
	}
	if !strings.Contains(r.body, p.CalendarKey+".ics") || !strings.Contains(r.body, `href="webcal://sharaka.test/calendar/`) {
		t.Error("the calendar link is missing")
	}
	next := profNextLink.FindStringSubmatch(r.body)
	if next == nil || profPrevLink.MatchString(r.body) {
		t.Fatal("first page: want a next link and no previous one")
	}
	r = br.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if titles := profTitles(r.body); len(titles) != 2 || titles[0] != "Shift 21" || titles[1] != "Shift 22" {
		t.Fatalf("second page: %v", titles)
	}
	prev := profPrevLink.FindStringSubmatch(r.body)
	if prev == nil || profNextLink.MatchString(r.body) {
		t.Fatal("last page: want a previous link and no next one")
	}
	if titles := profTitles(br.get(strings.ReplaceAll(prev[1], "&amp;", "&")).body); len(titles) != 20 || titles[0] != "Shift 1" {
		t.Fatalf("back to the first page: %v", titles)
	}
	if r := br.get("/volunteer/shifts?after=garbage"); r.StatusCode != 422 {
		t.Errorf("a bad cursor: %d", r.StatusCode)
	}

	// Past shifts, latest first, with what happened.
	r = br.get("/volunteer/shifts?when=past")
	if titles := profTitles(r.body); strings.Join(titles, ",") != "Clinic day,Blood drive,Screening" {
		t.Fatalf("past: %v", titles)
	}
	for _, want := range []string{`<span class="badge ok">Attended</span>`, `<span class="badge bad">No-show</span>`, `<span class="badge bad">Not accepted</span>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("past page lacks %s", want)
		}
	}

	// Verified hours only: approved rows, by organisation and by category.
	e.hours(vol, a, "food", 90, "approved")
	e.hours(vol, b, "food", 60, "approved")
	e.hours(vol, a, "health", 30, "approved")
	e.hours(vol, a, "food", 600, "pending")
	e.hours(vol, b, "food", 120, "declined")
	totals, err := e.a.Volunteer.VerifiedHours(e.ctx, vol.ID)
	if err != nil {
		t.Fatal(err)
	}
	if totals.Minutes != 180 || len(totals.ByOrg) != 2 || totals.ByOrg[0].Key != a.ID || totals.ByOrg[0].Minutes != 120 ||
		totals.ByOrg[1].Minutes != 60 || len(totals.ByCategory) != 2 || totals.ByCategory[0].Key != "food" || totals.ByCategory[0].Minutes != 150 {
		t.Fatalf("totals %+v", totals)
	}
	r = br.get("/volunteer/shifts")
	for _, want := range []string{"Your approved hours in all: 3.0 hours", "<td><bdi>Al-Birr Society</bdi></td><td>2.0</td>",
		"<td><bdi>Al-Khair Team</bdi></td><td>1.0</td>", "<td>2.5</td>", "<td>0.5</td>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("totals lack %q", want)
		}
	}
	// In Arabic with Arabic-Indic digits.
	e.exec(`UPDATE users SET digits = 'arab' WHERE id = $1`, vol.ID)
	if r := e.browser(vol, i18n.AR).get("/volunteer/shifts"); !strings.Contains(r.body, "مجموع ساعاتك المعتمدة: ٣٫٠ ساعة") {
		t.Error("the Arabic total is not in Arabic-Indic digits")
	}

	// The API pages the same list.
	tok := e.token(vol)
	var page volunteer.MyShiftList
	if resp := e.api(tok, "GET", "/api/v1/volunteer/shifts?limit=٥", nil, &page); resp.StatusCode != 200 || len(page.Items) != 5 || page.Next == "" ||
		page.Items[0].TitleEn != "Shift 1" || page.Items[0].Status != volunteer.Confirmed {
		t.Fatalf("API page: %d %+v", resp.StatusCode, page)
	}
	var page2 volunteer.MyShiftList
	e.api(tok, "GET", "/api/v1/volunteer/shifts?limit=5&after="+url.QueryEscape(page.Next), nil, &page2)
	if len(page2.Items) != 5 || page2.Items[0].TitleEn != "Shift 6" {
		t.Fatalf("API second page: %+v", page2.Items)
	}
	var pastPage volunteer.MyShiftList
	e.api(tok, "GET", "/api/v1/volunteer/shifts?when=past", nil, &pastPage)
	if len(pastPage.Items) != 3 || !pastPage.Items[0].Attended || !pastPage.Items[1].NoShow {
		t.Fatalf("API past: %+v", pastPage.Items)
	}
}
