// Package account holds people's accounts: sign-up, passwords, sessions,
// password resets, login throttling and personal access tokens.
package account

import (
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// User is a person with an account.
type User struct {
	ID          string
	Email       string
	Name        string
	IsAdmin     bool
	Locale      i18n.Lang
	Digits      i18n.Digits
	TimeZone    string
	HomePlaceID string
	CreatedAt   time.Time
	// EmailVerified: the person followed a link sent to the address (or reset
	// the password through it).
	EmailVerified bool
}

// Viewer is the request-scoped view of u.
func (u *User) Viewer() *httpx.Viewer {
	return &httpx.Viewer{ID: u.ID, Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin, EmailVerified: u.EmailVerified}
}

// Rules of the house for accounts.
const (
	MinPassword   = 8
	MaxPassword   = 128
	MaxName       = 100
	SessionTTL    = 30 * 24 * time.Hour
	VerifyTTL     = 7 * 24 * time.Hour
	ResetTTL      = time.Hour
	ResetInterval = 2 * time.Minute
)

// Domain errors, shown to the user in their language.
var (
	ErrBadCredentials = &httpx.Error{Status: http.StatusUnauthorized, Type: "bad-credentials", MsgID: "account.error.bad_credentials"}
	ErrEmailTaken     = httpx.Invalid(map[string]string{"email": "account.error.email_taken"})
	ErrResetInvalid   = &httpx.Error{Status: http.StatusBadRequest, Type: "reset-invalid", MsgID: "account.error.reset_invalid"}
)

// ErrThrottled is returned while sign-in is slowed down after failures.
func ErrThrottled(wait time.Duration) *httpx.Error {
	return &httpx.Error{Status: http.StatusTooManyRequests, Type: "too-many-attempts", MsgID: "account.error.throttled", RetryAfter: wait}
}

// NormalizeEmail lower-cases and trims an address, so one person has one account.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail accepts a bare address as people type it (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// SignUp is what a person submits to open an account.
type SignUp struct {
	Email    string
	Name     string
	Password string
	Locale   i18n.Lang
}

// Validate returns field → message id for every problem.
func (s *SignUp) Validate() map[string]string {
	errs := map[string]string{}
	s.Email = NormalizeEmail(s.Email)
	s.Name = strings.TrimSpace(s.Name)
	if s.Email == "" {
		errs["email"] = "error.required"
	} else if !ValidEmail(s.Email) {
		errs["email"] = "error.email"
	}
	if msg := nameProblem(s.Name); msg != "" {
		errs["name"] = msg
	}
	if msg := passwordProblem(s.Password, s.Email); msg != "" {
		errs["password"] = msg
	}
	return errs
}

func passwordProblem(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n == 0:
		return "error.required"
	case n < MinPassword:
		return "account.error.password_short"
	case n > MaxPassword:
		return "account.error.password_long"
	case email != "" && strings.EqualFold(pw, email):
		return "account.error.password_is_email"
	}
	return ""
}

// nameProblem checks a display name: present, not too long, one line of text.
func nameProblem(name string) string {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "error.required"
	case n > MaxName:
		return "account.error.name_long"
	case strings.ContainsFunc(name, unicode.IsControl):
		return "error.control_chars"
	}
	return ""
}
