package app

import (
	"embed"
	"net/http"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

//go:embed templates
var templates embed.FS

type homePage struct {
	web.Page
}

func (a *App) homeRoutes(mux httpx.Router) error {
	if err := a.Site.Add("app", templates, "templates"); err != nil {
		return err
	}
	mux.Handle("GET /{$}", a.Site.H(func(w http.ResponseWriter, r *http.Request) error {
		return a.Site.Render(w, http.StatusOK, "app/home", homePage{Page: a.Site.NewPage(w, r, "home.title")})
	}))
	// Anything else that is not an API path gets the site's own not-found page.
	mux.Handle("/", a.Site.H(func(w http.ResponseWriter, r *http.Request) error { return httpx.ErrNotFound }))
	return nil
}
