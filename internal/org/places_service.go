package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// Place returns a place by id.
func (s *Service) Place(ctx context.Context, id string) (*Place, error) {
	p, err := placeByID(ctx, s.db.R, id)
	if err != nil {
		return nil, fmt.Errorf("place %s: %w", id, err)
	}
	return p, nil
}

// Children lists the places directly under parentID ("" for the countries),
// sorted by name in the language of the request's locale.
func (s *Service) Children(ctx context.Context, parentID string) ([]Place, error) {
	ps, err := placeChildren(ctx, s.db.R, parentID)
	if err != nil {
		return nil, fmt.Errorf("children of %q: %w", parentID, err)
	}
	lang := httpx.Locale(ctx).Lang
	c := collator(lang)
	slices.SortFunc(ps, func(a, b Place) int { return c.CompareString(a.Name(lang), b.Name(lang)) })
	return ps, nil
}

// Ancestors returns the places above id, country first, for a breadcrumb;
// the place itself is not included.
func (s *Service) Ancestors(ctx context.Context, id string) ([]Place, error) {
	if _, err := s.Place(ctx, id); err != nil {
		return nil, err
	}
	ps, err := placeAncestors(ctx, s.db.R, id)
	if err != nil {
		return nil, fmt.Errorf("ancestors of %s: %w", id, err)
	}
	return ps, nil
}

// IsWithin reports whether placeID is ancestorID or lies somewhere below it.
func (s *Service) IsWithin(ctx context.Context, placeID, ancestorID string) (bool, error) {
	return placeWithin(ctx, s.db.R, placeID, ancestorID)
}

// PlaceExists reports whether id names a place.
func (s *Service) PlaceExists(ctx context.Context, id string) (bool, error) {
	missing, err := missingPlaces(ctx, s.db.R, []string{id})
	return err == nil && len(missing) == 0, err
}

// CreatePlace adds one place; only a platform admin may. actorID "" is the
// system itself (command line, demo data), which has the database anyway.
func (s *Service) CreatePlace(ctx context.Context, in PlaceInput, actorID string) (*Place, error) {
	if err := s.requirePlatformAdmin(ctx, actorID); err != nil {
		return nil, err
	}
	errs := in.check()
	p := &Place{ID: db.NewID(), ParentID: in.ParentID, Level: in.Level, Code: in.Code, NameAr: in.NameAr, NameEn: in.NameEn,
		Lat: in.Lat, Lon: in.Lon, CreatedAt: s.now()}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var parentLevel Level
		if in.ParentID != "" {
			parent, err := placeByID(ctx, tx, in.ParentID)
			if errors.Is(err, db.ErrNotFound) {
				errs["parent_id"] = "org.place.error.parent_unknown"
			} else if err != nil {
				return err
			} else {
				parentLevel = parent.Level
			}
		}
		if _, bad := errs["parent_id"]; !bad {
			if msg := parentProblem(in.Level, parentLevel, in.ParentID != ""); msg != "" {
				errs["parent_id"] = msg
			}
		}
		if len(errs) > 0 {
			return httpx.Invalid(errs)
		}
		if err := insertPlace(ctx, tx, p); err != nil {
			if errors.Is(err, db.ErrConflict) {
				return httpx.Invalid(map[string]string{"code": "org.place.error.code_taken"})
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "places.create", TargetType: "place", TargetID: p.ID,
			IP: httpx.ClientIP(ctx), Details: map[string]string{"code": p.Code}})
	})
	if err != nil {
		return nil, fmt.Errorf("create place: %w", err)
	}
	return p, nil
}

func (s *Service) requirePlatformAdmin(ctx context.Context, actorID string) error {
	if actorID == "" {
		return nil
	}
	admin, err := isPlatformAdmin(ctx, s.db.R, actorID)
	if errors.Is(err, db.ErrNotFound) {
		return httpx.ErrForbidden
	}
	if err != nil {
		return err
	}
	if !admin {
		return httpx.ErrForbidden
	}
	return nil
}

// PlaceOptions lists the districts and neighbourhoods for a "where do you
// live" choice, labelled "District — Neighbourhood" in lang and sorted.
func (s *Service) PlaceOptions(ctx context.Context, lang i18n.Lang) ([]web.Option, error) {
	return s.placeOptions(ctx, lang, func(p *Place, byID map[string]*Place) (string, bool) {
		switch p.Level {
		case District:
			return p.Name(lang), true
		case Neighbourhood:
			if d := byID[p.ParentID]; d != nil {
				return d.Name(lang) + " — " + p.Name(lang), true
			}
			return p.Name(lang), true
		}
		return "", false
	})
}

// placeChoices lists every place labelled with its path below the country
// ("Region — City — District"), for choosing where an organisation works.
func (s *Service) placeChoices(ctx context.Context, lang i18n.Lang) ([]web.Option, error) {
	return s.placeOptions(ctx, lang, func(p *Place, byID map[string]*Place) (string, bool) {
		parts := []string{p.Name(lang)}
		for q := byID[p.ParentID]; q != nil && q.Level != Country; q = byID[q.ParentID] {
			parts = append(parts, q.Name(lang))
		}
		slices.Reverse(parts)
		return strings.Join(parts, " — "), true
	})
}

func (s *Service) placeOptions(ctx context.Context, lang i18n.Lang, label func(p *Place, byID map[string]*Place) (string, bool)) ([]web.Option, error) {
	ps, err := allPlaces(ctx, s.db.R)
	if err != nil {
		return nil, fmt.Errorf("place options: %w", err)
	}
	byID := make(map[string]*Place, len(ps))
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
	}
	var out []web.Option
	for i := range ps {
		if l, ok := label(&ps[i], byID); ok {
			out = append(out, web.Option{Value: ps[i].ID, Label: l})
		}
	}
	c := collator(lang)
	slices.SortFunc(out, func(a, b web.Option) int { return c.CompareString(a.Label, b.Label) })
	return out, nil
}

// collator sorts names as readers of lang expect (Arabic letters in
// alphabetical order whatever their Unicode order, case-insensitive Latin).
// A Collator keeps buffers, so each call gets its own.
func collator(lang i18n.Lang) *collate.Collator {
	tag := language.Arabic
	if lang == i18n.EN {
		tag = language.English
	}
	return collate.New(tag, collate.IgnoreCase)
}

// PlaceTree lists a place and every place below it (a district and its
// neighbourhoods), for filters that mean "in this place"; it is empty for an
// unknown place.
func (s *Service) PlaceTree(ctx context.Context, id string) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `WITH RECURSIVE sub(id) AS (
			SELECT id FROM places WHERE id = $1
			UNION ALL
			SELECT c.id FROM places c JOIN sub ON c.parent_id = sub.id
		) SELECT id FROM sub ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("place tree %s: %w", id, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("place tree %s: %w", id, err)
		}
		ids = append(ids, p)
	}
	return ids, rows.Err()
}
