package org

import (
	"net/http"
	"net/url"
	"slices"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

type orgCard struct {
	*Org
	PlaceName, Excerpt string
}

type listPage struct {
	web.Page
	Filter      *web.Form
	TypeChoices []string
	PlaceField  web.FieldData
	Orgs        []orgCard
	Mine        []UserOrg
	Filtered    bool
	Pager       web.Pager
}

func (p *Pages) list(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	f := ListFilter{Type: Type(q.Get("type")), PlaceID: q.Get("place"), After: q.Get("after"), Before: q.Get("before")}
	if !f.Type.Valid() {
		f.Type = ""
	}
	res, err := p.svc.ListVerified(ctx, f)
	if err != nil {
		return err
	}
	pg := listPage{Page: p.site.NewPage(w, r, "org.list.title"), TypeChoices: typeChoices("org.list.any_type"),
		Filter:   &web.Form{Values: map[string]string{"type": string(f.Type), "place": f.PlaceID}, Errors: map[string]string{}},
		Filtered: f.Type != "" || f.PlaceID != ""}
	choices, err := p.svc.placeChoices(ctx, pg.Lang)
	if err != nil {
		return err
	}
	pg.PlaceField = placeSelect(pg.Page, pg.Filter, "place", "org.field.place", "org.list.any_place", choices)
	names := labels(choices)
	for _, o := range res.Items {
		pg.Orgs = append(pg.Orgs, orgCard{Org: o, PlaceName: names[o.HomePlaceID], Excerpt: excerpt(o.Description, 200)})
	}
	pg.Pager = pg.NewPager(pageURL(f, "before", res.Prev), pageURL(f, "after", res.Next))
	if v := pg.Viewer; v != nil {
		if pg.Mine, err = p.svc.UserOrgs(ctx, v.ID); err != nil {
			return err
		}
	}
	return p.site.Render(w, http.StatusOK, "org/list", pg)
}

// pageURL links to the neighbouring page of a filtered list; "" when there is none.
func pageURL(f ListFilter, key, cursor string) string {
	if cursor == "" {
		return ""
	}
	v := url.Values{key: {cursor}}
	if f.Type != "" {
		v.Set("type", string(f.Type))
	}
	if f.PlaceID != "" {
		v.Set("place", f.PlaceID)
	}
	return "/organisations?" + v.Encode()
}

type formPage struct {
	web.Page
	Form        *web.Form
	Action      string
	Org         *Org
	TypeChoices []string
	HomePlace   web.FieldData
	Areas       []web.Option
}

func (p *Pages) renderForm(w http.ResponseWriter, r *http.Request, status int, o *Org, f *web.Form, areas []string) error {
	title, action := "org.new.title", "/organisations/new"
	if o != nil {
		title, action = "org.edit.title", "/organisations/"+o.ID+"/edit"
	}
	pg := formPage{Page: p.site.NewPage(w, r, title), Form: f, Action: action, Org: o, TypeChoices: typeChoices("org.field.type_choose")}
	choices, err := p.svc.placeChoices(r.Context(), pg.Lang)
	if err != nil {
		return err
	}
	pg.HomePlace = placeSelect(pg.Page, f, "home_place_id", "org.field.home_place", "org.field.no_place", choices)
	for _, c := range choices {
		c.Selected = slices.Contains(areas, c.Value)
		pg.Areas = append(pg.Areas, c)
	}
	return p.site.Render(w, status, "org/form", pg)
}

// readInput reads the organisation form; service areas come as repeated values.
func readInput(r *http.Request) (*web.Form, Input, error) {
	f, err := web.NewForm(r)
	if err != nil {
		return nil, Input{}, httpx.ErrBadRequest
	}
	in := Input{NameAr: f.Get("name_ar"), NameEn: f.Get("name_en"), Type: Type(f.Get("type")), Description: f.Get("description"),
		Email: f.Get("email"), Phone: f.Get("phone"), HomePlaceID: f.Get("home_place_id"), ServiceAreas: r.PostForm["service_areas"]}
	return f, in, nil
}

func (p *Pages) newForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	return p.renderForm(w, r, http.StatusOK, nil, web.EmptyForm(), nil)
}

