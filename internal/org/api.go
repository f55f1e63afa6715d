package org

import (
	"net/http"
	"strconv"
	"strings"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// API serves the organisation and place endpoints under /api/v1.
type API struct {
	svc *Service
}

// NewAPI builds the JSON handlers.
func NewAPI(svc *Service) *API { return &API{svc: svc} }

// APIOperations lists the operations Routes serves, for the OpenAPI document.
var APIOperations = []httpx.Operation{
	{Method: "GET", Path: "/api/v1/organisations", ID: "listOrganisations", Tag: "organisations", Query: []string{"type", "place", "after", "limit"}, Response: OrgList{},
		Summary: "List verified organisations, filtered by type and place (including the places below it)"},
	{Method: "POST", Path: "/api/v1/organisations", ID: "createOrganisation", Tag: "organisations", Auth: true, Body: Input{}, Response: Org{}, Status: http.StatusCreated,
		Summary: "Register an organisation; it is pending until a platform admin verifies it, and the caller becomes its owner"},
	{Method: "GET", Path: "/api/v1/organisations/{id}", ID: "getOrganisation", Tag: "organisations", Response: Org{},
		Summary: "Get an organisation (pending and rejected ones only for their members and platform admins)"},
	{Method: "GET", Path: "/api/v1/organisations/{id}/members", ID: "listOrganisationMembers", Tag: "organisations", Auth: true, Response: MemberList{},
		Summary: "List an organisation's members and their roles (members who may see them; 404 when the organisation is not visible to the caller)"},
	{Method: "GET", Path: "/api/v1/places", ID: "listPlaces", Tag: "places", Query: []string{"parent"}, Response: PlaceList{},
		Summary: "List the places directly under a parent, or the countries"},
	{Method: "GET", Path: "/api/v1/places/{id}", ID: "getPlace", Tag: "places", Response: PlaceDetail{},
		Summary: "Get a place with its ancestors"},
}

// Routes adds the endpoints to mux.
func (a *API) Routes(mux httpx.Router) {
	mux.Handle("GET /api/v1/organisations", httpx.API(a.listOrgs))
	mux.Handle("POST /api/v1/organisations", httpx.API(a.createOrg))
	mux.Handle("GET /api/v1/organisations/{id}", httpx.API(a.getOrg))
	mux.Handle("GET /api/v1/organisations/{id}/members", httpx.API(a.members))
	mux.Handle("GET /api/v1/places", httpx.API(a.listPlaces))
	mux.Handle("GET /api/v1/places/{id}", httpx.API(a.getPlace))
}

// List responses share one shape: the items and Next, the cursor of the next
// page ("" on the last one). Named types give the OpenAPI schemas their names.
type (
	OrgList struct {
		Items []*Org `json:"items"`
		Next  string `json:"next"`
	}
	MemberList struct {
		Items []Member `json:"items"`
		Next  string   `json:"next"`
	}
	PlaceList struct {
		Items []Place `json:"items"`
		Next  string  `json:"next"`
	}
)

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := ListFilter{Type: Type(q.Get("type")), PlaceID: q.Get("place"), After: q.Get("after")}
	if s := strings.TrimSpace(i18n.NormalizeDigits(q.Get("limit"))); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return httpx.Invalid(map[string]string{"limit": "org.error.limit"})
		}
		f.Limit = n
	}
	pg, err := a.svc.ListVerified(r.Context(), f)
	if err != nil {
		return err
	}
	out := OrgList{Items: pg.Items, Next: pg.Next}
	if out.Items == nil {
		out.Items = []*Org{}
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	if v == nil {
		return httpx.ErrUnauthorized
	}
	var in Input
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := a.svc.CreateOrg(r.Context(), v, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/organisations/"+o.ID)
	return httpx.WriteJSON(w, http.StatusCreated, o)
}

func (a *API) getOrg(w http.ResponseWriter, r *http.Request) error {
	o, err := a.svc.Org(r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, o)
}

func (a *API) members(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	// Visibility first: an organisation the caller may not see is not
	// found, like an unknown one, rather than forbidden.
	if _, err := a.svc.Org(ctx, v, id); err != nil {
		return err
	}
	ms, err := a.svc.Members(ctx, v, id)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []Member{}
	}
	return httpx.WriteJSON(w, http.StatusOK, MemberList{Items: ms})
}

func (a *API) listPlaces(w http.ResponseWriter, r *http.Request) error {
	parent := r.URL.Query().Get("parent")
	if parent != "" {
		if _, err := a.svc.Place(r.Context(), parent); err != nil {
			return err
		}
	}
	ps, err := a.svc.Children(r.Context(), parent)
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []Place{}
	}
	return httpx.WriteJSON(w, http.StatusOK, PlaceList{Items: ps})
}

// PlaceDetail is a place with its breadcrumb.
type PlaceDetail struct {
	*Place
	Ancestors []Place `json:"ancestors"`
}

func (a *API) getPlace(w http.ResponseWriter, r *http.Request) error {
	p, err := a.svc.Place(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	anc, err := a.svc.Ancestors(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if anc == nil {
		anc = []Place{}
	}
	return httpx.WriteJSON(w, http.StatusOK, PlaceDetail{Place: p, Ancestors: anc})
}
