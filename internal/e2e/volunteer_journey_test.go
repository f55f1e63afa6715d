package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// TestVolunteerJourney follows one volunteer's first shift in Arabic, in one
// browser: a new visitor signs up, creates a volunteer profile, finds the
// shift and takes a place on it; the coordinator signs in, finds them on the
// roster, checks them in and out, corrects the times to the hour they
// worked, approves the hours and issues a certificate, which the public
// verification page confirms without giving their email address away.
func TestVolunteerJourney(t *testing.T) {
	began := time.Now()
	b := start(t)
	started := time.Now()
	fx := setUpVolunteering(t, b.app)
	const (
		name     = "نورة السالم"
		email    = "noura@example.org"
		password = "كلمة سر نورة 2026"
		reason   = "عملت ساعة كاملة"
	)
	ar := func(id string) string { return msg(t, i18n.AR, id) }
	en := func(id string) string { return msg(t, i18n.EN, id) }
	// The site writes Latin digits unless a person chooses Arabic-Indic ones.
	arLoc, enLoc := i18n.New(i18n.AR, i18n.Latin, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	anHour := volunteer.FormatMinutes(arLoc, 60)
	var (
		oppPath   = "/opportunities/" + fx.opp.ID
		shiftPath = "/shifts/" + fx.shift.ID
		orgPath   = "/organisations/" + fx.org.ID
	)
	lap := time.Now()
	t.Logf("set-up: Chromium and the app %s; the charity, its opportunity and the shift %s–%s through the services %s",
		started.Sub(began).Round(time.Millisecond), fx.shift.StartsAt.In(riyadh).Format("15:04"), fx.shift.EndsAt.In(riyadh).Format("15:04"),
		lap.Sub(started).Round(time.Millisecond))
	phase := func(what string) {
		t.Logf("%s: %s", what, time.Since(lap).Round(time.Millisecond))
		lap = time.Now()
	}
	// rowText is the text of the only row of the page's table.
	rowText := func(what string) string {
		t.Helper()
		rows := b.texts("main table tbody tr")
		if len(rows) != 1 {
			s := b.state()
			t.Fatalf("%s: %d rows in the table on %s, want 1: %q", what, len(rows), s.Path, rows)
		}
		return rows[0]
	}
	// want fails unless text shows every one of parts.
	want := func(where, text string, parts ...string) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Fatalf("%s does not show %q:\n%s", where, p, text)
			}
		}
	}

	// 1. The volunteer: an account from the header's sign-up link.
	b.open("/")
	b.click(`header a[href="/signup"]`, "click the sign-up link")
	b.typeInto("#f-name", name)
	b.typeInto("#f-email", email)
	b.typeInto("#f-password", password)
	code := b.click(`main form[action="/signup"] button[type=submit]`, "submit the sign-up form")
	s := b.state()
	if code != 200 || s.Path != "/account" {
		t.Fatalf("sign-up ended on HTTP %d at %s (notice %q), want /account", code, s.Path, s.Flash)
	}
	b.wantLang(s, i18n.AR)

	// The volunteering link: without a profile the list asks for one.
	b.click(`header a[href="/opportunities"]`, "click the volunteering link")
	if s = b.state(); s.Path != "/opportunities" || s.H1 != ar("volunteer.listing.title") {
		t.Fatalf("the volunteering link led to %s (heading %q)", s.Path, s.H1)
	}
	want("the list before a profile", s.Text, ar("volunteer.listing.no_profile"))
	b.click(`main a[href="/volunteer/profile"]`, "click the create-profile link")
	if s = b.state(); s.Path != "/volunteer/profile" || s.H1 != ar("volunteer.profile.create_title") {
		t.Fatalf("the create-profile link led to %s (heading %q)", s.Path, s.H1)
	}
	want("the new profile form", s.Text, ar("volunteer.charter.title"), ar("volunteer.charter.accept"))

	// Sent without the charter, the form says it must be accepted and keeps what was typed.
	b.typeInto("#f-emergency_name", "سالم السالم")
	b.typeInto("#f-emergency_phone", "0551234567")
	profileSubmit := `main form[action="/volunteer/profile"] button[type=submit]`
	if code = b.click(profileSubmit, "submit the profile without accepting the charter"); code != 422 {
		t.Fatalf("profile without the charter: HTTP %d, want 422 (at %s)", code, b.state().Path)
	}
	if got := b.text("#e-charter_accepted"); got != ar("volunteer.charter.error.required") {
		t.Fatalf("profile without the charter: the charter's error says %q, want %q", got, ar("volunteer.charter.error.required"))
	}
	if got := run(b, "read the emergency contact", chromedp.Value(chromedp.CSS("#f-emergency_name"))); got != "سالم السالم" {
		t.Errorf("after the refusal the emergency contact holds %q: what was typed is lost", got)
	}
	for _, e := range b.consoleErrors() {
		if !strings.Contains(e, "status of 422") {
			t.Errorf("the profile form's refusal: the browser console reported: %s", e)
		}
	}
	b.tick(`main input[name=charter_accepted]`)
	b.tick(`main input[name=interests][value=food]`)
	code = b.click(profileSubmit, "create the profile")
	if s = b.state(); code != 200 || s.Path != "/volunteer/profile" || s.Flash != ar("volunteer.profile.created") {
		t.Fatalf("creating the profile ended on HTTP %d at %s (heading %q, notice %q), want /volunteer/profile saying %q; errors: %q",
			code, s.Path, s.H1, s.Flash, ar("volunteer.profile.created"), b.texts("main .field-error"))
	}
	if s.H1 != ar("volunteer.profile.title") {
		t.Errorf("the saved profile is headed %q, want %q", s.H1, ar("volunteer.profile.title"))
	}
	phase("volunteer: sign-up and profile")

	// The list now shows the shifts open to them, this one among them.
	b.click(`main a[href="/opportunities"]`, "click the find-an-opportunity link")
	s = b.state()
	want("the list", s.Text, ar("volunteer.listing.showing_eligible"))
	card := "#shift-" + fx.shift.ID
	b.need(card, "the coming shift on the list")
	want("the shift's card", b.text(card), oppTitleAr, orgNameAr, ar("volunteer.category.food"),
		arLoc.N("volunteer.listing.free", roleSlots), ar("volunteer.listing.can.signed_up"))

	// Its opportunity says a place is free and taking it is immediate.
	b.click(card+" h2 a", "open the opportunity from its card")
	if s = b.state(); s.Path != oppPath || s.H1 != oppTitleAr {
		t.Fatalf("the card led to %s (heading %q), want %s headed %q", s.Path, s.H1, oppPath, oppTitleAr)
	}
	want("the opportunity page", s.Text, orgNameAr, roleNameAr, ar("volunteer.opportunity.badge.open"), ar("volunteer.outcome.signed_up"))
	signup := `main form[action="` + shiftPath + `/signup"] button[type=submit]`
	if got := b.text(signup); got != ar("volunteer.opportunity.show.sign_up") {
		t.Errorf("the role's button says %q, want %q", got, ar("volunteer.opportunity.show.sign_up"))
	}
	code = b.click(signup, "sign up for the role")
	s = b.state()
	if code != 200 || !strings.HasPrefix(s.Path, "/signups/") {
		t.Fatalf("signing up ended on HTTP %d at %s (heading %q): %q", code, s.Path, s.H1, s.Text)
	}
	if s.Flash != ar("volunteer.signup.flash.signed_up") {
		t.Errorf("after signing up the notice says %q, want %q", s.Flash, ar("volunteer.signup.flash.signed_up"))
	}
	if s.H1 != ar("volunteer.signup.show.title") {
		t.Errorf("the sign-up page is headed %q, want %q", s.H1, ar("volunteer.signup.show.title"))
	}
	if got := b.text("main section .badge"); got != ar("volunteer.signup.status.confirmed") {
		t.Errorf("the sign-up's status says %q, want %q", got, ar("volunteer.signup.status.confirmed"))
	}
	want("the sign-up page", s.Text, oppTitleAr, orgNameAr, roleNameAr)
	phase("volunteer: list, opportunity and sign-up")

	// 2. The volunteer signs out; the coordinator opens the roster and is asked to sign in.
	b.click(`header form[action="/signout"] button[type=submit]`, "sign the volunteer out")
	if s = b.state(); s.Flash != ar("account.signout.done") {
		t.Fatalf("signing out ended at %s saying %q, want %q", s.Path, s.Flash, ar("account.signout.done"))
	}
	b.open(shiftPath + "/roster")
	if s = b.state(); !strings.HasPrefix(s.Path, "/signin") || s.H1 != ar("account.signin.title") {
		t.Fatalf("signed out, the roster shows %s (heading %q), want the sign-in page", s.Path, s.H1)
	}
	b.typeInto("#f-email", coordEmail)
	b.typeInto("#f-password", coordPassword)
	code = b.click(`main form[action="/signin"] button[type=submit]`, "sign the coordinator in")
	if s = b.state(); code != 200 || s.Path != shiftPath+"/roster" {
		t.Fatalf("signing in ended on HTTP %d at %s (heading %q, notice %q), want back at %s/roster", code, s.Path, s.H1, s.Flash, shiftPath)
	}
	if s.H1 != ar("volunteer.roster.title") {
		t.Errorf("the roster is headed %q, want %q", s.H1, ar("volunteer.roster.title"))
	}
	want("the roster", s.Header, ar("nav.signout"))
	want("the roster", s.Text, oppTitleAr, roleNameAr,
		arLoc.T("volunteer.roster.taken", "Taken", arLoc.Number(1), "Slots", arLoc.Number(roleSlots)))
	want("the roster's row", rowText("the roster"), name, email, ar("volunteer.roster.not_checked_in"))

	// From the opportunity to the shift, and its check-in page.
	b.click(`main a[href="`+oppPath+`"]`, "open the opportunity from the roster")
	b.click(`main a[href="`+shiftPath+`"]`, "open the shift from the opportunity")
	b.click(`main a[href="`+shiftPath+`/checkin"]`, "open the shift's check-in page")
	if s = b.state(); s.Path != shiftPath+"/checkin" || s.H1 != ar("volunteer.checkin.coordinator.title") {
		t.Fatalf("the check-in link led to %s (heading %q)", s.Path, s.H1)
	}
	want("the check-in row", rowText("the check-in page"), name, roleNameAr, ar("volunteer.checkin.not_in"))

	// In by hand, then out.
	code = b.click(`main form[action$="/checkin"] button[type=submit]`, "check the volunteer in")
	if s = b.state(); code != 200 || s.Path != shiftPath+"/checkin" || s.Flash != ar("volunteer.checkin.flash.manual_in") {
		t.Fatalf("checking in ended on HTTP %d at %s saying %q, want %q", code, s.Path, s.Flash, ar("volunteer.checkin.flash.manual_in"))
	}
	want("the checked-in row", rowText("after check-in"), name, ar("volunteer.checkin.here"), ar("volunteer.checkin.method.manual"))
	if got := b.text(`main form[action$="/checkout"] button`); got != ar("volunteer.checkin.coordinator.button_out") {
		t.Errorf("the check-out button says %q, want %q", got, ar("volunteer.checkin.coordinator.button_out"))
	}
	code = b.click(`main form[action$="/checkout"] button[type=submit]`, "check the volunteer out")
	// Out within a minute of in: the page must say that no hours were recorded.
	if s = b.state(); code != 200 || s.Path != shiftPath+"/checkin" || s.Flash != ar("volunteer.checkin.flash.manual_out_none") {
		t.Fatalf("checking out ended on HTTP %d at %s saying %q, want %q", code, s.Path, s.Flash, ar("volunteer.checkin.flash.manual_out_none"))
	}
	row := rowText("after check-out")
	if strings.Contains(row, ar("volunteer.checkin.here")) {
		t.Errorf("after check-out the row still says %q: %q", ar("volunteer.checkin.here"), row)
	}
	t.Logf("checked out at once, the row reads %q", row)

	// A minute's attendance earns no hours: the coordinator corrects the times to the hour worked.
	b.click(`main table a[href$="/correct"]`, "open the correction form")
	if s = b.state(); !strings.HasSuffix(s.Path, "/correct") || s.H1 != ar("volunteer.attendance.correct.title") {
		t.Fatalf("the correction link led to %s (heading %q)", s.Path, s.H1)
	}
	want("the correction form", s.Text, name, oppTitleAr)
	in := time.Now().In(riyadh).Add(-61 * time.Minute).Truncate(time.Minute)
	b.pick("#f-checked_in_at", in.Format("2006-01-02T15:04"))
	b.pick("#f-checked_out_at", in.Add(time.Hour).Format("2006-01-02T15:04"))
	b.typeInto("#f-reason", reason)
	code = b.click(`main form[action$="/correct"] button[type=submit]`, "save the correction")
	if s = b.state(); code != 200 || s.Path != shiftPath+"/checkin" || s.Flash != ar("volunteer.attendance.flash.corrected") {
		t.Fatalf("the correction ended on HTTP %d at %s saying %q, want the check-in page saying %q; errors: %q",
			code, s.Path, s.Flash, ar("volunteer.attendance.flash.corrected"), b.texts("main .field-error"))
	}
	want("the corrected row", rowText("after the correction"), name, ar("volunteer.checkin.corrected"), reason, anHour)
	phase("coordinator: sign-in, roster, check-in, check-out and correction")

	// 3. The hours wait for review on the organisation's page.
	b.open(orgPath)
	b.click(`main a[href="`+orgPath+`/hours"]`, "open the hours review from the organisation")
	if s = b.state(); s.Path != orgPath+"/hours" || !strings.HasPrefix(s.H1, ar("volunteer.hours.review.title")) {
		t.Fatalf("the hours link led to %s (heading %q)", s.Path, s.H1)
	}
	want("the pending hours", rowText("the hours review"), name, oppTitleAr, anHour, ar("volunteer.hours.status.pending"), ar("volunteer.checkin.corrected"))
	code = b.click(`main form[action$="/approve"] button[type=submit]`, "approve the hours")
	if s = b.state(); code != 200 || s.Path != orgPath+"/hours" || s.Flash != ar("volunteer.hours.flash.approved") {
		t.Fatalf("approving ended on HTTP %d at %s saying %q, want %q", code, s.Path, s.Flash, ar("volunteer.hours.flash.approved"))
	}
	want("the approved hours", rowText("after approval"), name, anHour, ar("volunteer.hours.status.approved"), coordName)

	// A certificate for the day's approved hours.
	b.click(`main a[href="`+orgPath+`/certificates"]`, "open the certificates")
	if s = b.state(); s.Path != orgPath+"/certificates" || !strings.HasPrefix(s.H1, ar("volunteer.certificate.org.title")) {
		t.Fatalf("the certificates link led to %s (heading %q)", s.Path, s.H1)
	}
	choice := eval[[]string](b, "find the volunteer among the candidates", `(() => {
		const o = [...document.querySelectorAll("#f-user_id option")].find(o => o.value && o.text.includes(`+jsString(name)+`));
		return o ? [o.value, o.text] : [];
	})()`)
	if len(choice) != 2 {
		t.Fatalf("the volunteer %s is not among the candidates: %q", name, b.texts("#f-user_id option"))
	}
	want("the candidate", choice[1], anHour)
	b.pick("#f-user_id", choice[0])
	b.pick("#f-from", in.Format(time.DateOnly))
	today := time.Now().In(riyadh).Format(time.DateOnly)
	if got := run(b, "read the period's end", chromedp.Value(chromedp.CSS("#f-to"))); got != today {
		t.Errorf("the period ends on %q by default, want today %s", got, today)
	}
	code = b.click(`main form[action="`+orgPath+`/certificates"] button[type=submit]`, "issue the certificate")
	s = b.state()
	if code != 200 || !strings.HasPrefix(s.Path, "/certificates/") || s.Flash != ar("volunteer.certificate.flash.issued") {
		t.Fatalf("issuing ended on HTTP %d at %s saying %q, want a certificate saying %q; errors: %q",
			code, s.Path, s.Flash, ar("volunteer.certificate.flash.issued"), b.texts("main .field-error"))
	}
	certCode := strings.TrimPrefix(s.Path, "/certificates/")

	// The certificate, in Arabic and in English, names the volunteer and not their address.
	want("the Arabic side of the certificate", b.text(`main .certificate-side[lang=ar][dir=rtl]`),
		ar("volunteer.certificate.heading"), name, orgNameAr, anHour, certCode)
	want("the English side of the certificate", b.text(`main .certificate-side[lang=en][dir=ltr]`),
		en("volunteer.certificate.heading"), name, orgNameEn, volunteer.FormatMinutes(enLoc, 60), certCode)
	if strings.Contains(s.Text, email) {
		t.Errorf("the public certificate shows the volunteer's email address %s", email)
	}
	// The verification address is printed (for paper) and is a link (for screens).
	verifyURL := b.text("main .certificate figcaption a")
	href := eval[string](b, "read the verify link", `document.querySelector("main .certificate figcaption a").href`)
	if verifyURL != b.base+"/verify/"+certCode || href != verifyURL {
		t.Fatalf("the certificate sends people to verify it at %q (link %q), want %s/verify/%s", verifyURL, href, b.base, certCode)
	}
	phase("coordinator: hours approved, certificate issued")

	// Anyone who goes to that address sees it is valid, whose it is and for what.
	if code = b.open(strings.TrimPrefix(verifyURL, b.base)); code != 200 {
		t.Fatalf("%s: HTTP %d", verifyURL, code)
	}
	s = b.state()
	b.wantLang(s, i18n.AR)
	if s.H1 != ar("volunteer.verify.title") {
		t.Errorf("the verification page is headed %q, want %q", s.H1, ar("volunteer.verify.title"))
	}
	if got := b.text("main #result-h"); got != ar("volunteer.verify.valid") {
		t.Errorf("the verification says %q, want %q", got, ar("volunteer.verify.valid"))
	}
	want("the verification", b.text("main dl"), name, orgNameAr, anHour, certCode)
	for _, secret := range []string{email, coordEmail} {
		if strings.Contains(s.Text, secret) {
			t.Errorf("the public verification page shows the email address %s", secret)
		}
	}
	phase("public verification")

	for _, e := range b.consoleErrors() {
		t.Errorf("the browser console reported: %s", e)
	}
	t.Logf("the whole journey: %s", time.Since(began).Round(time.Millisecond))
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	j, _ := json.Marshal(s) // a string always marshals
	return string(j)
}
