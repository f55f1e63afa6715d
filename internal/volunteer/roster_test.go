package volunteer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
)

// TestSignupRoster runs the coordinator cases on one database each.
func TestSignupRoster(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		suRun(t, suSetup(t, d), d, []suCase{
			{"coordinators only", suRosterIsForCoordinatorsOnly},
			{"approve, decline and vet", suApproveDeclineAndVet},
			{"no-shows and messages", suNoShowsAndRosterMessages},
		})
	})
}

func suRosterIsForCoordinatorsOnly(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	shift, roles := e.shift(o, e.now.Add(72*time.Hour), 120, 2)
	v := e.volunteer("جود", suVol{})
	w := e.volunteer("تالا", suVol{})
	gv, _ := e.signUp(v, shift, SignupInput{RoleID: roles[0], PartySize: 2, Members: []string{"أخت جود"}})
	gw, _ := e.signUp(w, shift, SignupInput{RoleID: roles[0]})
	e.exec(`INSERT INTO attendance (signup_id, checked_in_at, method) VALUES ($1, $2, 'manual')`, gv.ID, e.now)

	member := e.user("عضو عادي", "ar", false)
	e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'member', $3)`, e.orgID, member.ID, db.Now())
	coordinator := e.user("منسق", "ar", false)
	e.exec(`INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'coordinator', $3)`, e.orgID, coordinator.ID, db.Now())
	otherOwner := e.user("جهة أخرى", "ar", false)
	e.org(otherOwner, "جمعية أخرى")

	for _, tc := range []struct {
		name string
		v    *httpx.Viewer
		want error
	}{
		{"anonymous", nil, httpx.ErrUnauthorized},
		{"the volunteer", v, httpx.ErrForbidden},
		{"a plain member", member, httpx.ErrForbidden},
		{"another organisation's owner", otherOwner, httpx.ErrForbidden},
		{"a platform admin", e.admin, httpx.ErrForbidden},
	} {
		if _, err := e.svc.Roster(e.ctx, tc.v, shift); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := e.svc.ApproveSignup(e.ctx, tc.v, gw.ID); !errors.Is(err, tc.want) {
			t.Errorf("%s approving: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := e.svc.Vet(e.ctx, tc.v, e.orgID, v.ID); !errors.Is(err, tc.want) {
			t.Errorf("%s vetting: %v, want %v", tc.name, err, tc.want)
		}
		if _, err := e.svc.MessageRoster(e.ctx, tc.v, shift, "s", "t"); !errors.Is(err, tc.want) {
			t.Errorf("%s messaging: %v, want %v", tc.name, err, tc.want)
		}
	}

	r, err := e.svc.Roster(e.ctx, coordinator, shift)
	if err != nil {
		t.Fatal(err)
	}
	role := r.Roles[0]
	if len(role.Confirmed) != 1 || len(role.Waitlisted) != 1 || len(role.Pending) != 0 {
		t.Fatalf("roster: %+v", role)
	}
	c := role.Confirmed[0]
	if c.Name != "جود" || c.PartySize != 2 || strings.Join(c.Members, ",") != "أخت جود" || c.CheckedInAt == nil || c.Vetted {
		t.Fatalf("confirmed entry: %+v", c)
	}
	if ww := role.Waitlisted[0]; ww.Name != "تالا" || ww.Position != 1 || ww.CheckedInAt != nil {
		t.Fatalf("waitlisted entry: %+v", ww)
	}
	if r.People() != 2 || r.Recipients() != 1 {
		t.Fatalf("people %d, recipients %d", r.People(), r.Recipients())
	}
}

func suApproveDeclineAndVet(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{approval: "review", vetted: true, category: "elderly", titleAr: "زيارة كبار السن"})
	shift, roles := e.shift(o, e.now.Add(72*time.Hour), 120, 1)
	a := e.volunteer("أسماء", suVol{})
	b := e.volunteer("بشرى", suVol{})
	c := e.volunteer("Carla", suVol{lang: "en"})

	// Vetted-only work: refused until the organisation vets the volunteer.
	if _, dec := e.signUp(a, shift, SignupInput{}); dec.Outcome != RefusedVetting {
		t.Fatalf("before vetting: %+v", dec)
	}
	for _, v := range []*httpx.Viewer{a, b, c} {
		added, err := e.svc.Vet(e.ctx, e.coord, e.orgID, v.ID)
		if err != nil || !added {
			t.Fatalf("vet: %v %v", added, err)
		}
	}
	if added, err := e.svc.Vet(e.ctx, e.coord, e.orgID, a.ID); err != nil || added {
		t.Fatalf("vet twice: %v %v", added, err)
	}
	var he *httpx.Error
	if _, err := e.svc.Vet(e.ctx, e.coord, e.orgID, e.admin.ID); !errors.As(err, &he) || he.Fields["user_id"] == "" {
		t.Fatalf("vet someone without a profile: %v", err)
	}
	entries, err := audit.List(e.ctx, d.R, audit.Filter{OrgID: e.orgID, Action: "volunteer.vet"})
	if err != nil || len(entries) != 3 || entries[0].ActorID != e.coord.ID {
		t.Fatalf("vet audit: %d entries, %v", len(entries), err)
	}

	ga, dec := e.signUp(a, shift, SignupInput{})
	gb, _ := e.signUp(b, shift, SignupInput{})
	gc, _ := e.signUp(c, shift, SignupInput{})
	if dec.Outcome != PendingReview {
		t.Fatalf("after vetting: %+v", dec)
	}
	// Approval confirms while a place is free, then waitlists.
	g, err := e.svc.ApproveSignup(e.ctx, e.coord, ga.ID)
	if err != nil || g.Status != Confirmed || e.status(ga.ID) != Confirmed {
		t.Fatalf("approve: %+v %v", g, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1`, ga.ID); n != 2 {
		t.Fatalf("reminders after approval: %d", n)
	}
	g, err = e.svc.ApproveSignup(e.ctx, e.coord, gb.ID)
	if err != nil || g.Status != Waitlisted || g.WaitlistNumber != 1 {
		t.Fatalf("approve into a full role: %+v %v", g, err)
	}
	if _, err := e.svc.ApproveSignup(e.ctx, e.coord, gb.ID); !errors.Is(err, ErrSignupNotPending) {
		t.Fatalf("approve twice: %v", err)
	}
	if g, err = e.svc.DeclineSignup(e.ctx, e.coord, gc.ID); err != nil || e.status(gc.ID) != Declined {
		t.Fatalf("decline: %+v %v", g, err)
	}
	if m := e.mail.to(c.Email); len(m) != 1 || !strings.Contains(m[0].text, "declined") {
		t.Fatalf("decline mail in English: %+v", m)
	}
	if m := e.mail.to(b.Email); len(m) != 1 || !strings.Contains(m[0].text, "قائمة الانتظار") {
		t.Fatalf("waitlisted approval mail in Arabic: %+v", m)
	}
	var decidedBy string
	if err := d.R.QueryRowContext(e.ctx, `SELECT decided_by FROM signups WHERE id = $1`, gc.ID).Scan(&decidedBy); err != nil || decidedBy != e.coord.ID {
		t.Fatalf("decided_by: %q %v", decidedBy, err)
	}
	for _, action := range []string{"volunteer.signup_approve", "volunteer.signup_decline"} {
		if es, _ := audit.List(e.ctx, d.R, audit.Filter{OrgID: e.orgID, Action: action}); len(es) == 0 {
			t.Errorf("no %s audit", action)
		}
	}
	_ = roles
}

