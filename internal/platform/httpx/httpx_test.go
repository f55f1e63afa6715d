package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientIPTakesTheProxysEntry(t *testing.T) {
	var got string
	h := ClientIPMiddleware(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r.Context()) }))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.2:5555"
	r.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "203.0.113.7" {
		t.Fatalf("trusted proxy: client IP %q, want the entry the proxy appended", got)
	}
	got = ""
	ClientIPMiddleware(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r.Context()) })).ServeHTTP(httptest.NewRecorder(), r)
	if got != "10.0.0.2" {
		t.Fatalf("no proxy: client IP %q, want the peer", got)
	}
}

func TestRedactPathHidesSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"/invitations/abcDEF123":       "/invitations/…",
		"/calendar/k3y.ics":            "/calendar/…",
		"/organisations/x/invitations": "/organisations/x/invitations",
		"/invitations/":                "/invitations/",
	} {
		if got := RedactPath(in); got != want {
			t.Errorf("RedactPath(%q) = %q, want %q", in, got, want)
		}
	}
}
