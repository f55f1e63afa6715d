package account

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// SessionCookie holds the session secret.
const SessionCookie = "sid"

// Identify finds who is asking (a session cookie or a bearer token) and in
// which language and digits to answer, and puts both in the request context.
func (s *Service) Identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var u *User
		var err error
		viaToken := false
		// Tokens are for the API only: a token must not act as a browser
		// session (make more tokens, change the account).
		if h := r.Header.Get("Authorization"); h != "" && strings.HasPrefix(r.URL.Path, "/api/v1/") {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				httpx.WriteProblem(w, r, httpx.ErrUnauthorized)
				return
			}
			if u, err = s.TokenUser(ctx, strings.TrimSpace(secret)); err != nil {
				if errors.Is(err, db.ErrNotFound) {
					err = httpx.ErrUnauthorized
				}
				httpx.WriteProblem(w, r, err)
				return
			}
			viaToken = true
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
			u, err = s.SessionUser(ctx, c.Value)
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				httpx.WriteProblem(w, r, err)
				return
			}
		}
		loc := localeFor(r, u)
		ctx = httpx.WithLocale(ctx, loc)
		if u != nil {
			v := u.Viewer()
			v.ViaToken = viaToken
			ctx = httpx.WithViewer(ctx, v)
		}
		w.Header().Add("Vary", "Cookie, Accept-Language")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// localeFor picks the language: the switch's cookie first, then the person's
// saved choice, then the browser's Accept-Language; Arabic by default.
func localeFor(r *http.Request, u *User) *i18n.Locale {
	cookie := ""
	if c, err := r.Cookie(i18n.CookieName); err == nil {
		cookie = c.Value
	}
	if _, ok := i18n.ParseLang(cookie); !ok && u != nil {
		cookie = string(u.Locale)
	}
	lang := i18n.Negotiate(cookie, r.Header.Get("Accept-Language"))
	digits := i18n.Latin
	var zone *time.Location
	if u != nil {
		if d, ok := i18n.ParseDigits(string(u.Digits)); ok {
			digits = d
		}
		if z, err := time.LoadLocation(u.TimeZone); err == nil {
			zone = z
		}
	}
	return i18n.New(lang, digits, zone)
}

// SetSessionCookie gives the browser its session secret.
func SetSessionCookie(w http.ResponseWriter, secret string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionTTL / time.Second)})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// RequireUser returns the signed-in viewer or ErrUnauthorized.
func RequireUser(r *http.Request) (*httpx.Viewer, error) {
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		return v, nil
	}
	return nil, httpx.ErrUnauthorized
}
