package volunteer

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// TestSignupDecisions runs the sign-up and withdrawal cases on one database each.
func TestSignupDecisions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		suRun(t, suSetup(t, d), d, []suCase{
			{"accepted outcomes write their status", suSignUpWritesTheStatusOfEachAcceptedOutcome},
			{"refusals write nothing", suRefusalsWriteNothing},
			{"party sizes", suGroupSignUpsCountPartySizes},
			{"preview", suPreviewAnswersEachRoleWithoutWriting},
			{"concurrent sign-ups for the last place", suConcurrentSignUpsForTheLastPlace},
			{"withdrawal promotes the waitlist", suWithdrawalPromotesTheFirstWaitlisted},
			{"withdrawal cut-off", suWithdrawalCutoff},
			{"review mode: the line goes to review", suReviewModePromotionGoesToReview},
		})
	})
}

func suSignUpWritesTheStatusOfEachAcceptedOutcome(t *testing.T, e *suEnv, d *db.DB) {
	start := e.now.Add(72 * time.Hour)
	auto := e.opp(suOpp{})
	shift, roles := e.shift(auto, start, 180, 1)
	sara := e.volunteer("سارة", suVol{})
	huda := e.volunteer("هدى", suVol{})
	mona := e.volunteer("منى", suVol{})

	g, dec := e.signUp(sara, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != SignedUp || g == nil || e.status(g.ID) != Confirmed {
		t.Fatalf("free place: %+v %+v", dec, g)
	}
	// A confirmed place gets its two reminders and their jobs.
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND cancelled_at IS NULL`, g.ID); n != 2 {
		t.Errorf("reminders: %d, want 2", n)
	}
	if n := e.jobsFor("volunteer_reminder", "signup_id", g.ID); n != 2 {
		t.Errorf("reminder jobs: %d, want 2", n)
	}

	g, dec = e.signUp(huda, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != OnWaitlist || dec.Position != 1 || e.status(g.ID) != Waitlisted || g.WaitlistNumber != 1 {
		t.Fatalf("full role: %+v", dec)
	}
	g, dec = e.signUp(mona, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != OnWaitlist || dec.Position != 2 || e.status(g.ID) != Waitlisted {
		t.Fatalf("second in line: %+v", dec)
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1`, g.ID); n != 0 {
		t.Errorf("a waitlisted sign-up got %d reminders", n)
	}

	reviewed := e.opp(suOpp{approval: "review", titleAr: "زيارة المسنين"})
	rshift, rroles := e.shift(reviewed, start.Add(24*time.Hour), 120, 3)
	g, dec = e.signUp(sara, rshift, SignupInput{RoleID: rroles[0]})
	if dec.Outcome != PendingReview || e.status(g.ID) != Pending {
		t.Fatalf("reviewed: %+v", dec)
	}
	// A shift with one role needs no role in the request.
	g, dec = e.signUp(huda, rshift, SignupInput{})
	if dec.Outcome != PendingReview || g.RoleID != rroles[0] {
		t.Fatalf("single role chosen for the person: %+v %+v", dec, g)
	}
}

