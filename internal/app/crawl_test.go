package app_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sharaka/internal/demo"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

var (
	hrefs = regexp.MustCompile(`href="(/[^"]*)"`)
	// A message id in the output means a translation is missing (T returns the id).
	// Form values (an action code in a select) are data, so only text and
	// human-facing attributes are checked.
	rawID = regexp.MustCompile(`(?:>\s*|(?:title|aria-label|placeholder|alt|content)=")((?:account|org|admin|audit|home|error|nav|pager|action|common|site|footer|lang|volunteer)\.[a-z_]+(?:\.[a-z_]+)*)\s*[<"]`)
)

// TestCrawlDemoInBothLanguages signs in as the demo admin and follows every
// local link from the home page, in Arabic and in English: every page must
// answer 200 with no untranslated message id on it.
func TestCrawlDemoInBothLanguages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, srv := newServer(t, d, true)
		if _, err := demo.Load(t.Context(), d, a.Account, a.Org, a.Volunteer); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"ar", "en"} {
			t.Run(lang, func(t *testing.T) {
				b := newBrowser(t, srv.URL)
				b.get("/lang?to=" + lang + "&next=/")
				resp, _ := b.post("/signin", url.Values{"email": {"admin@sharaka.example"}, "password": {demo.Password}})
				if resp.StatusCode != 303 {
					t.Fatalf("admin sign-in: %d", resp.StatusCode)
				}
				seen := map[string]bool{}
				queue := []string{"/", "/account", "/admin", "/admin/audit", "/admin/outbox", "/organisations", "/places"}
				for len(queue) > 0 && len(seen) < 150 {
					path := queue[0]
					queue = queue[1:]
					if seen[path] {
						continue
					}
					seen[path] = true
					resp, body := b.get(path)
					if resp.StatusCode != 200 {
						t.Errorf("%s: status %d", path, resp.StatusCode)
						continue
					}
					if !strings.Contains(body, `<html lang="`+lang+`"`) {
						t.Errorf("%s: not in %s", path, lang)
					}
					if m := rawID.FindStringSubmatch(body); m != nil {
						t.Errorf("%s: untranslated message id %q", path, m[1])
					}
					for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
						link := strings.ReplaceAll(m[1], "&amp;", "&")
						if strings.HasPrefix(link, "/lang") || strings.HasPrefix(link, "/static/") || strings.HasPrefix(link, "/invitations/") {
							continue
						}
						queue = append(queue, link)
					}
				}
				if len(seen) < 12 {
					t.Fatalf("crawled only %d pages: %v", len(seen), seen)
				}
			})
		}
	})
}
