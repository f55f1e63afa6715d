package httpx

import (
	"context"
	"net"
	"net/http"
	"strings"

	"sharaka/internal/platform/i18n"
)

// Viewer is who is making the request, as far as every area needs to know.
type Viewer struct {
	ID      string
	Name    string
	Email   string
	IsAdmin bool
	// EmailVerified: the address is proven to be the person's.
	EmailVerified bool
	// ViaToken is true when the request authenticated with a personal access token.
	ViaToken bool
}

type ctxKey int

const (
	localeKey ctxKey = iota
	viewerKey
	clientIPKey
)

// WithLocale stores the request's locale.
func WithLocale(ctx context.Context, l *i18n.Locale) context.Context {
	return context.WithValue(ctx, localeKey, l)
}

// Locale returns the request's locale, Arabic by default.
func Locale(ctx context.Context) *i18n.Locale {
	if l, ok := ctx.Value(localeKey).(*i18n.Locale); ok {
		return l
	}
	return i18n.New(i18n.AR, i18n.Latin, nil)
}

// WithViewer stores the signed-in user.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey, v)
}

// ViewerFrom returns the signed-in user, or nil for an anonymous request.
func ViewerFrom(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey).(*Viewer)
	return v
}

// WithClientIP stores the client address used for audit and rate limits.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey, ip)
}

// ClientIP returns the client address recorded by the ClientIP middleware.
func ClientIP(ctx context.Context) string {
	s, _ := ctx.Value(clientIPKey).(string)
	return s
}

// ClientIPMiddleware records the client address: the connection's peer, or,
// when trustProxy says a reverse proxy is in front, the last X-Forwarded-For
// entry — the one our proxy appended; earlier entries are whatever the client sent.
func ClientIPMiddleware(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if trustProxy {
			if hs := r.Header.Values("X-Forwarded-For"); len(hs) > 0 {
				parts := strings.Split(hs[len(hs)-1], ",")
				if last := strings.TrimSpace(parts[len(parts)-1]); last != "" {
					ip = last
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(WithClientIP(r.Context(), ip)))
	})
}

// IsTLS reports whether the client reached us over TLS, directly or through a trusted proxy.
func IsTLS(r *http.Request, trustProxy bool) bool {
	return r.TLS != nil || (trustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}
