package app

import (
	"context"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"sharaka/internal/account"
	"sharaka/internal/admin"
	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/volunteer"
)

type routeKey struct{}

func (a *App) routes() error {
	mux := &recordingMux{ServeMux: http.NewServeMux()}
	a.mux = mux
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.metrics.handler())
	mux.Handle("GET /static/", a.Site.Static())

	acctPages, err := account.NewPages(a.Account, a.Site, a.Org, a.Cfg.TrustProxy, a.Cfg.HTTPS())
	if err != nil {
		return err
	}
	acctPages.Routes(mux)
	orgPages, err := org.NewPages(a.Org, a.Site)
	if err != nil {
		return err
	}
	orgPages.Routes(mux)
	org.NewAPI(a.Org).Routes(mux)
	volPages, err := volunteer.NewPages(a.Volunteer, a.Site)
	if err != nil {
		return err
	}
	volPages.Routes(mux)
	volunteer.NewAPI(a.Volunteer).Routes(mux)
	adminPages, err := admin.NewPages(a.DB, a.Site)
	if err != nil {
		return err
	}
	adminPages.Routes(mux)
	a.searchRoutes(mux)
	if err := a.homeRoutes(mux); err != nil {
		return err
	}
	a.apiRoutes(mux)

	// Outermost first: client address, route holder for metrics, logging,
	// recovery, security headers, cross-origin protection, then who is asking.
	var h http.Handler = captureRoute(mux.ServeMux)
	h = a.refuseInvalidText(h)
	h = a.Account.Identify(h)
	cop := http.NewCrossOriginProtection()
	// Behind a proxy that rewrites Host, the public address is still our own origin.
	if err := cop.AddTrustedOrigin(a.Cfg.BaseURL); err != nil {
		return fmt.Errorf("trusted origin %q: %w", a.Cfg.BaseURL, err)
	}
	h = cop.Handler(h)
	h = httpx.SecurityHeaders(h)
	h = httpx.Recover(a.panicResponse, h)
	h = httpx.Logging(func(r *http.Request, status int, d time.Duration) {
		route, _ := r.Context().Value(routeKey{}).(*string)
		a.metrics.observe(*route, r, status, d)
	}, h)
	h = withRouteHolder(h)
	a.Handler = httpx.ClientIPMiddleware(a.Cfg.TrustProxy, h)
	return nil
}

// refuseInvalidText answers 400 to a path or query that is not valid UTF-8:
// PostgreSQL would refuse it later with an error that looks like ours.
func (a *App) refuseInvalidText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := utf8.ValidString(r.URL.Path)
		for _, vs := range r.URL.Query() {
			for _, v := range vs {
				ok = ok && utf8.ValidString(v)
			}
		}
		if !ok {
			a.errorResponse(w, r, httpx.ErrBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func withRouteHolder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, new(string))))
	})
}

// captureRoute notes the pattern the mux matched, for the metrics of the outer middleware.
func captureRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			*p = r.Pattern
		}
	})
}

func (a *App) panicResponse(w http.ResponseWriter, r *http.Request, err error) {
	a.errorResponse(w, r, err)
}

// errorResponse writes err as a problem for the API and as a page elsewhere.
func (a *App) errorResponse(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		httpx.WriteProblem(w, r, err)
		return
	}
	a.Site.Error(w, r, err)
}

func isAPI(r *http.Request) bool {
	return len(r.URL.Path) >= 8 && r.URL.Path[:8] == "/api/v1/"
}
