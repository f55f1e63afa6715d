package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Observer is told about every finished request (metrics hook).
type Observer func(r *http.Request, status int, d time.Duration)

// Logging logs each request and reports it to obs, when set.
func Logging(obs Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		slog.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("method", r.Method), slog.String("path", RedactPath(r.URL.Path)),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", d), slog.String("ip", ClientIP(r.Context())))
		if obs != nil {
			obs(r, sw.status, d)
		}
	})
}

// Recover turns a panic into a 500 and logs its stack, so one bad request never stops the server.
func Recover(onPanic func(w http.ResponseWriter, r *http.Request, err error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				onPanic(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// SecurityHeaders sets a strict content security policy and friends on every response.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// secretPaths are path prefixes whose next segment is a secret (an invitation
// link, a calendar feed key, a password-reset token): logs must not hold them.
var secretPaths = []string{"/invitations/", "/calendar/", "/kiosk/"}

// RedactPath hides the secret segment of a path for logging.
func RedactPath(p string) string {
	for _, pre := range secretPaths {
		if rest, ok := strings.CutPrefix(p, pre); ok && rest != "" {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return pre + "…" + rest[i:]
			}
			return pre + "…"
		}
	}
	return p
}
