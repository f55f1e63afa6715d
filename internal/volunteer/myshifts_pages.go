package volunteer

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/web"
)

type myShiftRow struct {
	MyShift
	StatusID, Badge string
	// Ends is the end time, with its date only when it is another day.
	Ends string
}

type hoursRow struct{ Name, Hours string }

type myShiftsPage struct {
	web.Page
	Past       bool
	Shifts     []myShiftRow
	Pager      web.Pager
	HasProfile bool
	Calendar   string
	Webcal     template.URL
	TotalHours string
	HasHours   bool
	ByOrg      []hoursRow
	ByCategory []hoursRow
}

// myShiftBadge is the badge class of a sign-up's state.
func myShiftBadge(m MyShift) string {
	switch {
	case m.ShiftCancelled, m.NoShow, m.Status == Declined:
		return "bad"
	case m.Attended, m.Status == Confirmed:
		return "ok"
	}
	return "warn"
}

func (p *Pages) myShifts(w http.ResponseWriter, r *http.Request) error {
	v, err := profViewer(r)
	if err != nil {
		return err
	}
	ctx, q := r.Context(), r.URL.Query()
	f := MyShiftFilter{Past: q.Get("when") == "past", After: q.Get("after"), Before: q.Get("before")}
	res, err := p.svc.MyShifts(ctx, v, f)
	if err != nil {
		return err
	}
	pg := myShiftsPage{Page: p.site.NewPage(w, r, "volunteer.myshifts.title"), Past: f.Past}
	zone := pg.Zone
	if zone == nil {
		zone = p.svc.zone
	}
	for _, m := range res.Items {
		row := myShiftRow{MyShift: m, StatusID: myShiftStatusMsgID(m), Badge: myShiftBadge(m)}
		start, end := m.StartsAt.In(zone), m.EndsAt.In(zone)
		if start.YearDay() == end.YearDay() && start.Year() == end.Year() {
			row.Ends = pg.Digitize(end.Format("15:04"))
		} else {
			row.Ends = pg.DateTime(m.EndsAt)
		}
		pg.Shifts = append(pg.Shifts, row)
	}
	pg.Pager = pg.NewPager(myShiftsURL(f.Past, "before", res.Prev), myShiftsURL(f.Past, "after", res.Next))
	prof, err := p.svc.Profile(ctx, v.ID)
	switch {
	case err == nil:
		pg.HasProfile = true
		pg.Calendar = p.svc.CalendarURL(prof.CalendarKey)
		pg.Webcal = webcalURL(pg.Calendar)
	case !errors.Is(err, db.ErrNotFound):
		return err
	}
	totals, err := p.svc.VerifiedHours(ctx, v.ID)
	if err != nil {
		return err
	}
	pg.HasHours = totals.Minutes > 0
	pg.TotalHours = profHours(pg.Locale, totals.Minutes)
	for _, t := range totals.ByOrg {
		pg.ByOrg = append(pg.ByOrg, hoursRow{Name: t.Name(pg.Lang), Hours: profHours(pg.Locale, t.Minutes)})
	}
	for _, t := range totals.ByCategory {
		name := t.Key
		if ValidCategory(t.Key) {
			name = pg.T(CategoryMsgID(t.Key))
		}
		pg.ByCategory = append(pg.ByCategory, hoursRow{Name: name, Hours: profHours(pg.Locale, t.Minutes)})
	}
	return p.site.Render(w, http.StatusOK, "volunteer/myshifts", pg)
}

// myShiftsURL links to a neighbouring page; "" when there is none.
func myShiftsURL(past bool, key, cursor string) string {
	if cursor == "" {
		return ""
	}
	v := url.Values{key: {cursor}}
	if past {
		v.Set("when", "past")
	}
	return "/volunteer/shifts?" + v.Encode()
}
