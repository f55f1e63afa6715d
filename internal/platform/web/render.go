// Package web renders server-side pages inside the shared layout and serves
// the embedded static assets.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"sharaka/internal/platform/httpx"
)

//go:embed templates
var layoutFS embed.FS

// Site renders pages and adapts page handlers. Areas register their
// templates with Add at start-up, before serving.
type Site struct {
	Dev    bool
	assets *assets
	base   *template.Template
	pages  map[string]*template.Template
}

// New parses the shared layout and partials.
func New(dev bool) (*Site, error) {
	a, err := newAssets()
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	s := &Site{Dev: dev, assets: a, pages: map[string]*template.Template{}}
	s.base, err = template.New("").Funcs(s.funcs()).ParseFS(layoutFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	if err := s.Add("web", layoutFS, "templates/pages"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": s.assets.URL,
		"add":   func(a, b int) int { return a + b },
		"list":  func(s ...string) []string { return s },
	}
}

// Add parses every dir/*.html of fsys as a page named area/file (without
// .html). Files named partial_*.html are the area's partials: parsed
// into each of its pages, never pages themselves.
func (s *Site) Add(area string, fsys fs.FS, dir string) error {
	files, err := fs.Glob(fsys, dir+"/*.html")
	if err != nil {
		return err
	}
	partials, err := fs.Glob(fsys, dir+"/partial_*.html")
	if err != nil {
		return err
	}
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "partial_") {
			continue
		}
		t, err := s.base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, append([]string{f}, partials...)...); err != nil {
			return fmt.Errorf("parse %s: %w", f, err)
		}
		name := area + "/" + strings.TrimSuffix(path.Base(f), ".html")
		s.pages[name] = t
	}
	return nil
}

// Names lists the registered pages, for tests that render every one.
func (s *Site) Names() []string {
	out := make([]string, 0, len(s.pages))
	for n := range s.pages {
		out = append(out, n)
	}
	return out
}

// Render executes a page into a buffer first, so a template error never
// leaves a half-written page.
func (s *Site) Render(w http.ResponseWriter, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// NewPage fills the layout's data for this request.
func (s *Site) NewPage(w http.ResponseWriter, r *http.Request, titleID string) Page {
	return Page{
		Locale: httpx.Locale(r.Context()),
		Viewer: httpx.ViewerFrom(r.Context()),
		Title:  titleID,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Flash:  takeFlash(w, r),
		Dev:    s.Dev,
	}
}

// Static serves /static/.
func (s *Site) Static() http.Handler { return s.assets }

type errorPage struct {
	Page
	Status int
	MsgID  string
	Detail string
}

// Error renders err as an HTML error page (problems for the API are httpx's).
func (s *Site) Error(w http.ResponseWriter, r *http.Request, err error) {
	e := httpx.As(err)
	httpx.LogIfInternal(r, e)
	if e.Status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	p := errorPage{Page: s.NewPage(w, r, e.MsgID), Status: e.Status, MsgID: e.MsgID, Detail: e.Detail}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(e.RetryAfter.Seconds()+0.999)))
	}
	if rerr := s.Render(w, e.Status, "web/error", p); rerr != nil {
		slog.ErrorContext(r.Context(), "render error page", "err", rerr)
		http.Error(w, http.StatusText(e.Status), e.Status)
	}
}

// H adapts a page handler: a returned error becomes an error page.
func (s *Site) H(h httpx.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}