func (p *Pages) create(w http.ResponseWriter, r *http.Request) error {
	v, err := requireUser(r)
	if err != nil {
		return err
	}
	f, in, err := readInput(r)
	if err != nil {
		return err
	}
	o, err := p.svc.CreateOrg(r.Context(), v, in)
	if he, ok := fieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderForm(w, r, he.Status, nil, f, in.ServiceAreas)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "org.flash.created")
	web.Redirect(w, r, "/organisations/"+o.ID)
	return nil
}

func (p *Pages) editForm(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	// Org first: an organisation the viewer may not see is not found, not forbidden.
	o, err := p.svc.Org(ctx, v, id)
	if err != nil {
		return err
	}
	if err := p.svc.Require(ctx, v, EditOrg, id); err != nil {
		return err
	}
	f := web.EmptyForm()
	f.Values = map[string]string{"name_ar": o.NameAr, "name_en": o.NameEn, "type": string(o.Type), "description": o.Description,
		"email": o.Email, "phone": o.Phone, "home_place_id": o.HomePlaceID}
	return p.renderForm(w, r, http.StatusOK, o, f, o.ServiceAreas)
}

func (p *Pages) edit(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	f, in, err := readInput(r)
	if err != nil {
		return err
	}
	if err := p.visible(r); err != nil {
		return err
	}
	o, requeued, err := p.svc.updateOrg(ctx, v, id, in)
	if he, ok := fieldErrors(err); ok {
		if o, err = p.svc.Org(ctx, v, id); err != nil {
			return err
		}
		f.SetErrors(he.Fields)
		return p.renderForm(w, r, he.Status, o, f, in.ServiceAreas)
	}
	if err != nil {
		return err
	}
	if requeued {
		web.SetFlash(w, "ok", "org.flash.saved_pending")
	} else {
		web.SetFlash(w, "ok", "org.flash.saved")
	}
	web.Redirect(w, r, "/organisations/"+o.ID)
	return nil
}

type showPage struct {
	web.Page
	Org        *Org
	HomePlace  string
	Areas      []string
	Role       Role
	CanEdit    bool
	CanMembers bool
	// CanVolunteer: the viewer runs this organisation's volunteering.
	CanVolunteer bool
}

func (p *Pages) show(w http.ResponseWriter, r *http.Request) error {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	o, err := p.svc.Org(ctx, v, id)
	if err != nil {
		return err
	}
	pg := showPage{Page: p.site.NewPage(w, r, "org.show.title"), Org: o}
	if pg.Role, err = p.svc.RoleOf(ctx, v, id); err != nil {
		return err
	}
	if pg.CanEdit, err = p.svc.Can(ctx, v, EditOrg, id); err != nil {
		return err
	}
	if pg.CanMembers, err = p.svc.Can(ctx, v, ViewMembers, id); err != nil {
		return err
	}
	if pg.CanVolunteer, err = p.svc.Can(ctx, v, ManageVolunteering, id); err != nil {
		return err
	}
	// Platform admins may look at any organisation but do not run its volunteering.
	pg.CanVolunteer = pg.CanVolunteer && pg.Role != ""
	choices, err := p.svc.placeChoices(ctx, pg.Lang)
	if err != nil {
		return err
	}
	names := labels(choices)
	pg.HomePlace = names[o.HomePlaceID]
	for _, a := range o.ServiceAreas {
		pg.Areas = append(pg.Areas, names[a])
	}
	c := collator(pg.Lang)
	slices.SortFunc(pg.Areas, c.CompareString)
	return p.site.Render(w, http.StatusOK, "org/show", pg)
}
