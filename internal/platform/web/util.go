package web

import (
	"net/http"
	"net/url"
	"strings"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

// SafeNext returns next when it is a path on this site, else fallback, so that
// redirects after sign-in cannot send people elsewhere. Browsers drop tabs and
// newlines and read "\" as "/", so "/\t/evil" or "/\evil" would leave the site:
// any control character or backslash is refused, and the result is rebuilt
// from the parsed path and query alone.
func SafeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") {
		return fallback
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.ContainsFunc(u.Path, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return fallback
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// Redirect sends the browser to a local path after a successful post.
func Redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
