package account

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// recordingMailer keeps what would be queued, so tests can read the links.
type recordingMailer struct {
	mu   sync.Mutex
	sent []struct{ To, Subject, Text string }
}

func (m *recordingMailer) Queue(_ context.Context, _ db.Tx, to, subject, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, struct{ To, Subject, Text string }{to, subject, text})
	return nil
}

func newService(t *testing.T, d *db.DB) (*Service, *recordingMailer) {
	m := &recordingMailer{}
	return NewService(d, m, "https://sharaka.example"), m
}

func fieldErr(err error, field string) string {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he.Fields[field]
	}
	return ""
}

func TestRegisterValidatesAndRefusesDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		cases := []struct {
			in          SignUp
			field, want string
		}{
			{SignUp{Email: "", Name: "سارة", Password: "long enough"}, "email", "error.required"},
			{SignUp{Email: "not-an-email", Name: "سارة", Password: "long enough"}, "email", "error.email"},
			{SignUp{Email: "sara@example.org", Name: "  ", Password: "long enough"}, "name", "error.required"},
			{SignUp{Email: "sara@example.org", Name: "سارة", Password: "short"}, "password", "account.error.password_short"},
			{SignUp{Email: "sara@example.org", Name: "سارة", Password: "Sara@Example.org"}, "password", "account.error.password_is_email"},
		}
		for _, c := range cases {
			_, err := s.Register(ctx, c.in)
			if got := fieldErr(err, c.field); got != c.want {
				t.Errorf("Register(%+v): field %s = %q, want %q (err %v)", c.in, c.field, got, c.want, err)
			}
		}
		u, err := s.Register(ctx, SignUp{Email: " Sara@Example.org ", Name: "سارة العتيبي", Password: "كلمة-سر-طويلة", Locale: i18n.AR})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "sara@example.org" || u.IsAdmin {
			t.Fatalf("user = %+v", u)
		}
		_, err = s.Register(ctx, SignUp{Email: "SARA@example.org", Name: "Other", Password: "another password"})
		if fieldErr(err, "email") != "account.error.email_taken" {
			t.Fatalf("duplicate email: %v", err)
		}
	})
}

func TestAuthenticateThrottlesRepeatedFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := httpx.WithClientIP(context.Background(), "192.0.2.7")
		s, _ := newService(t, d)
		clock := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return clock }
		if _, err := s.Register(ctx, SignUp{Email: "a@example.org", Name: "A", Password: "correct horse"}); err != nil {
			t.Fatal(err)
		}
		if u, err := s.Authenticate(ctx, "A@example.org", "correct horse"); err != nil || u.Email != "a@example.org" {
			t.Fatalf("good password: %v %v", u, err)
		}
		for i := 0; i < throttles[0].free; i++ {
			if _, err := s.Authenticate(ctx, "a@example.org", "wrong"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		// The next attempt, even with the right password, must wait.
		_, err := s.Authenticate(ctx, "a@example.org", "correct horse")
		var he *httpx.Error
		if !errors.As(err, &he) || he.Status != http.StatusTooManyRequests || he.RetryAfter <= 0 {
			t.Fatalf("after %d failures: %v, want 429 with Retry-After", throttles[0].free, err)
		}
		// Another account from another address is not affected.
		other := httpx.WithClientIP(context.Background(), "198.51.100.1")
		if _, err := s.Authenticate(other, "nobody@example.org", "x"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("unknown account: %v", err)
		}
		clock = clock.Add(he.RetryAfter + time.Second)
		if _, err := s.Authenticate(ctx, "a@example.org", "correct horse"); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
		// Success cleared the account's count: one failure is not throttled.
		if _, err := s.Authenticate(ctx, "a@example.org", "wrong"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("after success: %v", err)
		}
		var logins, failed int
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'user.login'`).Scan(&logins)
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'user.login_failed' AND ip = '192.0.2.7'`).Scan(&failed)
		if logins != 2 || failed != throttles[0].free+1 {
			t.Fatalf("audit: %d logins, %d failures", logins, failed)
		}
	})
}

// TestParallelGuessesAreCountedBeforeHashing fires many wrong passwords at
// once: only the free attempts may reach the password check.
func TestParallelGuessesAreCountedBeforeHashing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := httpx.WithClientIP(context.Background(), "192.0.2.50")
		s, _ := newService(t, d)
		if _, err := s.Register(ctx, SignUp{Email: "p@example.org", Name: "P", Password: "correct horse"}); err != nil {
			t.Fatal(err)
		}
		const n = 30
		results := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := s.Authenticate(ctx, "p@example.org", "wrong guess")
				results <- err
			}()
		}
		bad, throttled := 0, 0
		for i := 0; i < n; i++ {
			err := <-results
			var he *httpx.Error
			switch {
			case errors.Is(err, ErrBadCredentials):
				bad++
			case errors.As(err, &he) && he.Status == http.StatusTooManyRequests:
				throttled++
			default:
				t.Errorf("attempt: %v", err)
			}
		}
		if bad > throttles[0].free || bad+throttled != n {
			t.Fatalf("%d wrong-password answers and %d throttled of %d; at most %d may be checked", bad, throttled, n, throttles[0].free)
		}
	})
}

