package app

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"sharaka/internal/arabic"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Suggestions for a form's place or skill box: names, in either language,
// with a word starting with what was typed, in any spelling («مدين» offers
// «المدينة المنورة»).

type suggestion struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type suggestResponse struct {
	Suggestions []suggestion `json:"suggestions"`
}

var suggestOperation = httpx.Operation{Method: "GET", Path: "/api/v1/suggest", ID: "suggest", Tag: "search",
	Query: []string{"q", "kind", "limit"}, Response: suggestResponse{},
	Summary: "Places (kind=place) or skills (kind=skill) with a word of their Arabic or English name starting with q, in any spelling; labels in the caller's language"}

func (a *App) suggestAPI(w http.ResponseWriter, r *http.Request) error {
	q := arabic.Normalize(strings.TrimSpace(r.URL.Query().Get("q")))
	limit := 10
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := i18n.ParseInt(s)
		if err != nil || n < 1 || n > 50 {
			return &httpx.Error{Status: http.StatusBadRequest, Type: "suggest-limit", MsgID: "search.error.suggest_limit",
				Fields: map[string]string{"limit": "search.error.suggest_limit"}}
		}
		limit = int(n)
	}
	names, err := a.suggestNames(r.Context(), r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	lang := httpx.Locale(r.Context()).Lang
	out := []suggestion{}
	if q != "" {
		for _, n := range names {
			if startsAWord(n.ar, q) || startsAWord(n.en, q) {
				label := n.ar
				if lang == i18n.EN && n.en != "" {
					label = n.en
				}
				out = append(out, suggestion{ID: n.id, Label: label})
			}
		}
	}
	slices.SortFunc(out, func(x, y suggestion) int { return strings.Compare(x.Label, y.Label) })
	return httpx.WriteJSON(w, http.StatusOK, suggestResponse{Suggestions: out[:min(limit, len(out))]})
}

type suggestName struct{ id, ar, en string }

// suggestNames lists the names of one kind in both languages.
func (a *App) suggestNames(ctx context.Context, kind string) ([]suggestName, error) {
	var out []suggestName
	switch kind {
	case "place":
		ar, err := a.Org.PlaceOptions(ctx, i18n.AR)
		if err != nil {
			return nil, err
		}
		en, err := a.Org.PlaceOptions(ctx, i18n.EN)
		if err != nil {
			return nil, err
		}
		enByID := map[string]string{}
		for _, o := range en {
			enByID[o.Value] = o.Label
		}
		for _, o := range ar {
			out = append(out, suggestName{id: o.Value, ar: o.Label, en: enByID[o.Value]})
		}
	case "skill":
		skills, err := a.Volunteer.Skills(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range skills {
			out = append(out, suggestName{id: k.ID, ar: k.NameAr, en: k.NameEn})
		}
	default:
		return nil, &httpx.Error{Status: http.StatusBadRequest, Type: "suggest-kind", MsgID: "search.error.suggest_kind",
			Fields: map[string]string{"kind": "search.error.suggest_kind"}}
	}
	return out, nil
}

// startsAWord reports whether a word of name, normalised and with or
// without its article, starts with the normalised prefix q.
func startsAWord(name, q string) bool {
	for _, t := range arabic.Tokens(name) {
		if strings.HasPrefix(t.Text, q) || strings.HasPrefix(strings.TrimPrefix(t.Text, "ال"), q) {
			return true
		}
	}
	return false
}
