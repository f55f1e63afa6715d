package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
	"sharaka/internal/search"
	"sharaka/internal/volunteer"
)

// The site search: one box over every area's records, in the page at /search
// and in the API at /api/v1/search.

// searchKinds are the kinds a searcher may choose, with where a hit leads.
var searchKinds = map[string]string{
	volunteer.KindOpportunity: "/opportunities/",
	org.KindOrganisation:      "/organisations/",
}

// searchHit is a hit as the page and the API show it.
type searchHit struct {
	Kind    string        `json:"kind"`
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	URL     string        `json:"url"`
	Snippet []search.Part `json:"snippet"`
	Score   float64       `json:"score"`
}

type searchResponse struct {
	Query string `json:"query"`
	// Corrected is the query as run when a word in no record was replaced
	// by the nearest indexed word ("showing results for …").
	Corrected string      `json:"corrected,omitempty"`
	Hits      []searchHit `json:"hits"`
	// Facets count every match by kind and category, whatever kind and
	// category were chosen.
	Facets []search.Facet `json:"facets"`
}

var searchOperations = []httpx.Operation{
	suggestOperation,
	{Method: "GET", Path: "/api/v1/search", ID: "search", Tag: "search", Query: []string{"q", "kind", "category", "place", "limit"}, Response: searchResponse{},
		Summary: "Search opportunities and organisations in any spelling (q; kind = opportunity or organisation; category = an opportunity's field or an organisation's type; place = a place id, its places below included; limit ≤ 100), with counts by kind and category; private records only for their organisation's members"},
}

func (a *App) searchRoutes(mux httpx.Router) {
	mux.Handle("GET /search", a.Site.H(a.searchPage))
	mux.Handle("GET /api/v1/search", httpx.API(a.searchAPI))
	mux.Handle("GET /api/v1/suggest", httpx.API(a.suggestAPI))
}

// runSearch searches as the request's viewer: their organisations' private
// records included. corrected is the query as run after a typo was mended.
func (a *App) runSearch(ctx context.Context, text, kind, category, place string, limit int) (out []searchHit, corrected string, facets []search.Facet, err error) {
	q := search.Query{Text: text, Limit: limit, Category: category, Facets: true}
	if place != "" {
		if q.PlaceIDs, err = a.Org.PlaceTree(ctx, place); err != nil {
			return nil, "", nil, err
		}
		if len(q.PlaceIDs) == 0 {
			return nil, "", nil, &httpx.Error{Status: http.StatusBadRequest, Type: "search-place", MsgID: "search.error.place",
				Fields: map[string]string{"place": "search.error.place"}}
		}
	}
	if kind != "" {
		if _, ok := searchKinds[kind]; !ok {
			return nil, "", nil, &httpx.Error{Status: http.StatusBadRequest, Type: "search-kind", MsgID: "search.error.kind",
				Fields: map[string]string{"kind": "search.error.kind"}}
		}
		q.Kinds = []string{kind}
	} else {
		for k := range searchKinds {
			q.Kinds = append(q.Kinds, k)
		}
	}
	if v := httpx.ViewerFrom(ctx); v != nil {
		mine, err := a.Org.UserOrgs(ctx, v.ID)
		if err != nil {
			return nil, "", nil, err
		}
		for _, m := range mine {
			q.OrgIDs = append(q.OrgIDs, m.ID)
		}
	}
	res, err := a.searchIndex().Search(ctx, q)
	if err != nil {
		return nil, "", nil, err
	}
	out = make([]searchHit, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = searchHit{Kind: h.Kind, ID: h.RefID, Title: h.Title, URL: searchKinds[h.Kind] + h.RefID, Snippet: h.Snippet, Score: h.Score}
	}
	return out, res.Corrected, res.Facets, nil
}

type searchPage struct {
	web.Page
	Q, Kind   string
	Category  string
	Place     string
	Problem   string // a refused filter, in the reader's language
	Places    []web.Option
	Corrected string
	// KindLinks and CategoryLinks narrow the search, with their counts.
	KindLinks, CategoryLinks []searchFacetLink
	Kinds                    []string
	Hits                     []searchPageHit
	Count                    string
}

// searchFacetLink is a narrowing of the search the page offers.
type searchFacetLink struct {
	Label, URL string
	Count      string
	Current    bool
}

type searchPageHit struct {
	searchHit
	Name     string // the title in the reader's language
	KindName string
}

