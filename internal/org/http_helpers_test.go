package org

import (
	"bytes"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

type server struct {
	*fixture
	mux *http.ServeMux
}

func newServer(t *testing.T, d *db.DB) *server {
	t.Helper()
	f := newFixture(t, d)
	site, err := web.New(false)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := NewPages(f.svc, site)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	pages.Routes(mux)
	NewAPI(f.svc).Routes(mux)
	return &server{fixture: f, mux: mux}
}

type response struct {
	*httptest.ResponseRecorder
	body string // unescaped, so expected texts may hold quotes
}

// request sends r as viewer (nil for anonymous) in lang.
func (s *server) request(t *testing.T, r *http.Request, v *httpx.Viewer, lang i18n.Lang) response {
	t.Helper()
	ctx := httpx.WithLocale(r.Context(), i18n.New(lang, i18n.Latin, nil))
	if v != nil {
		ctx = httpx.WithViewer(ctx, v)
	}
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r.WithContext(ctx))
	return response{ResponseRecorder: w, body: html.UnescapeString(w.Body.String())}
}

func (s *server) get(t *testing.T, path string, v *httpx.Viewer, lang i18n.Lang) response {
	t.Helper()
	return s.request(t, httptest.NewRequest(http.MethodGet, path, nil), v, lang)
}

func (s *server) post(t *testing.T, path string, form url.Values, v *httpx.Viewer, lang i18n.Lang) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.request(t, r, v, lang)
}

func (s *server) upload(t *testing.T, path, field, content string, v *httpx.Viewer, lang i18n.Lang) response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, "places.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return s.request(t, r, v, lang)
}

// rawID is a catalogue id that reached the page untranslated.
var rawID = regexp.MustCompile(`\b(org|error|nav|pager)\.[a-z_]+(\.[a-z_]+)*\b`)

// expect checks the status and that each text appears; texts starting with
// "org." or "error." are message ids, looked up in lang.
func (r response) expect(t *testing.T, status int, lang i18n.Lang, texts ...string) {
	t.Helper()
	if r.Code != status {
		t.Errorf("status %d, want %d; body: %.300s", r.Code, status, r.body)
		return
	}
	loc := i18n.New(lang, i18n.Latin, nil)
	for _, text := range texts {
		if strings.HasPrefix(text, "org.") || strings.HasPrefix(text, "error.") {
			text = loc.T(text)
		}
		if !strings.Contains(r.body, text) {
			t.Errorf("%s page lacks %q", lang, text)
		}
	}
	if strings.HasPrefix(r.Header().Get("Content-Type"), "text/html") {
		if m := rawID.FindString(r.body); m != "" {
			t.Errorf("untranslated message id %q on the page", m)
		}
	}
}

// redirect checks a 303 to a location starting with prefix.
func (r response) redirect(t *testing.T, prefix string) string {
	t.Helper()
	loc := r.Header().Get("Location")
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Errorf("got %d to %q, want a redirect to %s…; body: %.300s", r.Code, loc, prefix, r.body)
	}
	return loc
}

// flash is the notice id set for the next page.
func (r response) flash() string {
	for _, c := range r.Result().Cookies() {
		if c.Name == "flash" {
			v, _ := url.QueryUnescape(c.Value)
			return v
		}
	}
	return ""
}

var langs = []i18n.Lang{i18n.AR, i18n.EN}
