package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/ratelimit"
)

// Mailer queues an email inside the caller's transaction, so a message goes
// out if and only if the change that caused it commits.
type Mailer interface {
	Queue(ctx context.Context, tx db.Tx, to, subject, text string) error
}

// Service is the account use cases.
type Service struct {
	db      *db.DB
	mail    Mailer
	baseURL string
	now     func() time.Time
}

// NewService builds the account service; baseURL prefixes emailed links.
func NewService(d *db.DB, m Mailer, baseURL string) *Service {
	return &Service{db: d, mail: m, baseURL: baseURL, now: db.Now}
}

// Register opens an account and records it in the audit log.
func (s *Service) Register(ctx context.Context, in SignUp) (*User, error) {
	if errs := in.Validate(); len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	if err := s.limit(ctx, signupLimit); err != nil {
		return nil, err
	}
	return s.create(ctx, in, false, "user.signup")
}

// limit counts a public write against the client's address; calls with no
// client address (the CLI, the demo loader) are the operator's own.
func (s *Service) limit(ctx context.Context, l ratelimit.Limit) error {
	ip := httpx.ClientIP(ctx)
	if ip == "" {
		return nil
	}
	return ratelimit.Allow(ctx, s.db.W, l, ip, s.now())
}

// Limits on public writes, per client address.
var (
	signupLimit = ratelimit.Limit{Name: "signup", Max: 10, Window: time.Hour}
	resetLimit  = ratelimit.Limit{Name: "reset", Max: 10, Window: time.Hour}
)

// CreateAdmin opens a platform admin account (the CLI's `user create --admin`).
func (s *Service) CreateAdmin(ctx context.Context, in SignUp) (*User, error) {
	if errs := in.Validate(); len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	return s.create(ctx, in, true, "user.create_admin")
}

func (s *Service) create(ctx context.Context, in SignUp, admin bool, action string) (*User, error) {
	hash, err := HashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	if _, ok := i18n.ParseLang(string(in.Locale)); !ok {
		in.Locale = i18n.AR
	}
	u := &User{ID: db.NewID(), Email: in.Email, Name: in.Name, IsAdmin: admin, Locale: in.Locale, Digits: i18n.Latin,
		TimeZone: "Asia/Riyadh", CreatedAt: s.now()}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := insertUser(ctx, tx, u, hash); err != nil {
			return err
		}
		if admin {
			// The operator vouches for the admins it creates.
			if err := markVerified(ctx, tx, u.ID, u.CreatedAt); err != nil {
				return err
			}
			u.EmailVerified = true
		} else if err := s.sendVerification(ctx, tx, u); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: action, TargetType: "user", TargetID: u.ID, IP: httpx.ClientIP(ctx)})
	})
	if errors.Is(err, db.ErrConflict) {
		return nil, ErrEmailTaken
	}
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return u, nil
}

// Provision creates an account for someone else (an association importing its
// volunteers, the demo loader) without a password, in the caller's
// transaction; the person takes it over with a password reset. An address
// that already has an account returns that account unchanged.
func (s *Service) Provision(ctx context.Context, q db.Querier, email, name string, locale i18n.Lang) (u *User, created bool, err error) {
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return nil, false, httpx.Invalid(map[string]string{"email": "error.email"})
	}
	if msg := nameProblem(strings.TrimSpace(name)); msg != "" {
		return nil, false, httpx.Invalid(map[string]string{"name": msg})
	}
	if existing, _, err := userByEmail(ctx, q, email); err == nil {
		return existing, false, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, false, err
	}
	if _, ok := i18n.ParseLang(string(locale)); !ok {
		locale = i18n.AR
	}
	u = &User{ID: db.NewID(), Email: email, Name: strings.TrimSpace(name), Locale: locale, Digits: i18n.Latin, TimeZone: "Asia/Riyadh", CreatedAt: s.now()}
	if err := insertUser(ctx, q, u, NoPassword); err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// Authenticate checks an email and password, slowing down repeated failures