func suNoShowsAndRosterMessages(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{titleAr: "حملة التشجير", titleEn: "Tree planting"})
	start := e.now.Add(48 * time.Hour)
	shift, _ := e.shift(o, start, 180, 5)
	ar := e.volunteer("فهد", suVol{})
	en := e.volunteer("Adam", suVol{lang: "en"})
	waiting := e.volunteer("ينتظر", suVol{})
	gar, _ := e.signUp(ar, shift, SignupInput{PartySize: 4})
	gen, _ := e.signUp(en, shift, SignupInput{})
	gw, _ := e.signUp(waiting, shift, SignupInput{})
	if e.status(gw.ID) != Waitlisted {
		t.Fatal("setup: the third should wait")
	}

	if err := e.svc.MarkNoShow(e.ctx, e.coord, gar.ID, "لم يحضر ولم يعتذر", false); !errors.Is(err, ErrNoShowTooEarly) {
		t.Fatalf("no-show before the start: %v", err)
	}
	e.now = start.Add(time.Hour)
	var he *httpx.Error
	if err := e.svc.MarkNoShow(e.ctx, e.coord, gar.ID, "  ", false); !errors.As(err, &he) || he.Fields["comment"] == "" {
		t.Fatalf("no-show without a comment: %v", err)
	}
	if err := e.svc.MarkNoShow(e.ctx, e.coord, gw.ID, "غائب", false); !errors.Is(err, ErrSignupNotConfirmed) {
		t.Fatalf("no-show of a waitlisted person: %v", err)
	}
	e.exec(`INSERT INTO attendance (signup_id, checked_in_at, method) VALUES ($1, $2, 'qr')`, gen.ID, start)
	if err := e.svc.MarkNoShow(e.ctx, e.coord, gen.ID, "غائب", false); !errors.Is(err, ErrNoShowCheckedIn) {
		t.Fatalf("no-show of someone checked in: %v", err)
	}
	if err := e.svc.MarkNoShow(e.ctx, e.coord, gar.ID, "لم يحضر ولم يعتذر", false); err != nil {
		t.Fatal(err)
	}
	var noShow bool
	var comment string
	if err := d.R.QueryRowContext(e.ctx, `SELECT no_show, no_show_comment FROM signups WHERE id = $1`, gar.ID).Scan(&noShow, &comment); err != nil ||
		!noShow || comment != "لم يحضر ولم يعتذر" {
		t.Fatalf("no-show stored: %v %q %v", noShow, comment, err)
	}
	if es, _ := audit.List(e.ctx, d.R, audit.Filter{OrgID: e.orgID, Action: "volunteer.no_show"}); len(es) != 1 || es[0].Details["comment"] != comment {
		t.Fatalf("no-show audit: %+v", es)
	}
	// The no-show counts against the organisation's limit (one, here).
	e.exec(`INSERT INTO org_volunteer_settings (org_id, no_show_limit, no_show_window_days, updated_at) VALUES ($1, 1, 30, $2)`, e.orgID, db.Now())
	later, _ := e.shift(o, e.now.Add(72*time.Hour), 60, 5)
	if _, dec := e.signUp(ar, later, SignupInput{}); dec.Outcome != RefusedNoShows {
		t.Fatalf("after a no-show: %+v", dec)
	}
	if err := e.svc.MarkNoShow(e.ctx, e.coord, gar.ID, "", true); err != nil {
		t.Fatal(err)
	}
	if _, dec := e.signUp(ar, later, SignupInput{}); dec.Outcome != SignedUp {
		t.Fatalf("after clearing the no-show: %+v", dec)
	}

	var invalid *httpx.Error
	if _, err := e.svc.MessageRoster(e.ctx, e.coord, shift, "", ""); !errors.As(err, &invalid) || invalid.Fields["subject"] == "" || invalid.Fields["text"] == "" {
		t.Fatalf("empty message: %v", err)
	}
	before := len(e.mail.to(waiting.Email))
	n, err := e.svc.MessageRoster(e.ctx, e.coord, shift, "تغيير مكان التجمع", "نلتقي عند البوابة الشمالية.")
	if err != nil || n != 2 {
		t.Fatalf("message: %d %v", n, err)
	}
	if m := e.mail.to(en.Email); len(m) != 1 || m[0].subject != "تغيير مكان التجمع" || !strings.Contains(m[0].text, "البوابة الشمالية") ||
		!strings.Contains(m[0].text, "Tree planting") || !strings.Contains(m[0].text, "منسقة الجمعية") {
		t.Fatalf("message to the English speaker: %+v", m)
	}
	if m := e.mail.to(ar.Email); len(m) != 1 || !strings.Contains(m[0].text, "حملة التشجير") {
		t.Fatalf("message to the Arabic speaker: %+v", m)
	}
	if len(e.mail.to(waiting.Email)) != before {
		t.Fatal("the waitlisted person got the roster message")
	}
	if es, _ := audit.List(e.ctx, d.R, audit.Filter{OrgID: e.orgID, Action: "volunteer.roster_message"}); len(es) != 1 || es[0].Details["recipients"] != "2" {
		t.Fatalf("message audit: %+v", es)
	}
}
