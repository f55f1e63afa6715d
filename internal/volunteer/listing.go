package volunteer

// The public list of upcoming shifts. For a signed-in volunteer with a
// profile it shows by default only the shifts they may sign up for (the
// sign-up rules, applied without writing), and on request everything with
// the reason each closed shift is closed to them.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// ListFilter narrows the list of shifts. From and To are days (YYYY-MM-DD,
// inclusive) in the platform's zone; After is the Next of the previous page;
// All shows shifts the volunteer is not eligible for too.
type ListFilter struct {
	// Q are words to look for in the opportunity, in any spelling
	// (through the search index).
	Q        string
	Category string
	PlaceID  string
	From, To string
	After    string
	All      bool
	Limit    int
}

// Page sizes of the list.
const (
	ListDefaultLimit = 20
	ListMaxLimit     = 100
)

// ListItem is one shift on the list.
type ListItem struct {
	Shift       *Shift
	Opportunity *Opportunity
	// Decisions answers each role (by id) for the viewer; nil when the list is not personal.
	Decisions map[string]Decision
	// Eligible: some role would take the viewer (signed up, waitlisted or pending review).
	Eligible bool
	// Reason is why the shift is closed to the viewer; nil when eligible or not personal.
	Reason *Decision
}

// ListPage is one page of shifts in start order.
type ListPage struct {
	Items []ListItem
	// Next is the cursor of the following page, "" on the last.
	Next string
	// Personal: decisions were made for the viewer (signed in, with a profile).
	Personal bool
	// NoProfile: the viewer is signed in but has no volunteer profile yet.
	NoProfile bool
	// EligibleOnly: closed shifts were left out.
	EligibleOnly bool
}

// listCursor is a position in (starts_at, id) order.
type listCursor struct {
	at time.Time
	id string
}

func (c listCursor) String() string { return strconv.FormatInt(c.at.UnixMicro(), 10) + "_" + c.id }

func parseListCursor(s string) (listCursor, bool) {
	micros, id, ok := strings.Cut(s, "_")
	n, err := strconv.ParseInt(micros, 10, 64)
	if !ok || err != nil || id == "" || len(id) > 64 {
		return listCursor{}, false
	}
	return listCursor{at: time.UnixMicro(n).UTC(), id: id}, true
}

// listDay reads a YYYY-MM-DD day typed with any digits; ok is false when malformed.
func listDay(s string, zone *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(i18n.NormalizeDigits(s)), zone)
	return t, err == nil
}

