package app

import (
	"net/http"

	"sharaka/internal/platform/httpx"
)

type meResponse struct {
	ID      string `json:"id"`
	Email   string `json:"email"`
	Name    string `json:"name"`
	IsAdmin bool   `json:"is_admin"`
	Locale  string `json:"locale"`
}

func (a *App) apiRoutes(mux httpx.Router) {
	mux.Handle("GET /api/v1/me", httpx.API(a.apiMe))
	mux.Handle("GET /api/v1/openapi.json", httpx.API(a.apiOpenAPI))
	// Unknown API paths answer with a problem, not the HTML not-found page.
	mux.Handle("/api/", httpx.API(func(w http.ResponseWriter, r *http.Request) error { return httpx.ErrNotFound }))
}

func (a *App) apiMe(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	u, err := a.Account.User(r.Context(), v.ID)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, meResponse{ID: u.ID, Email: u.Email, Name: u.Name, IsAdmin: u.IsAdmin, Locale: string(u.Locale)})
}