// per account and per client address; every outcome is audited.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*User, error) {
	email = NormalizeEmail(email)
	ip := httpx.ClientIP(ctx)
	now := s.now()
	wait, err := reserveAttempt(ctx, s.db, email, ip, now)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, ErrThrottled(wait)
	}
	u, hash, err := userByEmail(ctx, s.db.R, email)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	if u == nil {
		hash = dummyHash
	}
	ok, err := CheckPassword(ctx, hash, password)
	if err != nil {
		return nil, fmt.Errorf("check password: %w", err)
	}
	if u == nil || !ok {
		e := audit.Entry{Action: "user.login_failed", TargetType: "user", IP: ip, Details: map[string]string{"email": email}}
		if u != nil {
			e.TargetID = u.ID
		}
		if err := audit.Record(ctx, s.db.W, e); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := forgiveAttempt(ctx, tx, email, ip); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "user.login", TargetType: "user", TargetID: u.ID, IP: ip})
	})
	if err != nil {
		return nil, fmt.Errorf("record login: %w", err)
	}
	return u, nil
}

// StartSession creates a session and returns the secret for the cookie.
func (s *Service) StartSession(ctx context.Context, u *User, userAgent string) (string, error) {
	secret, hash := newSecret("")
	userAgent = truncateRunes(userAgent, 300)
	if err := insertSession(ctx, s.db.W, hash, u.ID, s.now(), httpx.ClientIP(ctx), userAgent); err != nil {
		return "", err
	}
	return secret, nil
}

// SessionUser returns the user of a live session.
func (s *Service) SessionUser(ctx context.Context, secret string) (*User, error) {
	return sessionUser(ctx, s.db.R, hashSecret(secret), s.now())
}

// EndSession removes a session (a new sign-in replacing it).
func (s *Service) EndSession(ctx context.Context, secret string) error {
	return deleteSession(ctx, s.db.W, hashSecret(secret))
}

// SignOut ends a session at the person's request, audited.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, hashSecret(secret)).Scan(&userID)
		if errors.Is(db.Map(err), db.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "user.logout", TargetType: "user", TargetID: userID, IP: httpx.ClientIP(ctx)})
	})
}

// User returns a user by id.
func (s *Service) User(ctx context.Context, id string) (*User, error) {
	return userByID(ctx, s.db.R, id)
}

// UserByEmail returns a user by address.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, _, err := userByEmail(ctx, s.db.R, NormalizeEmail(email))
	return u, err
}

// RequestReset emails a single-use link to set a new password. It says
// nothing about whether the address has an account, and sends at most one
// link per account every few minutes.
func (s *Service) RequestReset(ctx context.Context, email string, loc *i18n.Locale) error {
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return httpx.Invalid(map[string]string{"email": "error.email"})
	}
	if err := s.limit(ctx, resetLimit); err != nil {
		return err
	}
	u, _, err := userByEmail(ctx, s.db.R, email)
	if errors.Is(err, db.ErrNotFound) {
		slog.InfoContext(ctx, "password reset for unknown address")
		return nil
	}
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2`,
			u.ID, now.Add(-ResetInterval)).Scan(&recent); err != nil {
			return fmt.Errorf("count resets: %w", err)
		}
		if recent > 0 {
			return nil
		}
		secret, hash := newSecret("")
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hash, u.ID, now, now.Add(ResetTTL)); err != nil {
			return fmt.Errorf("insert reset: %w", err)
		}
		// The email speaks the person's own language, not necessarily the page's.
		ml := i18n.New(u.Locale, u.Digits, nil)
		link := s.baseURL + "/password/reset?token=" + secret
		body := ml.T("account.reset.body", "Name", u.Name, "Link", link, "Minutes", ml.Number(int64(ResetTTL/time.Minute)))
		if err := s.mail.Queue(ctx, tx, u.Email, ml.T("account.reset.subject"), body); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "user.password_reset_requested", TargetType: "user", TargetID: u.ID, IP: httpx.ClientIP(ctx)})
	})
}

// ResetPassword sets a new password with a reset secret, which is used up;
// every session of the account is signed out.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) (*User, error) {
	if msg := passwordProblem(password, ""); msg != "" {
		return nil, httpx.Invalid(map[string]string{"password": msg})
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var u *User
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id`, now, hashSecret(secret)).Scan(&userID)
		if err != nil {
			if errors.Is(db.Map(err), db.ErrNotFound) {
				return ErrResetInvalid
			}
			return err
		}
		if err := setPassword(ctx, tx, userID, hash, now); err != nil {
			return err
		}
		// The link came through the address, which proves it is theirs.
		if err := markVerified(ctx, tx, userID, now); err != nil {
			return err
		}
		if err := deleteUserSessions(ctx, tx, userID); err != nil {
			return err
		}
		// A reset is account recovery: whoever held the account before loses
		// every way in — sessions, access tokens and other reset links.
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, now, userID); err != nil {
			return fmt.Errorf("revoke tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, now, userID); err != nil {
			return fmt.Errorf("close other resets: %w", err)
		}
		if u, err = userByID(ctx, tx, userID); err != nil {
			return err
		}
		if err := clearAccountThrottle(ctx, tx, u.Email); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "user.password_reset", TargetType: "user", TargetID: userID, IP: httpx.ClientIP(ctx)})
	})
	return u, err
}

