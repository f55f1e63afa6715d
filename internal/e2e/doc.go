// Package e2e holds Sharaka's browser tests. They run the whole app over a
// fresh SQLite database on an httptest server and drive a real Chromium
// through chromedp the way a person would: type into forms, click, read what
// is shown. TestJourney follows a new visitor from the Arabic home page
// through sign-up, registering an organisation, switching language and
// signing out; TestVolunteerJourney follows a volunteer's first shift, from
// sign-up and profile to the coordinator's check-in, approved hours and a
// certificate anyone can verify; TestAccessibility runs axe-core on the main
// pages, the volunteering ones among them, in both directions and fails on
// serious or critical violations. What the tests do not drive in the browser
// (an admin, a verified charity with a coming shift) they set up through the
// app's services, as the demo loader does.
//
// The package has no code outside its tests. Chromium is found through
// SHARAKA_TEST_BROWSER (a path; a wrong path fails the tests, so CI cannot
// skip by accident) or as chromium on PATH (Debian's /usr/bin/chromium);
// without either the tests skip. Set SHARAKA_E2E_SHOTS to a directory (under
// os.TempDir, not the repository) to keep screenshots of the home page on a
// phone and of the account page on a desktop.
//
// testdata/axe.min.js is axe-core 4.14.1 by Deque Systems, used unmodified
// under the Mozilla Public License 2.0 (testdata/axe-LICENSE.txt; the MIT
// notices of the code it bundles are in testdata/axe-LICENSE-3RD-PARTY.txt).
package e2e