func suRefusalsWriteNothing(t *testing.T, e *suEnv, d *db.DB) {
	start := e.now.Add(48 * time.Hour)
	women := e.opp(suOpp{gender: "women", titleAr: "رعاية الأمهات"})
	wshift, _ := e.shift(women, start, 120, 5)
	omar := e.volunteer("عمر", suVol{gender: "male"})

	g, dec := e.signUp(omar, wshift, SignupInput{})
	if g != nil || dec.Outcome != RefusedGender {
		t.Fatalf("gender rule: %+v %+v", g, dec)
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE user_id = $1`, omar.ID); n != 0 {
		t.Fatalf("a refusal wrote %d sign-ups", n)
	}

	// A time clash names the other shift.
	a := e.opp(suOpp{titleAr: "تنظيف الشاطئ", titleEn: "Beach clean-up"})
	ashift, _ := e.shift(a, start, 180, 5)
	b := e.opp(suOpp{titleAr: "توزيع الوجبات"})
	bshift, _ := e.shift(b, start.Add(time.Hour), 60, 5)
	if _, dec := e.signUp(omar, ashift, SignupInput{}); dec.Outcome != SignedUp {
		t.Fatalf("first shift: %+v", dec)
	}
	g, dec = e.signUp(omar, bshift, SignupInput{})
	if g != nil || dec.Outcome != RefusedClash || dec.Clash == nil || dec.Clash.ShiftID != ashift || dec.Clash.Title != "تنظيف الشاطئ" {
		t.Fatalf("clash: %+v %+v", g, dec)
	}
	ctxEN := httpx.WithLocale(e.ctx, i18n.New(i18n.EN, i18n.Latin, nil))
	if _, dec, _ = e.svc.SignUp(ctxEN, omar, bshift, SignupInput{}); dec.Clash == nil || dec.Clash.Title != "Beach clean-up" {
		t.Fatalf("clash title in English: %+v", dec.Clash)
	}
	// Signing up twice for the same shift.
	if g, dec = e.signUp(omar, ashift, SignupInput{}); g != nil || dec.Outcome != RefusedAlready {
		t.Fatalf("twice: %+v", dec)
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE user_id = $1`, omar.ID); n != 1 {
		t.Fatalf("sign-ups after refusals: %d, want 1", n)
	}

	// No profile: a clear error, nothing written.
	noProfile := e.user("زائر", "ar", false)
	if _, _, err := e.svc.SignUp(e.ctx, noProfile, ashift, SignupInput{}); !errors.Is(err, ErrSignupNeedsProfile) {
		t.Fatalf("no profile: %v", err)
	}
	if _, _, err := e.svc.SignUp(e.ctx, nil, ashift, SignupInput{}); !errors.Is(err, httpx.ErrUnauthorized) {
		t.Fatalf("anonymous: %v", err)
	}
	// A draft opportunity's shift does not exist for volunteers.
	draft := e.opp(suOpp{status: "draft"})
	dshift, _ := e.shift(draft, start.Add(96*time.Hour), 60, 2)
	if _, _, err := e.svc.SignUp(e.ctx, omar, dshift, SignupInput{}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("draft: %v", err)
	}
}

