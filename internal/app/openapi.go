package app

import (
	"net/http"
	"strings"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/volunteer"
)

// recordingMux remembers every pattern registered, so a test can compare the
// API routes served with the ones the OpenAPI document describes.
type recordingMux struct {
	*http.ServeMux
	patterns []string
}

func (m *recordingMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *recordingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// APIRoutes lists the "METHOD /api/v1/…" patterns the server has.
func (a *App) APIRoutes() []string {
	var out []string
	for _, p := range a.mux.patterns {
		if method, path, ok := strings.Cut(p, " "); ok && strings.HasPrefix(path, "/api/v1/") {
			out = append(out, method+" "+path)
		}
	}
	return out
}

// meOperations are the app's own API routes.
var appOperations = []httpx.Operation{
	{Method: "GET", Path: "/api/v1/me", ID: "getMe", Summary: "The signed-in user", Tag: "account", Auth: true, Response: meResponse{}},
	{Method: "GET", Path: "/api/v1/openapi.json", ID: "getOpenAPI", Summary: "This document", Tag: "meta"},
}

// Operations is every documented API operation.
func Operations() []httpx.Operation {
	ops := append([]httpx.Operation{}, appOperations...)
	ops = append(ops, searchOperations...)
	ops = append(ops, org.APIOperations...)
	return append(ops, volunteer.APIOperations()...)
}

func (a *App) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	doc := httpx.OpenAPI("Sharaka API", Version(), Operations())
	return httpx.WriteJSON(w, http.StatusOK, doc)
}

// Mux is the router, for tests that ask which pattern serves a request.
func (a *App) Mux() *http.ServeMux { return a.mux.ServeMux }
