package volunteer

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// TestSignupListing runs the listing cases on one database each; the paging case lists its own category.
func TestSignupListing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		suRun(t, suSetup(t, d), d, []suCase{
			{"eligible only and everything with reasons", suListingEligibleOnlyAndEverythingWithReasons},
			{"pages by start time", suListingPagesByStartTime},
			{"words in any spelling", suListingWords},
		})
	})
}

// suListed is the titles of a page, in order.
func suListed(pg *ListPage) []string {
	var out []string
	for _, it := range pg.Items {
		out = append(out, it.Opportunity.TitleAr)
	}
	return out
}

func suListingEligibleOnlyAndEverythingWithReasons(t *testing.T, e *suEnv, d *db.DB) {
	day := func(n int) time.Time { return e.now.Add(time.Duration(n) * 24 * time.Hour) }
	food := e.opp(suOpp{titleAr: "سلال", category: "food", placeID: e.places["SA-03-MED-QBA-N1"]})
	women := e.opp(suOpp{titleAr: "أمهات", category: "health", gender: "women", placeID: e.places["SA-03-MED-AZZ"]})
	adults := e.opp(suOpp{titleAr: "دروس", category: "education", minAge: 18, placeID: e.places["SA-03-MED-QBA"]})
	e.shift(food, day(1), 120, 3)
	e.shift(food, day(2), 120, 3)
	e.shift(women, day(3), 120, 3)
	e.shift(adults, day(4), 120, 3)
	// Never listed: a past shift, a cancelled one, a draft, an unverified organisation.
	e.shift(food, day(-1), 120, 3)
	cancelled, _ := e.shift(food, day(5), 60, 3)
	e.exec(`UPDATE shifts SET status = 'cancelled' WHERE id = $1`, cancelled)
	e.shift(e.opp(suOpp{titleAr: "مسودة", status: "draft"}), day(2), 60, 3)
	pendingOwner := e.user("جهة جديدة", "ar", false)
	pendingOrg, err := e.orgs.CreateOrg(e.ctx, pendingOwner, org.Input{NameAr: "جهة لم توثق", Type: org.Charity})
	if err != nil {
		t.Fatal(err)
	}
	e.shift(e.opp(suOpp{orgID: pendingOrg.ID, titleAr: "غير موثقة"}), day(2), 60, 3)

	man := e.volunteer("سالم", suVol{gender: "male", birth: "1990-05-01"})
	teen := e.volunteer("يافع", suVol{gender: "male", birth: "2016-01-01"})
	noProfile := e.user("بلا ملف", "ar", false)

	list := func(v *httpx.Viewer, f ListFilter) *ListPage {
		t.Helper()
		pg, err := e.svc.ListOpportunities(e.ctx, v, f)
		if err != nil {
			t.Fatalf("list %+v: %v", f, err)
		}
		return pg
	}
	if got := suListed(list(nil, ListFilter{})); !slices.Equal(got, []string{"سلال", "سلال", "أمهات", "دروس"}) {
		t.Fatalf("anonymous: %v", got)
	}
	pg := list(noProfile, ListFilter{})
	if !pg.NoProfile || pg.Personal || len(pg.Items) != 4 {
		t.Fatalf("without a profile: %+v", pg)
	}
	pg = list(man, ListFilter{})
	if !pg.Personal || !pg.EligibleOnly || !slices.Equal(suListed(pg), []string{"سلال", "سلال", "دروس"}) {
		t.Fatalf("eligible only: %v", suListed(pg))
	}
	pg = list(man, ListFilter{All: true})
	if !slices.Equal(suListed(pg), []string{"سلال", "سلال", "أمهات", "دروس"}) {
		t.Fatalf("all: %v", suListed(pg))
	}
	closed := pg.Items[2]
	if closed.Eligible || closed.Reason == nil || closed.Reason.Outcome != RefusedGender || !pg.Items[0].Eligible || pg.Items[0].Reason != nil {
		t.Fatalf("closed item: %+v", closed)
	}
	// The reason reads in both languages.
	ar := signupOutcomeText(i18n.New(i18n.AR, i18n.Latin, nil), *closed.Reason, nil)
	en := signupOutcomeText(i18n.New(i18n.EN, i18n.Latin, nil), *closed.Reason, nil)
	if ar == en || ar == RefusedGender.MsgID() || en == RefusedGender.MsgID() || ar == "" {
		t.Fatalf("reason: ar %q, en %q", ar, en)
	}
	pg = list(teen, ListFilter{All: true})
	if r := pg.Items[3].Reason; r == nil || r.Outcome != RefusedAge {
		t.Fatalf("too young for the lessons: %+v", pg.Items[3])
	}

	// Filters: category, a place with what lies below it, days.
	if got := suListed(list(nil, ListFilter{Category: "food"})); !slices.Equal(got, []string{"سلال", "سلال"}) {
		t.Fatalf("food: %v", got)
	}
	if got := suListed(list(nil, ListFilter{PlaceID: e.places["SA-03-MED-QBA"]})); !slices.Equal(got, []string{"سلال", "سلال", "دروس"}) {
		t.Fatalf("Quba and its neighbourhood: %v", got)
	}
	if got := suListed(list(nil, ListFilter{PlaceID: e.places["SA-03-MED"]})); len(got) != 4 {
		t.Fatalf("the whole city: %v", got)
	}
	d3 := day(3).In(e.svc.zone).Format(time.DateOnly)
	if got := suListed(list(nil, ListFilter{From: d3, To: d3})); !slices.Equal(got, []string{"أمهات"}) {
		t.Fatalf("one day: %v", got)
	}
	// Digits typed in Arabic-Indic are read too.
	arabicDay := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, d3)
	if got := suListed(list(nil, ListFilter{From: arabicDay, To: arabicDay})); !slices.Equal(got, []string{"أمهات"}) {
		t.Fatalf("one day in Arabic digits: %v", got)
	}
	var he *httpx.Error
	_, err = e.svc.ListOpportunities(e.ctx, nil, ListFilter{Category: "nope", PlaceID: "nowhere", From: "tomorrow", To: d3, After: "x", Limit: 500})
	if !errors.As(err, &he) || len(he.Fields) != 5 {
		t.Fatalf("bad filter: %v", err)
	}
	_, err = e.svc.ListOpportunities(e.ctx, nil, ListFilter{From: d3, To: day(1).In(e.svc.zone).Format(time.DateOnly)})
	if !errors.As(err, &he) || he.Fields["to"] == "" {
		t.Fatalf("reversed range: %v", err)
	}
}