func suGroupSignUpsCountPartySizes(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	shift, roles := e.shift(o, e.now.Add(72*time.Hour), 120, 5)
	family := e.volunteer("أبو خالد", suVol{})
	team := e.volunteer("قائد الفريق", suVol{})
	pair := e.volunteer("ريم", suVol{})

	g, dec := e.signUp(family, shift, SignupInput{RoleID: roles[0], Members: []string{" خالد ", "", "نورة"}})
	if dec.Outcome != SignedUp || g.PartySize != 3 {
		t.Fatalf("family: %+v party %d", dec, g.PartySize)
	}
	got, err := signupByID(e.ctx, d.R, g.ID)
	if err != nil || strings.Join(got.Members, "|") != "خالد|نورة" || got.PartySize != 3 {
		t.Fatalf("members stored: %+v %v", got, err)
	}
	// 3 of 5 taken: a party of 3 does not fit and waits.
	g, dec = e.signUp(team, shift, SignupInput{RoleID: roles[0], PartySize: 3})
	if dec.Outcome != OnWaitlist || e.status(g.ID) != Waitlisted {
		t.Fatalf("team of 3 into 2 places: %+v", dec)
	}
	// A pair fits the two free places: first fit, so it takes them while the
	// larger team waits for places it fits.
	g, dec = e.signUp(pair, shift, SignupInput{RoleID: roles[0], PartySize: 2})
	if dec.Outcome != SignedUp || g.PartySize != 2 {
		t.Fatalf("pair while the team waits: %+v", dec)
	}
	sh, _ := loadShift(e.ctx, d.R, shift)
	if sh.Roles[0].Taken != 5 {
		t.Fatalf("taken = %d, want 5", sh.Roles[0].Taken)
	}

	for _, tc := range []struct {
		in    SignupInput
		field string
	}{
		{SignupInput{PartySize: 2, Members: []string{"أ", "ب"}}, "members"},
		{SignupInput{PartySize: 21}, "party_size"},
		{SignupInput{PartySize: -1}, "party_size"},
		{SignupInput{PartySize: 6}, "party_size"},
		{SignupInput{RoleID: "nope"}, "role_id"},
		{SignupInput{Members: []string{strings.Repeat("ا", MaxMemberName+1)}}, "members"},
	} {
		other := e.volunteer("متطوع", suVol{})
		_, _, err := e.svc.SignUp(e.ctx, other, shift, tc.in)
		var he *httpx.Error
		if !errors.As(err, &he) || he.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tc.in, err, tc.field)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1`, shift); n != 3 {
		t.Fatalf("invalid requests wrote sign-ups: %d", n)
	}
}

func suConcurrentSignUpsForTheLastPlace(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	for round := range 4 {
		shift, roles := e.shift(o, e.now.Add(time.Duration(72+round*5)*time.Hour), 60, 1)
		a := e.volunteer("أ", suVol{})
		b := e.volunteer("ب", suVol{})
		var wg sync.WaitGroup
		start := make(chan struct{})
		outcomes := make([]Outcome, 2)
		errs := make([]error, 2)
		for i, v := range []*httpx.Viewer{a, b} {
			wg.Go(func() {
				<-start
				_, dec, err := e.svc.SignUp(e.ctx, v, shift, SignupInput{RoleID: roles[0]})
				outcomes[i], errs[i] = dec.Outcome, err
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		confirmed := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'confirmed'`, shift)
		waiting := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'waitlisted'`, shift)
		if confirmed != 1 || waiting != 1 {
			t.Fatalf("round %d: %d confirmed and %d waitlisted (outcomes %v), want exactly one of each", round, confirmed, waiting, outcomes)
		}
	}
}

func suWithdrawalPromotesTheFirstWaitlisted(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{titleAr: "زيارة دار المسنين", titleEn: "Care home visit"})
	start := e.now.Add(72 * time.Hour)
	shift, roles := e.shift(o, start, 120, 2)
	first := e.volunteer("الأول", suVol{})
	second := e.volunteer("الثاني", suVol{})
	waitEN := e.volunteer("Sam", suVol{lang: "en"})
	waitBig := e.volunteer("العائلة", suVol{})
	waitLast := e.volunteer("الأخير", suVol{})
	g1, _ := e.signUp(first, shift, SignupInput{RoleID: roles[0]})
	e.signUp(second, shift, SignupInput{RoleID: roles[0]})
	e.now = e.now.Add(time.Minute)
	gEN, dec := e.signUp(waitEN, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != OnWaitlist || dec.Position != 1 {
		t.Fatalf("waitlist: %+v", dec)
	}
	e.now = e.now.Add(time.Minute)
	gBig, _ := e.signUp(waitBig, shift, SignupInput{RoleID: roles[0], PartySize: 2})
	e.now = e.now.Add(time.Minute)
	gLast, _ := e.signUp(waitLast, shift, SignupInput{RoleID: roles[0]})
	e.now = e.now.Add(time.Minute)
	waitSmall := e.volunteer("الصغير", suVol{})
	gSmall, _ := e.signUp(waitSmall, shift, SignupInput{RoleID: roles[0]})

	// Someone else's sign-up cannot be withdrawn.
	if _, err := e.svc.Withdraw(e.ctx, second, g1.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("withdraw another's: %v", err)
	}
	// Withdrawing a waitlisted place frees nothing.
	if _, err := e.svc.Withdraw(e.ctx, waitLast, gLast.ID); err != nil {
		t.Fatal(err)
	}
	if n := e.jobsFor("volunteer_promote_waitlist", "role_id", roles[0]); n != 0 {
		t.Fatalf("withdrawing from the waitlist enqueued %d promotions", n)
	}

	g, err := e.svc.Withdraw(e.ctx, first, g1.ID)
	if err != nil || g.Status != Withdrawn || e.status(g1.ID) != Withdrawn {
		t.Fatalf("withdraw: %+v %v", g, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND cancelled_at IS NOT NULL`, g1.ID); n != 2 {
		t.Fatalf("cancelled reminders: %d, want 2", n)
	}
	if n := e.jobsFor("volunteer_promote_waitlist", "role_id", roles[0]); n != 1 {
		t.Fatalf("promotion jobs: %d, want 1", n)
	}
	// A second place frees before the job runs.
	if _, err := e.svc.Withdraw(e.ctx, second, e.signupOf(second, shift)); err != nil {
		t.Fatal(err)
	}
	// Run the job as River would.
	w := &promoteWorker{s: e.svc}
	if err := w.Work(e.ctx, &river.Job[PromoteArgs]{Args: PromoteArgs{RoleID: roles[0]}}); err != nil {
		t.Fatal(err)
	}
	if e.status(gEN.ID) != Confirmed {
		t.Fatalf("first in line is %s, want confirmed", e.status(gEN.ID))
	}
	// Two places freed: the first in line takes one; the party of two behind
	// does not fit the other and keeps its place; the next who fits takes it.
	if e.status(gBig.ID) != Waitlisted {
		t.Fatalf("party of two: %s", e.status(gBig.ID))
	}
	if e.status(gSmall.ID) != Confirmed {
		t.Fatalf("the next party that fits: %s, want confirmed (first fit)", e.status(gSmall.ID))
	}
	if n := e.count(`SELECT COUNT(*) FROM reminders WHERE signup_id = $1 AND cancelled_at IS NULL`, gEN.ID); n != 2 {
		t.Fatalf("reminders of the promoted: %d", n)
	}
	mails := e.mail.to(waitEN.Email)
	if len(mails) != 1 || !strings.Contains(mails[0].subject, "Care home visit") || !strings.Contains(mails[0].text, "/signups/"+gEN.ID) {
		t.Fatalf("promotion mail in English: %+v", mails)
	}
	// Safe to run twice: nobody else is promoted, nobody is mailed again.
	if err := w.Work(e.ctx, &river.Job[PromoteArgs]{Args: PromoteArgs{RoleID: roles[0]}}); err != nil {
		t.Fatal(err)
	}
	if len(e.mail.to(waitEN.Email)) != 1 || len(e.mail.to(waitBig.Email)) != 0 || e.status(gBig.ID) != Waitlisted {
		t.Fatal("the second run changed something")
	}
	// Withdrawn cannot be withdrawn again.
	if _, err := e.svc.Withdraw(e.ctx, first, g1.ID); !errors.Is(err, ErrSignupNotLive) {
		t.Fatalf("withdraw twice: %v", err)
	}
}

