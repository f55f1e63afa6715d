package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"sharaka/internal/org"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
	"sharaka/internal/search"
	"sharaka/internal/volunteer"
)

// The site search: one box over every area's records, in the page at /search
// and in the API at /api/v1/search.

// searchKinds are the kinds a searcher may choose, with where a hit leads:
// every kind the index holds (an area that puts a new kind there adds it).
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
	// Corrected is the query as run, respelt, when the words as typed found
	// nothing ("showing results for …"): the other words as typed.
	Corrected string      `json:"corrected,omitempty"`
	Hits      []searchHit `json:"hits"`
	// Facets count every match by kind and category, whatever kind and
	// category were chosen.
	Facets []search.Facet `json:"facets"`
	// Next, when there are more hits, is the after of the next page.
	Next string `json:"next,omitempty"`
	// Total is how many matching records were ranked (at most 200).
	Total int `json:"total"`
	// FacetsCapped says the facets count only the newest 200 matches.
	FacetsCapped bool `json:"facets_capped"`
	// Capped says more records matched than are ranked (200): the newest
	// of them were ranked and counted. More words narrow the search.
	Capped bool `json:"capped"`
}

var searchOperations = []httpx.Operation{
	suggestOperation,
	{Method: "GET", Path: "/api/v1/search", ID: "search", Tag: "search", Query: []string{"q", "kind", "category", "place", "from", "to", "limit", "after"}, Response: searchResponse{},
		Summary: "Search opportunities and organisations in any spelling (q; kind = opportunity or organisation; category = an opportunity's field or an organisation's type; place = a place id, its places below included; from and to = YYYY-MM-DD, records whose days meet that range; limit ≤ 100; after = the next of the page before), with counts by kind and category; private records only for their organisation's members"},
}

func (a *App) searchRoutes(mux httpx.Router) {
	mux.Handle("GET /search", a.Site.H(a.searchPage))
	mux.Handle("GET /api/v1/search", httpx.API(a.searchAPI))
	mux.Handle("GET /api/v1/suggest", httpx.API(a.suggestAPI))
}

// searchParams are a search as the page and the API take it.
type searchParams struct {
	Text, Kind, Category, Place string
	From, To                    string // YYYY-MM-DD
	After                       string
	Limit                       int
}

func searchParamsFrom(r *http.Request, limit int) searchParams {
	v := r.URL.Query()
	return searchParams{Text: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), Category: v.Get("category"), Place: v.Get("place"),
		From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to")), After: v.Get("after"), Limit: limit}
}

// searchFieldError is a refused search parameter.
func searchFieldError(field, msgID string) error {
	return &httpx.Error{Status: http.StatusBadRequest, Type: "search-" + field, MsgID: msgID, Fields: map[string]string{field: msgID}}
}

// runSearch searches as the request's viewer: their organisations' private
// records included.
func (a *App) runSearch(ctx context.Context, p searchParams) (out []searchHit, res *search.Result, err error) {
	q := search.Query{Text: p.Text, Limit: p.Limit, Category: p.Category, Facets: true, After: p.After}
	if p.Place != "" {
		if q.PlaceIDs, err = a.Org.PlaceTree(ctx, p.Place); err != nil {
			return nil, nil, err
		}
		if len(q.PlaceIDs) == 0 {
			return nil, nil, searchFieldError("place", "search.error.place")
		}
	}
	if p.Kind != "" {
		if _, ok := searchKinds[p.Kind]; !ok {
			return nil, nil, searchFieldError("kind", "search.error.kind")
		}
		q.Kinds = []string{p.Kind}
	}
	// No kind chosen is every kind: searchKinds lists every kind the index
	// holds, and a search with a kind chosen is not respelt (the kind may be
	// why it found nothing).
	for _, f := range []struct {
		name string
		day  *string
	}{{"from", &p.From}, {"to", &p.To}} {
		if *f.day == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, i18n.NormalizeDigits(*f.day))
		if err != nil {
			return nil, nil, searchFieldError(f.name, "search.error.date")
		}
		*f.day = t.Format(time.DateOnly)
	}
	if p.From != "" && p.To != "" && p.From > p.To {
		return nil, nil, searchFieldError("to", "search.error.date_order")
	}
	q.From, q.To = p.From, p.To
	if v := httpx.ViewerFrom(ctx); v != nil {
		mine, err := a.Org.UserOrgs(ctx, v.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range mine {
			q.OrgIDs = append(q.OrgIDs, m.ID)
		}
	}
	res, err = a.searchIndex().Search(ctx, q)
	if errors.Is(err, search.ErrBadCursor) {
		return nil, nil, searchFieldError("after", "search.error.after")
	}
	if err != nil {
		return nil, nil, err
	}
	out = make([]searchHit, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = searchHit{Kind: h.Kind, ID: h.RefID, Title: h.Title, URL: searchKinds[h.Kind] + h.RefID, Snippet: h.Snippet, Score: h.Score}
	}
	return out, res, nil
}