func (a *App) searchPage(w http.ResponseWriter, r *http.Request) error {
	pg := searchPage{Page: a.Site.NewPage(w, r, "search.title"), Q: strings.TrimSpace(r.URL.Query().Get("q")), Kind: r.URL.Query().Get("kind"),
		Category: r.URL.Query().Get("category"), Place: r.URL.Query().Get("place"), Kinds: []string{"", volunteer.KindOpportunity, org.KindOrganisation}}
	places, err := a.Org.PlaceOptions(r.Context(), pg.Lang)
	if err != nil {
		return err
	}
	for _, o := range places {
		o.Selected = o.Value == pg.Place
		pg.Places = append(pg.Places, o)
	}
	if pg.Q != "" {
		hits, corrected, facets, err := a.runSearch(r.Context(), pg.Q, pg.Kind, pg.Category, pg.Place, 30)
		var he *httpx.Error
		if errors.As(err, &he) && len(he.Fields) > 0 {
			// A kind or place that does not exist: the form again, saying so.
			pg.Problem = pg.T(he.MsgID)
			return a.Site.Render(w, he.Status, "app/search", pg)
		}
		if err != nil {
			return err
		}
		pg.Corrected = corrected
		pg.facetLinks(facets)
		for _, h := range hits {
			pg.Hits = append(pg.Hits, searchPageHit{searchHit: h, Name: localTitle(h.Title, pg.Lang), KindName: pg.T("search.kind." + h.Kind)})
		}
		pg.Count = pg.N("search.count", len(hits))
	}
	return a.Site.Render(w, http.StatusOK, "app/search", pg)
}

// localTitle picks the reader's language from a title indexed as the Arabic
// and the English one on two lines.
func localTitle(title string, lang i18n.Lang) string {
	ar, en, _ := strings.Cut(title, "\n")
	if lang == i18n.EN && strings.TrimSpace(en) != "" {
		return en
	}
	return ar
}

func (a *App) searchAPI(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	limit := 20
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := i18n.ParseInt(s)
		if err != nil || n < 1 || n > 100 {
			return &httpx.Error{Status: http.StatusBadRequest, Type: "search-limit", MsgID: "search.error.limit",
				Fields: map[string]string{"limit": "search.error.limit"}}
		}
		limit = int(n)
	}
	hits, corrected, facets, err := a.runSearch(r.Context(), q, r.URL.Query().Get("kind"), r.URL.Query().Get("category"), r.URL.Query().Get("place"), limit)
	if err != nil {
		return err
	}
	if hits == nil {
		hits = []searchHit{}
	}
	if facets == nil {
		facets = []search.Facet{}
	}
	return httpx.WriteJSON(w, http.StatusOK, searchResponse{Query: q, Corrected: corrected, Hits: hits, Facets: facets})
}

// searchIndex is the app's one search index, made on first use; it keeps the
// indexed words typo tolerance reads.
func (a *App) searchIndex() *search.Index {
	a.searchOnce.Do(func() { a.search = search.New(a.DB) })
	return a.search
}

// facetLinks turns the counts into links: every kind (and "everything"),
// and the categories of the chosen kind.
func (pg *searchPage) facetLinks(facets []search.Facet) {
	link := func(kind, category string) string {
		v := url.Values{"q": {pg.Q}}
		if pg.Place != "" {
			v.Set("place", pg.Place)
		}
		if kind != "" {
			v.Set("kind", kind)
		}
		if category != "" {
			v.Set("category", category)
		}
		return "/search?" + v.Encode()
	}
	byKind, total := map[string]int{}, 0
	for _, f := range facets {
		byKind[f.Kind] += f.Count
		total += f.Count
	}
	pg.KindLinks = append(pg.KindLinks, searchFacetLink{Label: pg.T("search.kind.all"), URL: link("", ""), Count: pg.Number(int64(total)), Current: pg.Kind == ""})
	for _, k := range []string{volunteer.KindOpportunity, org.KindOrganisation} {
		if byKind[k] > 0 {
			pg.KindLinks = append(pg.KindLinks, searchFacetLink{Label: pg.T("search.kind." + k), URL: link(k, ""), Count: pg.Number(int64(byKind[k])), Current: pg.Kind == k})
		}
	}
	if pg.Kind == "" {
		return
	}
	for _, f := range facets {
		if f.Kind != pg.Kind || f.Category == "" {
			continue
		}
		label := pg.T(volunteer.CategoryMsgID(f.Category))
		if f.Kind == org.KindOrganisation {
			label = pg.T(org.Type(f.Category).MsgID())
		}
		pg.CategoryLinks = append(pg.CategoryLinks, searchFacetLink{Label: label, URL: link(f.Kind, f.Category), Count: pg.Number(int64(f.Count)), Current: pg.Category == f.Category})
	}
}