func suWithdrawalCutoff(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	start := e.now.Add(30 * time.Hour)
	shift, _ := e.shift(o, start, 120, 3)
	e.exec(`UPDATE shifts SET cancel_cutoff_hours = 24 WHERE id = $1`, shift)
	v := e.volunteer("لينا", suVol{})
	g, _ := e.signUp(v, shift, SignupInput{})
	// An hour after the cut-off: refused, and nothing changes.
	e.now = start.Add(-23 * time.Hour)
	if _, err := e.svc.Withdraw(e.ctx, v, g.ID); !errors.Is(err, ErrCutoffPassed) {
		t.Fatalf("after the cut-off: %v", err)
	}
	if e.status(g.ID) != Confirmed {
		t.Fatal("a refused withdrawal changed the sign-up")
	}
	sd, err := e.svc.MySignup(e.ctx, v, g.ID)
	if err != nil || sd.CanWithdraw || !sd.CutoffAt.Equal(start.Add(-24*time.Hour)) {
		t.Fatalf("detail after the cut-off: %+v %v", sd, err)
	}
	e.now = start.Add(-25 * time.Hour)
	if _, err := e.svc.Withdraw(e.ctx, v, g.ID); err != nil {
		t.Fatalf("before the cut-off: %v", err)
	}
}

