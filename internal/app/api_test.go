package app_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

var tokenRe = regexp.MustCompile(`<code class="token" id="new-token">(shk_[A-Za-z0-9_-]+)</code>`)

// TestTokenJourney creates a personal access token on /account and uses it on
// the API the way a script would; problems come back as RFC 9457 JSON in the
// caller's language.
func TestTokenJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, srv := newServer(t, d, false)
		b := newBrowser(t, srv.URL)
		b.post("/signup", url.Values{"name": {"Script Owner"}, "email": {"owner@example.org"}, "password": {"long password"}})
		resp, body := b.post("/account/tokens", url.Values{"token_name": {"nightly report"}})
		m := tokenRe.FindStringSubmatch(body)
		if resp.StatusCode != 201 || m == nil {
			t.Fatalf("create token: %d, secret shown: %v", resp.StatusCode, m != nil)
		}
		token := m[1]
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Error("the page showing a secret may be cached")
		}
		_, body = b.get("/account")
		if strings.Contains(body, token) {
			t.Fatal("the secret is shown again after the first time")
		}

		script := newBrowser(t, srv.URL) // no cookies: only the token
		resp, body = script.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + token})
		var me struct{ Email, Name string }
		if err := json.Unmarshal([]byte(body), &me); err != nil || resp.StatusCode != 200 || me.Email != "owner@example.org" {
			t.Fatalf("me with token: %d %s", resp.StatusCode, body)
		}
		// A token is for the API only: on the site it is no session.
		resp, _ = script.do("POST", "/account/tokens", url.Values{"token_name": {"more"}}, map[string]string{"Authorization": "Bearer " + token})
		if resp.StatusCode == 201 || resp.StatusCode == 200 {
			t.Fatalf("a token minted another token on the site: %d", resp.StatusCode)
		}
		resp, body = script.do("POST", "/api/v1/organisations", nil, map[string]string{"Authorization": "Bearer " + token})
		if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("empty body: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}

		// Without a token: 401 as a problem, titled in the language asked for.
		resp, body = script.do("GET", "/api/v1/me", nil, map[string]string{"Accept-Language": "en"})
		var p struct {
			Type, Title string
			Status      int
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil || resp.StatusCode != 401 || p.Status != 401 || p.Type != "/problems/unauthorized" || p.Title != "Please sign in first" {
			t.Fatalf("anonymous me: %d %s", resp.StatusCode, body)
		}
		resp, body = script.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer shk_forged"})
		if resp.StatusCode != 401 || !strings.Contains(body, "سجّل الدخول أولًا") {
			t.Fatalf("forged token: %d %s", resp.StatusCode, body)
		}
		resp, body = script.get("/api/v1/nothing-here")
		if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("unknown API path: %d %s", resp.StatusCode, body)
		}

		// Revoking on the page stops the script.
		_, body = b.get("/account")
		rev := regexp.MustCompile(`action="(/account/tokens/[^"]+/revoke)"`).FindStringSubmatch(body)
		if rev == nil {
			t.Fatal("no revoke button")
		}
		b.post(rev[1], url.Values{})
		if resp, _ := script.do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + token}); resp.StatusCode != 401 {
			t.Fatalf("revoked token: %d", resp.StatusCode)
		}
	})
}

var (
	resetLink  = regexp.MustCompile(`/password/reset\?token=([A-Za-z0-9_-]+)`)
	verifyLink = regexp.MustCompile(`/account/verify\?token=([A-Za-z0-9_-]+)`)
)

// TestPasswordResetThroughTheDevOutbox follows the emailed link as a person
// would, reading the mail where development mode puts it.
func TestPasswordResetThroughTheDevOutbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, srv := newServerArgs(t, d, "--dev", "--workers=true")
		b := newBrowser(t, srv.URL)
		b.post("/signup", url.Values{"name": {"هالة"}, "email": {"hala@example.org"}, "password": {"old password"}})
		b.post("/signout", url.Values{})
		resp, _ := b.post("/password/forgot", url.Values{"email": {"hala@example.org"}})
		if resp.StatusCode != 303 {
			t.Fatalf("forgot: %d", resp.StatusCode)
		}
		// The mail is a queued job: this app's workers deliver it to the outbox.
		if err := a.Jobs.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		defer a.Jobs.Stop(context.Background())
		admin := newBrowser(t, srv.URL)
		if _, err := a.Account.CreateAdmin(t.Context(), account.SignUp{Email: "root@example.org", Name: "Root", Password: "admin password"}); err != nil {
			t.Fatal(err)
		}
		admin.post("/signin", url.Values{"email": {"root@example.org"}, "password": {"admin password"}})
		var link []string
		for i := 0; i < 100 && link == nil; i++ {
			_, body := admin.get("/admin/outbox")
			link = resetLink.FindStringSubmatch(body)
			if link == nil {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if link == nil {
			t.Fatal("the reset mail never reached the outbox")
		}
		// The sign-up's confirmation mail is there too; following it confirms the address.
		_, outbox := admin.get("/admin/outbox")
		confirm := verifyLink.FindStringSubmatch(outbox)
		if confirm == nil {
			t.Fatal("no confirmation mail in the outbox")
		}
		if resp, _ := b.get("/account/verify?token=" + confirm[1]); resp.StatusCode != 303 {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
		// b is signed out here: the notice waits for the sign-in page.
		if resp, body := b.get("/signin"); !strings.Contains(body, "تأكّد بريدك الإلكتروني، شكرًا لك.") {
			t.Fatalf("confirming the address showed no confirmation (%d)", resp.StatusCode)
		}
		resp, body := b.get("/password/reset?token=" + link[1])
		if resp.StatusCode != 200 || !strings.Contains(body, "كلمة المرور الجديدة") {
			t.Fatalf("reset page: %d", resp.StatusCode)
		}
		resp, body = b.post("/password/reset", url.Values{"token": {link[1]}, "password": {"new password!"}, "confirm": {"different"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "كلمتا المرور غير متطابقتين") {
			t.Fatalf("mismatched confirmation: %d", resp.StatusCode)
		}
		resp, _ = b.post("/password/reset", url.Values{"token": {link[1]}, "password": {"new password!"}, "confirm": {"new password!"}})
		if resp.StatusCode != 303 {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		b.post("/signout", url.Values{})
		if resp, _ := b.post("/signin", url.Values{"email": {"hala@example.org"}, "password": {"new password!"}}); resp.StatusCode != 303 {
			t.Fatalf("sign in with the new password: %d", resp.StatusCode)
		}
		// The outbox is for development only.
		_, prodSrv := newServer(t, d, false)
		prod := newBrowser(t, prodSrv.URL)
		prod.post("/signin", url.Values{"email": {"root@example.org"}, "password": {"admin password"}})
		if resp, _ := prod.get("/admin/outbox"); resp.StatusCode != 404 {
			t.Fatalf("outbox outside dev mode: %d", resp.StatusCode)
		}
	})
}