// TestStrangersCannotLockTheOwnerOut: failures from other addresses do not
// stop the owner signing in from their own.
func TestStrangersCannotLockTheOwnerOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := newService(t, d)
		owner := httpx.WithClientIP(context.Background(), "198.51.100.20")
		if _, err := s.Register(owner, SignUp{Email: "o@example.org", Name: "O", Password: "correct horse"}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3*throttles[0].free; i++ {
			attacker := httpx.WithClientIP(context.Background(), "203.0.113."+string(rune('1'+i%9)))
			s.Authenticate(attacker, "o@example.org", "guess")
		}
		if _, err := s.Authenticate(owner, "o@example.org", "correct horse"); err != nil {
			t.Fatalf("owner locked out by strangers: %v", err)
		}
	})
}

func TestIPThrottleCoversManyAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := httpx.WithClientIP(context.Background(), "203.0.113.9")
		s, _ := newService(t, d)
		clock := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return clock }
		for i := 0; i < throttles[2].free; i++ {
			email := "guess" + string(rune('a'+i)) + "@example.org"
			if _, err := s.Authenticate(ctx, email, "x"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		var he *httpx.Error
		if _, err := s.Authenticate(ctx, "fresh@example.org", "x"); !errors.As(err, &he) || he.Status != http.StatusTooManyRequests {
			t.Fatalf("IP over its limit: %v", err)
		}
	})
}

func TestSessionsAndPasswordReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, m := newService(t, d)
		u, err := s.Register(ctx, SignUp{Email: "b@example.org", Name: "Basma", Password: "first password", Locale: i18n.EN})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.sent) != 1 || m.sent[0].Subject != "Confirm your email address for Sharaka" {
			t.Fatalf("sign-up sends one confirmation mail in the person's language: %+v", m.sent)
		}
		m.sent = nil
		secret, err := s.StartSession(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, secret); err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v %v", got, err)
		}
		if err := s.RequestReset(ctx, "nobody@example.org", nil); err != nil || len(m.sent) != 0 {
			t.Fatalf("unknown address: err %v, %d mails", err, len(m.sent))
		}
		if err := s.RequestReset(ctx, "B@example.org", nil); err != nil {
			t.Fatal(err)
		}
		// A second request within minutes sends nothing more.
		if err := s.RequestReset(ctx, "b@example.org", nil); err != nil || len(m.sent) != 1 {
			t.Fatalf("second request: err %v, %d mails", err, len(m.sent))
		}
		mail := m.sent[0]
		if mail.To != "b@example.org" || mail.Subject != "Set your Sharaka password" {
			t.Fatalf("mail in the person's language expected: %+v", mail)
		}
		i := strings.Index(mail.Text, "https://sharaka.example/password/reset?token=")
		if i < 0 {
			t.Fatalf("no link in %q", mail.Text)
		}
		token := strings.Fields(mail.Text[i:])[0]
		token = token[strings.Index(token, "=")+1:]
		if _, err := s.ResetPassword(ctx, token, "short"); fieldErr(err, "password") == "" {
			t.Fatalf("short password accepted: %v", err)
		}
		tokenSecret, _, err := s.CreateToken(ctx, u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetPassword(ctx, token, "second password"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, tokenSecret); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("an access token survived the password reset: %v", err)
		}
		if _, err := s.ResetPassword(ctx, token, "third password"); !errors.Is(err, ErrResetInvalid) {
			t.Fatalf("reused token: %v", err)
		}
		if _, err := s.SessionUser(ctx, secret); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("old session survived the reset: %v", err)
		}
		if _, err := s.Authenticate(ctx, "b@example.org", "first password"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("old password still works: %v", err)
		}
		if _, err := s.Authenticate(ctx, "b@example.org", "second password"); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		u, _ := s.Register(ctx, SignUp{Email: "c@example.org", Name: "C", Password: "password one"})
		other, _ := s.Register(ctx, SignUp{Email: "d@example.org", Name: "D", Password: "password two"})
		if _, _, err := s.CreateToken(ctx, u.ID, " "); fieldErr(err, "name") != "error.required" {
			t.Fatalf("empty name: %v", err)
		}
		secret, tok, err := s.CreateToken(ctx, u.ID, "سكربت التقارير")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, TokenPrefix) || !strings.HasPrefix(secret, tok.Prefix) {
			t.Fatalf("secret %q prefix %q", secret, tok.Prefix)
		}
		got, err := s.TokenUser(ctx, secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("token user: %v %v", got, err)
		}
		list, _ := s.Tokens(ctx, u.ID)
		if len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("token list: %+v", list)
		}
		if err := s.RevokeToken(ctx, other.ID, tok.ID); !errors.Is(err, httpx.ErrNotFound) {
			t.Fatalf("someone else revoked the token: %v", err)
		}
		if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("revoked token works: %v", err)
		}
	})
}