// ListOpportunities lists upcoming shifts of published opportunities of
// verified organisations in start order, a page at a time. The viewer may be
// nil (anonymous). It reads a constant number of queries per batch of shifts,
// whatever the page size.
func (s *Service) ListOpportunities(ctx context.Context, viewer *httpx.Viewer, f ListFilter) (*ListPage, error) {
	errs := map[string]string{}
	f.Category, f.PlaceID = strings.TrimSpace(f.Category), strings.TrimSpace(f.PlaceID)
	if f.Category != "" && !ValidCategory(f.Category) {
		errs["category"] = "volunteer.listing.error.category"
	}
	if f.PlaceID != "" {
		ok, err := s.orgs.PlaceExists(ctx, f.PlaceID)
		if err != nil {
			return nil, err
		}
		if !ok {
			errs["place"] = "volunteer.listing.error.place"
		}
	}
	var from, to time.Time
	var hasFrom, hasTo bool
	if f.From != "" {
		if from, hasFrom = listDay(f.From, s.zone); !hasFrom {
			errs["from"] = "volunteer.listing.error.date"
		}
	}
	if f.To != "" {
		if to, hasTo = listDay(f.To, s.zone); !hasTo {
			errs["to"] = "volunteer.listing.error.date"
		}
		to = to.AddDate(0, 0, 1)
	}
	if hasFrom && hasTo && !from.Before(to) {
		errs["to"] = "volunteer.listing.error.range"
	}
	cursor, hasCursor := parseListCursor(f.After)
	if f.After != "" && !hasCursor {
		errs["after"] = "volunteer.listing.error.cursor"
	}
	if f.Limit == 0 {
		f.Limit = ListDefaultLimit
	}
	if f.Limit < 1 || f.Limit > ListMaxLimit {
		errs["limit"] = "volunteer.listing.error.limit"
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}

	now := s.now()
	lang := httpx.Locale(ctx).Lang
	pg := &ListPage{}
	var st *volunteerState
	if viewer != nil {
		var err error
		st, err = loadVolunteerState(ctx, s.db.R, viewer.ID, now, lang)
		switch {
		case errors.Is(err, db.ErrNotFound):
			pg.NoProfile = true
		case err != nil:
			return nil, err
		default:
			pg.Personal = true
		}
	}
	pg.EligibleOnly = pg.Personal && !f.All

	q := listQuery{category: f.Category, after: now}
	if f.Q = strings.TrimSpace(f.Q); f.Q != "" {
		ids, err := s.searchOpportunityIDs(ctx, f.Q)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return pg, nil
		}
		q.oppIDs = ids
	}
	if hasFrom && from.After(now) {
		q.after = from.UTC()
	}
	if hasTo {
		q.before = to.UTC()
	}
	if hasCursor {
		q.cursor = &cursor
	}
	// Filtering by eligibility or place happens after reading, so a page is
	// read in batches until it is full; a bounded number of batches keeps a
	// very selective filter from reading the whole table in one request (the
	// page then ends early, with a Next link to carry on).
	batch := min(max(f.Limit*2, 20), 200)
	within := map[string]bool{}
	exhausted := false
	for round := 0; round < 5 && len(pg.Items) < f.Limit; round++ {
		shifts, err := listShifts(ctx, s.db.R, q, batch)
		if err != nil {
			return nil, err
		}
		if len(shifts) < batch {
			exhausted = true
		}
		if len(shifts) == 0 {
			break
		}
		items, err := s.listDetails(ctx, shifts, st, now)
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			q.cursor = &listCursor{at: it.Shift.StartsAt, id: it.Shift.ID}
			if f.PlaceID != "" {
				in, seen := within[it.Opportunity.PlaceID]
				if !seen && it.Opportunity.PlaceID != "" {
					if in, err = s.orgs.IsWithin(ctx, it.Opportunity.PlaceID, f.PlaceID); err != nil {
						return nil, err
					}
					within[it.Opportunity.PlaceID] = in
				}
				if !in {
					continue
				}
			}
			if pg.EligibleOnly && !it.Eligible {
				continue
			}
			pg.Items = append(pg.Items, it)
			if len(pg.Items) == f.Limit {
				if i == len(items)-1 && exhausted {
					return pg, nil
				}
				pg.Next = q.cursor.String()
				return pg, nil
			}
		}
		if exhausted {
			return pg, nil
		}
	}
	if !exhausted && q.cursor != nil {
		pg.Next = q.cursor.String()
	}
	return pg, nil
}

// listQuery is the SQL side of the filter.
type listQuery struct {
	category string
	oppIDs   []string  // only these opportunities, when set (a words filter)
	after    time.Time // shifts starting after this
	before   time.Time // and before this, when set
	cursor   *listCursor
}