// Preferences are what a person may change about their own account.
type Preferences struct {
	Name        string
	Locale      i18n.Lang
	Digits      i18n.Digits
	HomePlaceID string
	// TimeZone is where dates and times are shown to the person.
	TimeZone string
	// ServiceAreas are the places where the person is ready to help.
	ServiceAreas []string
}

// TimeZones are the zones a person may choose: the Arab world's, and UTC.
var TimeZones = []string{"Asia/Riyadh", "Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Dubai", "Asia/Muscat", "Asia/Aden",
	"Asia/Baghdad", "Asia/Amman", "Asia/Damascus", "Asia/Beirut", "Asia/Gaza", "Africa/Cairo", "Africa/Khartoum",
	"Africa/Tripoli", "Africa/Tunis", "Africa/Algiers", "Africa/Casablanca", "Africa/Nouakchott", "UTC"}

// MaxServiceAreas bounds the places one person lists.
const MaxServiceAreas = 50

// UpdatePreferences saves a person's own settings.
func (s *Service) UpdatePreferences(ctx context.Context, userID string, p Preferences) error {
	errs := map[string]string{}
	p.Name = strings.TrimSpace(p.Name)
	if msg := nameProblem(p.Name); msg != "" {
		errs["name"] = msg
	}
	if _, ok := i18n.ParseLang(string(p.Locale)); !ok {
		errs["locale"] = "error.choice"
	}
	if _, ok := i18n.ParseDigits(string(p.Digits)); !ok {
		errs["digits"] = "error.choice"
	}
	if !slices.Contains(TimeZones, p.TimeZone) {
		errs["time_zone"] = "error.choice"
	}
	if len(p.ServiceAreas) > MaxServiceAreas {
		errs["service_areas"] = "account.error.too_many_areas"
	}
	if len(errs) > 0 {
		return httpx.Invalid(errs)
	}
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, locale = $2, digits = $3, home_place_id = $4, time_zone = $5, updated_at = $6 WHERE id = $7`,
			p.Name, string(p.Locale), string(p.Digits), nullIfEmpty(p.HomePlaceID), p.TimeZone, s.now(), userID)
		if err != nil {
			return fmt.Errorf("update preferences: %w", err)
		}
		return setServiceAreas(ctx, tx, userID, p.ServiceAreas)
	})
}

// ServiceAreas returns the places where a person is ready to help.
func (s *Service) ServiceAreas(ctx context.Context, userID string) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT place_id FROM user_service_areas WHERE user_id = $1`, userID)
	if err != nil {
		return nil, fmt.Errorf("service areas: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetLocale remembers a signed-in person's language choice from the switch.
func (s *Service) SetLocale(ctx context.Context, userID string, l i18n.Lang) error {
	_, err := s.db.W.ExecContext(ctx, `UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3`, string(l), s.now(), userID)
	return err
}

// truncateRunes cuts s to at most n bytes without splitting a character.
func truncateRunes(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ValidResetToken reports whether a reset link can still be used, so the page
// says so before the person types a new password.
func (s *Service) ValidResetToken(ctx context.Context, secret string) (bool, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		hashSecret(secret), s.now()).Scan(&n)
	return n > 0, err
}