func suListingPagesByStartTime(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{category: "environment"})
	women := e.opp(suOpp{category: "environment", gender: "women", titleAr: "نساء"})
	start := e.now.Add(24 * time.Hour)
	var want []string
	for i := range 7 {
		// Two shifts at the same time: the id breaks the tie.
		at := start.Add(time.Duration(i/2) * time.Hour)
		id, _ := e.shift(o, at, 60, 2)
		want = append(want, id)
		e.shift(women, at.Add(30*time.Minute), 20, 2)
	}
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(a, b) })
	man := e.volunteer("خالد", suVol{gender: "male"})
	var got []string
	after := ""
	for pages := 0; ; pages++ {
		pg, err := e.svc.ListOpportunities(e.ctx, man, ListFilter{Category: "environment", Limit: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if pages > 5 || len(pg.Items) > 3 {
			t.Fatalf("page %d has %d items", pages, len(pg.Items))
		}
		for _, it := range pg.Items {
			got = append(got, it.Shift.ID)
		}
		if pg.Next == "" {
			break
		}
		after = pg.Next
	}
	// Eligible only: the seven shifts, in start then id order, each once.
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, want) {
		t.Fatalf("got %v, want the seven shifts %v", got, want)
	}
	seen := map[string]bool{}
	var prev time.Time
	for _, id := range got {
		sh, err := loadShift(e.ctx, d.R, id)
		if err != nil || seen[id] || sh.StartsAt.Before(prev) {
			t.Fatalf("order or repeat at %s: %v", id, err)
		}
		seen[id], prev = true, sh.StartsAt
	}
}

// suListingWords: the words filter finds opportunities through the search
// index in any spelling, keeps the listing's date order and its other
// filters, and a word found nowhere gives an empty page.
func suListingWords(t *testing.T, e *suEnv, d *db.DB) {
	day := func(n int) time.Time { return e.now.Add(time.Duration(n) * 24 * time.Hour) }
	food := e.opp(suOpp{titleAr: "توزيع الكسوة الشتوية على الأسرة", category: "food"})
	lessons := e.opp(suOpp{titleAr: "دروس تقوية للأسر", category: "education"})
	e.opp(suOpp{titleAr: "مسودة للأسرة", status: "draft"})
	e.shift(lessons, day(1), 60, 3)
	e.shift(food, day(2), 60, 3)
	e.shift(food, day(3), 60, 3)
	// The fixture writes opportunities with SQL; the index is rebuilt from them.
	if _, err := e.svc.ReindexOpportunities(e.ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    ListFilter
		want []string
	}{
		{ListFilter{Q: "الاسره"}, []string{"دروس تقوية للأسر", "توزيع الكسوة الشتوية على الأسرة", "توزيع الكسوة الشتوية على الأسرة"}},
		{ListFilter{Q: "للكسوة"}, []string{"توزيع الكسوة الشتوية على الأسرة", "توزيع الكسوة الشتوية على الأسرة"}},
		{ListFilter{Q: "الأسرة", Category: "education"}, []string{"دروس تقوية للأسر"}},
		{ListFilter{Q: "مستحيل"}, nil},
	} {
		pg, err := e.svc.ListOpportunities(e.ctx, nil, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := suListed(pg); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
}
