package web

import (
	"net/http"
	"net/url"
	"strings"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

// SafeNext returns next when it is a local path, else fallback, so that
// redirects after sign-in cannot send people to another site.
func SafeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return fallback
	}
	return next
}

// Redirect sends the browser to a local path after a successful post.
func Redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