// listShifts reads the next batch of candidate shifts (without roles).
func listShifts(ctx context.Context, q db.Querier, lq listQuery, limit int) ([]*Shift, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where = append(where, "s.status = 'scheduled'", "o.status = 'published'", "g.status = 'verified'", "s.starts_at > "+arg(lq.after))
	if !lq.before.IsZero() {
		where = append(where, "s.starts_at < "+arg(lq.before))
	}
	if lq.category != "" {
		where = append(where, "o.category = "+arg(lq.category))
	}
	if len(lq.oppIDs) > 0 {
		ps := make([]string, len(lq.oppIDs))
		for i, id := range lq.oppIDs {
			ps[i] = arg(id)
		}
		where = append(where, "o.id IN ("+strings.Join(ps, ", ")+")")
	}
	if c := lq.cursor; c != nil {
		at := arg(c.at)
		where = append(where, "(s.starts_at > "+at+" OR (s.starts_at = "+at+" AND s.id > "+arg(c.id)+"))")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+shiftCols+` FROM shifts s JOIN opportunities o ON o.id = s.opportunity_id
		JOIN organisations g ON g.id = o.org_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY s.starts_at, s.id LIMIT `+arg(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list shifts: %w", err)
	}
	defer rows.Close()
	var out []*Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// listDetails completes a batch of shifts with their roles, opportunities and
// (for a volunteer) the decisions, in five queries for the whole batch.
func (s *Service) listDetails(ctx context.Context, shifts []*Shift, st *volunteerState, now time.Time) ([]ListItem, error) {
	ids := make([]string, len(shifts))
	var oppIDs []string
	seenOpp := map[string]bool{}
	for i, sh := range shifts {
		ids[i] = sh.ID
		if !seenOpp[sh.OpportunityID] {
			seenOpp[sh.OpportunityID] = true
			oppIDs = append(oppIDs, sh.OpportunityID)
		}
	}
	roles, err := rolesOfShifts(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	opps, err := opportunitiesByID(ctx, s.db.R, oppIDs)
	if err != nil {
		return nil, err
	}
	var waiting map[string]int
	settings := map[string]orgSettings{}
	if st != nil {
		if waiting, err = waitingByRole(ctx, s.db.R, ids); err != nil {
			return nil, err
		}
		var orgIDs []string
		for _, o := range opps {
			orgIDs = append(orgIDs, o.OrgID)
		}
		if settings, err = orgSettingsOf(ctx, s.db.R, orgIDs); err != nil {
			return nil, err
		}
	}
	items := make([]ListItem, 0, len(shifts))
	for _, sh := range shifts {
		sh.Roles = roles[sh.ID]
		opp := opps[sh.OpportunityID]
		if opp == nil {
			continue
		}
		it := ListItem{Shift: sh, Opportunity: opp}
		if st != nil {
			it.Decisions = make(map[string]Decision, len(sh.Roles))
			for i := range sh.Roles {
				r := &sh.Roles[i]
				d := Decide(st.request(now, s.zone, sh, opp, r, 1, settings[opp.OrgID], waiting[r.ID]))
				it.Decisions[r.ID] = d
				if d.Outcome.Accepted() {
					it.Eligible = true
				} else if it.Reason == nil {
					it.Reason = &d
				}
			}
			if it.Eligible {
				it.Reason = nil
			}
		}
		items = append(items, it)
	}
	return items, nil
}

// rolesOfShifts reads the roles of many shifts at once, as loadRoles does for one.
func rolesOfShifts(ctx context.Context, q db.Querier, shiftIDs []string) (map[string][]Role, error) {
	in, args := inList(shiftIDs, 0)
	rows, err := q.QueryContext(ctx, `SELECT r.shift_id, r.id, r.name_ar, r.name_en, COALESCE(r.skill_id, ''), r.slots,
			COALESCE((SELECT SUM(g.party_size) FROM signups g WHERE g.role_id = r.id AND g.status = 'confirmed'), 0)
		FROM shift_roles r WHERE r.shift_id IN `+in+` ORDER BY r.shift_id, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	out := map[string][]Role{}
	for rows.Next() {
		var shiftID string
		var r Role
		if err := rows.Scan(&shiftID, &r.ID, &r.NameAr, &r.NameEn, &r.SkillID, &r.Slots, &r.Taken); err != nil {
			return nil, err
		}
		out[shiftID] = append(out[shiftID], r)
	}
	return out, rows.Err()
}

// opportunitiesByID reads many opportunities with their required skills.
func opportunitiesByID(ctx context.Context, q db.Querier, ids []string) (map[string]*Opportunity, error) {
	out := map[string]*Opportunity{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT `+opportunityCols+opportunityFrom+`WHERE o.id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("load opportunities: %w", err)
	}
	for rows.Next() {
		o, err := scanOpportunity(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		o.Skills = []string{}
		out[o.ID] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT opportunity_id, skill_id FROM opportunity_skills WHERE opportunity_id IN `+in+` ORDER BY opportunity_id, skill_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load opportunity skills: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, skill string
		if err := rows.Scan(&id, &skill); err != nil {
			return nil, err
		}
		if o := out[id]; o != nil {
			o.Skills = append(o.Skills, skill)
		}
	}
	return out, rows.Err()
}

// orgSettingsOf reads the volunteering rules of many organisations, with the
// defaults for those that never saved theirs.
func orgSettingsOf(ctx context.Context, q db.Querier, orgIDs []string) (map[string]orgSettings, error) {
	out := map[string]orgSettings{}
	for _, id := range orgIDs {
		out[id] = orgSettings{HoursApproval: ReviewApproval, NoShowLimit: 3, NoShowWindowDays: 90, CheckinGraceMinutes: 30}
	}
	if len(orgIDs) == 0 {
		return out, nil
	}
	in, args := inList(orgIDs, 0)
	rows, err := q.QueryContext(ctx, `SELECT org_id, hours_approval, no_show_limit, no_show_window_days, checkin_grace_minutes
		FROM org_volunteer_settings WHERE org_id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("load volunteer settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, approval string
		var st orgSettings
		if err := rows.Scan(&id, &approval, &st.NoShowLimit, &st.NoShowWindowDays, &st.CheckinGraceMinutes); err != nil {
			return nil, err
		}
		st.HoursApproval = Approval(approval)
		out[id] = st
	}
	return out, rows.Err()
}