func TestPasswordHashes(t *testing.T) {
	h, err := HashPassword(context.Background(), "سر طويل جدًا")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(context.Background(), "سر طويل جدًا")
	if h == h2 || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hashes %q %q", h, h2)
	}
	if ok, err := CheckPassword(context.Background(), h, "سر طويل جدًا"); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(context.Background(), h, "سر طويل جدا"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := CheckPassword(context.Background(), "$2a$10$bcrypt", "x"); err == nil {
		t.Fatal("foreign hash accepted")
	}
}

func TestCleanupDeletesOnlyWhatExpired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		u, _ := s.Register(ctx, SignUp{Email: "e@example.org", Name: "E", Password: "password one"})
		live, _ := s.StartSession(ctx, u, "")
		old := time.Now().Add(-SessionTTL - time.Hour)
		s.now = func() time.Time { return old }
		stale, _ := s.StartSession(ctx, u, "")
		if _, err := Cleanup(ctx, d, db.Now()); err != nil {
			t.Fatal(err)
		}
		s.now = db.Now
		if _, err := s.SessionUser(ctx, live); err != nil {
			t.Fatalf("live session deleted: %v", err)
		}
		var n int
		d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE token_hash = $1`, hashSecret(stale)).Scan(&n)
		if n != 0 {
			t.Fatal("expired session kept")
		}
	})
}

func TestProvisionedAccountsHaveNoPasswordUntilReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, m := newService(t, d)
		u, created, err := s.Provision(ctx, d.W, " New@Example.org ", "متطوع جديد", i18n.AR)
		if err != nil || !created || u.Email != "new@example.org" {
			t.Fatalf("provision: %+v %v %v", u, created, err)
		}
		again, created, err := s.Provision(ctx, d.W, "new@example.org", "other", i18n.EN)
		if err != nil || created || again.ID != u.ID || again.Name != "متطوع جديد" {
			t.Fatalf("second provision changed the account: %+v %v %v", again, created, err)
		}
		for _, pw := range []string{"", "!", "anything at all"} {
			if _, err := s.Authenticate(ctx, "new@example.org", pw); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("password %q on a provisioned account: %v", pw, err)
			}
		}
		if err := s.RequestReset(ctx, "new@example.org", nil); err != nil || len(m.sent) != 1 {
			t.Fatalf("reset for a provisioned account: %v, %d mails", err, len(m.sent))
		}
	})
}

func TestEmailVerification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, m := newService(t, d)
		u, err := s.Register(ctx, SignUp{Email: "v@example.org", Name: "وفاء", Password: "password one", Locale: i18n.AR})
		if err != nil || u.EmailVerified {
			t.Fatalf("new account: %+v %v", u, err)
		}
		link := m.sent[0].Text[strings.Index(m.sent[0].Text, "/account/verify?token="):]
		token := strings.Fields(link)[0][len("/account/verify?token="):]
		if _, err := s.VerifyEmail(ctx, "not-a-token"); !errors.Is(err, ErrVerifyInvalid) {
			t.Fatalf("bad token: %v", err)
		}
		got, err := s.VerifyEmail(ctx, token)
		if err != nil || !got.EmailVerified || !got.Viewer().EmailVerified {
			t.Fatalf("verify: %+v %v", got, err)
		}
		if _, err := s.VerifyEmail(ctx, token); !errors.Is(err, ErrVerifyInvalid) {
			t.Fatalf("the link works twice: %v", err)
		}
		// A password reset goes through the address too, so it confirms it.
		w, _ := s.Register(ctx, SignUp{Email: "w@example.org", Name: "W", Password: "password two"})
		m.sent = nil
		if err := s.RequestReset(ctx, "w@example.org", nil); err != nil {
			t.Fatal(err)
		}
		reset := m.sent[0].Text[strings.Index(m.sent[0].Text, "token=")+len("token="):]
		reset = strings.Fields(reset)[0]
		if _, err := s.ResetPassword(ctx, reset, "new password!"); err != nil {
			t.Fatal(err)
		}
		if after, _ := s.User(ctx, w.ID); !after.EmailVerified {
			t.Fatal("a reset did not confirm the address")
		}
		admin, err := s.CreateAdmin(ctx, SignUp{Email: "root@example.org", Name: "Root", Password: "admin password"})
		if err != nil || !admin.EmailVerified {
			t.Fatalf("operator-created admins are trusted: %+v %v", admin, err)
		}
	})
}
