package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSafeNextKeepsRedirectsLocal(t *testing.T) {
	cases := map[string]string{
		"/account":             "/account",
		"/organisations?x=1":   "/organisations?x=1",
		"":                     "/",
		"https://evil.example": "/",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"javascript:alert(1)":  "/",
		"/\t/evil.example":     "/",
		"/%09/evil.example":    "/",
		"/\n/evil.example":     "/",
		"/%2F/evil.example":    "/",
		"/places?parent=x#top": "/places?parent=x",
	}
	for in, want := range cases {
		if got := SafeNext(in, "/"); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAssetsAreChecksummedAndCached(t *testing.T) {
	s, err := New(false)
	if err != nil {
		t.Fatal(err)
	}
	u := s.assets.URL("css/app.css")
	if !strings.HasPrefix(u, "/static/css/app.css?v=") || len(u) < len("/static/css/app.css?v=")+8 {
		t.Fatalf("asset URL %q has no content hash", u)
	}
	rec := httptest.NewRecorder()
	s.Static().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("hashed asset: %d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	rec = httptest.NewRecorder()
	s.Static().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/css/app.css?v=stale", nil))
	if rec.Code != 200 || strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("stale hash must not be cached for a year: %q", rec.Header().Get("Cache-Control"))
	}
	rec = httptest.NewRecorder()
	s.Static().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/../render.go", nil))
	if rec.Code != 404 {
		t.Fatalf("path outside static: %d", rec.Code)
	}
	// The font the stylesheet names is embedded, so nothing is fetched at run time.
	for _, f := range []string{"fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2", "js/htmx.min.js"} {
		if _, ok := s.assets.hashes[f]; !ok {
			t.Errorf("%s is not embedded", f)
		}
	}
}

func TestAreaPartialsAreSharedNotPages(t *testing.T) {
	s, err := New(false)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"t/one.html":          {Data: []byte(`{{define "main"}}one:{{template "bit" .}}{{end}}`)},
		"t/two.html":          {Data: []byte(`{{define "main"}}two:{{template "bit" .}}{{end}}`)},
		"t/partial_bits.html": {Data: []byte(`{{define "bit"}}shared{{end}}`)},
	}
	if err := s.Add("x", fsys, "t"); err != nil {
		t.Fatal(err)
	}
	for _, name := range s.Names() {
		if strings.Contains(name, "partial") {
			t.Errorf("a partial became page %s", name)
		}
	}
	for _, page := range []string{"x/one", "x/two"} {
		var b strings.Builder
		if err := s.pages[page].ExecuteTemplate(&b, "main", nil); err != nil || !strings.HasSuffix(b.String(), ":shared") {
			t.Errorf("%s: %q %v", page, b.String(), err)
		}
	}
}