func suPreviewAnswersEachRoleWithoutWriting(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{})
	shift, roles := e.shift(o, e.now.Add(72*time.Hour), 120, 1, 2)
	e.exec(`UPDATE shift_roles SET skill_id = 'first_aid' WHERE id = $1`, roles[1])
	v := e.volunteer("نوف", suVol{})
	sh, _ := loadShift(e.ctx, d.R, shift)
	opp, _ := loadOpportunity(e.ctx, d.R, o)
	ds, err := e.svc.Preview(e.ctx, v.ID, sh, opp)
	if err != nil {
		t.Fatal(err)
	}
	if ds[roles[0]].Outcome != SignedUp || ds[roles[1]].Outcome != RefusedSkill || ds[roles[1]].Skill != "first_aid" {
		t.Fatalf("preview: %+v", ds)
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE user_id = $1`, v.ID); n != 0 {
		t.Fatalf("preview wrote %d sign-ups", n)
	}
	if ds, _ := e.svc.Preview(e.ctx, "", sh, opp); len(ds) != 0 {
		t.Fatalf("anonymous preview: %+v", ds)
	}
	if ds, _ := e.svc.Preview(e.ctx, e.coord.ID, sh, opp); len(ds) != 0 {
		t.Fatalf("preview without a profile: %+v", ds)
	}
}

// suReviewModePromotionGoesToReview: where sign-ups are reviewed, someone who
// joined the waitlist unreviewed is promoted to review, not straight in; one
// a coordinator already approved (and then waited for a place) goes in.
func suReviewModePromotionGoesToReview(t *testing.T, e *suEnv, d *db.DB) {
	o := e.opp(suOpp{approval: "review"})
	shift, roles := e.shift(o, e.now.Add(72*time.Hour), 120, 1)
	a := e.volunteer("أمل", suVol{})
	b := e.volunteer("بشرى", suVol{})
	c := e.volunteer("جود", suVol{})
	ga, dec := e.signUp(a, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != PendingReview {
		t.Fatalf("first: %+v", dec)
	}
	if _, err := e.svc.ApproveSignup(e.ctx, e.coord, ga.ID); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Minute)
	gb, dec := e.signUp(b, shift, SignupInput{RoleID: roles[0]})
	if dec.Outcome != OnWaitlist {
		t.Fatalf("second into a full role: %+v", dec)
	}
	e.now = e.now.Add(time.Minute)
	gc, _ := e.signUp(c, shift, SignupInput{RoleID: roles[0]})
	if _, err := e.svc.Withdraw(e.ctx, a, ga.ID); err != nil {
		t.Fatal(err)
	}
	w := &promoteWorker{s: e.svc}
	if err := w.Work(e.ctx, &river.Job[PromoteArgs]{Args: PromoteArgs{RoleID: roles[0]}}); err != nil {
		t.Fatal(err)
	}
	if e.status(gb.ID) != Pending || e.status(gc.ID) != Waitlisted {
		t.Fatalf("after a place freed: first in line %s (want pending), next %s (want waitlisted)", e.status(gb.ID), e.status(gc.ID))
	}
	if n := e.count(`SELECT COUNT(*) FROM signups WHERE shift_id = $1 AND status = 'confirmed'`, shift); n != 0 {
		t.Fatalf("%d confirmed without review", n)
	}
}