type searchPage struct {
	web.Page
	searchParams
	Problem   string // a refused filter, in the reader's language
	Places    []web.Option
	Corrected string
	// KindLinks and CategoryLinks narrow the search, with their counts.
	KindLinks, CategoryLinks []searchFacetLink
	Kinds                    []string
	Hits                     []searchPageHit
	Count                    string
	Pager                    web.Pager
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

// searchPageSize is how many hits a page of the search shows.
const searchPageSize = 20

func (a *App) searchPage(w http.ResponseWriter, r *http.Request) error {
	pg := searchPage{Page: a.Site.NewPage(w, r, "search.title"), searchParams: searchParamsFrom(r, searchPageSize),
		Kinds: []string{"", volunteer.KindOpportunity, org.KindOrganisation}}
	places, err := a.Org.PlaceOptions(r.Context(), pg.Lang)
	if err != nil {
		return err
	}
	for _, o := range places {
		o.Selected = o.Value == pg.Place
		pg.Places = append(pg.Places, o)
	}
	if pg.Text != "" {
		hits, res, err := a.runSearch(r.Context(), pg.searchParams)
		var he *httpx.Error
		if errors.As(err, &he) && len(he.Fields) > 0 {
			// A kind, place, date or page that is not right: the form again, saying so.
			pg.Problem = pg.T(he.MsgID)
			return a.Site.Render(w, he.Status, "app/search", pg)
		}
		if err != nil {
			return err
		}
		pg.Corrected = res.Corrected
		pg.facetLinks(res.Facets, res.FacetsCapped)
		for _, h := range hits {
			pg.Hits = append(pg.Hits, searchPageHit{searchHit: h, Name: localTitle(h.Title, pg.Lang), KindName: pg.T("search.kind." + h.Kind)})
		}
		pg.Count = pg.N("search.count", res.Total)
		if res.Capped {
			pg.Count = pg.T("search.capped", "Count", pg.Number(search.MaxCandidates))
		}
		var first, next string
		if pg.After != "" {
			first = pg.link(pg.Kind, pg.Category, "")
		}
		if res.Next != "" {
			next = pg.link(pg.Kind, pg.Category, res.Next)
		}
		pg.Pager = pg.NewPager(first, next)
		pg.Pager.PrevText = pg.T("search.first")
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
	p := searchParamsFrom(r, 20)
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := i18n.ParseInt(s)
		if err != nil || n < 1 || n > 100 {
			return searchFieldError("limit", "search.error.limit")
		}
		p.Limit = int(n)
	}
	resp := searchResponse{Query: p.Text, Hits: []searchHit{}, Facets: []search.Facet{}}
	if p.Text != "" {
		hits, res, err := a.runSearch(r.Context(), p)
		if err != nil {
			return err
		}
		resp.Corrected, resp.Next, resp.Capped, resp.Total, resp.FacetsCapped = res.Corrected, res.Next, res.Capped, res.Total, res.FacetsCapped
		if len(hits) > 0 {
			resp.Hits = hits
		}
		if len(res.Facets) > 0 {
			resp.Facets = res.Facets
		}
	}
	return httpx.WriteJSON(w, http.StatusOK, resp)
}

// searchIndex is the app's one search index, made on first use; it keeps the
// indexed words typo tolerance reads.
func (a *App) searchIndex() *search.Index {
	a.searchOnce.Do(func() { a.search = search.New(a.DB) })
	return a.search
}

// link is the search page with the same words, place and dates, narrowed
// to a kind and category, at a page (after) or the first.
func (pg *searchPage) link(kind, category, after string) string {
	v := url.Values{"q": {pg.Text}}
	for k, val := range map[string]string{"place": pg.Place, "from": pg.From, "to": pg.To, "kind": kind, "category": category, "after": after} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return "/search?" + v.Encode()
}

// facetLinks turns the counts into links: every kind (and "everything"),
// and the categories of the chosen kind. Counts of only the newest matches
// (capped) are lower bounds, shown with a plus.
func (pg *searchPage) facetLinks(facets []search.Facet, capped bool) {
	count := func(n int) string {
		if capped {
			return pg.Number(int64(n)) + "+"
		}
		return pg.Number(int64(n))
	}
	byKind, total := map[string]int{}, 0
	for _, f := range facets {
		byKind[f.Kind] += f.Count
		total += f.Count
	}
	pg.KindLinks = append(pg.KindLinks, searchFacetLink{Label: pg.T("search.kind.all"), URL: pg.link("", "", ""), Count: count(total), Current: pg.Kind == ""})
	for _, k := range []string{volunteer.KindOpportunity, org.KindOrganisation} {
		if byKind[k] > 0 {
			pg.KindLinks = append(pg.KindLinks, searchFacetLink{Label: pg.T("search.kind." + k), URL: pg.link(k, "", ""), Count: count(byKind[k]), Current: pg.Kind == k})
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
		pg.CategoryLinks = append(pg.CategoryLinks, searchFacetLink{Label: label, URL: pg.link(f.Kind, f.Category, ""), Count: count(f.Count), Current: pg.Category == f.Category})
	}
}
