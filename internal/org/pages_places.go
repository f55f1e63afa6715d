package org

import (
	"net/http"

	"sharaka/internal/platform/web"
)

type placesPage struct {
	web.Page
	Parent   *Place
	Trail    []Place
	Children []Place
}

// places browses the geography: the countries, or the places under ?parent=.
func (p *Pages) places(w http.ResponseWriter, r *http.Request) error {
	ctx, parentID := r.Context(), r.URL.Query().Get("parent")
	pg := placesPage{Page: p.site.NewPage(w, r, "org.places.title")}
	var err error
	if parentID != "" {
		if pg.Parent, err = p.svc.Place(ctx, parentID); err != nil {
			return err
		}
		if pg.Trail, err = p.svc.Ancestors(ctx, parentID); err != nil {
			return err
		}
	}
	if pg.Children, err = p.svc.Children(ctx, parentID); err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "org/places", pg)
}
