package account

import (
	"errors"
	"net/http"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

type settingsPage struct {
	web.Page
	EmailVerified bool
	Zones         []web.Option
	Form          *web.Form
	Places        []web.Option
	Areas         []web.Option
	Tokens        []APIToken
	NewSecret     string
	TokenForm     *web.Form
}

func (p *Pages) renderSettings(w http.ResponseWriter, r *http.Request, status int, f, tf *web.Form, secret string) error {
	return p.renderSettingsAreas(w, r, status, f, tf, secret, nil)
}

// renderSettingsAreas shows the settings; areas are the ticked service areas
// (nil: the saved ones).
func (p *Pages) renderSettingsAreas(w http.ResponseWriter, r *http.Request, status int, f, tf *web.Form, secret string, areas []string) error {
	v, err := RequireUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, err := p.svc.User(ctx, v.ID)
	if err != nil {
		return err
	}
	if f == nil {
		f = web.EmptyForm()
		f.Values = map[string]string{"name": u.Name, "locale": string(u.Locale), "digits": string(u.Digits), "home_place": u.HomePlaceID, "time_zone": u.TimeZone}
	}
	if tf == nil {
		tf = web.EmptyForm()
	}
	pg := settingsPage{Page: p.site.NewPage(w, r, "account.settings.title"), Form: f, TokenForm: tf, NewSecret: secret, EmailVerified: u.EmailVerified}
	for _, z := range TimeZones {
		pg.Zones = append(pg.Zones, web.Option{Value: z, Label: z, Selected: z == f.Get("time_zone")})
	}
	if pg.Places, err = p.places.PlaceOptions(ctx, pg.Lang); err != nil {
		return err
	}
	if areas == nil {
		if areas, err = p.svc.ServiceAreas(ctx, v.ID); err != nil {
			return err
		}
	}
	ticked := map[string]bool{}
	for _, id := range areas {
		ticked[id] = true
	}
	for _, o := range pg.Places {
		pg.Areas = append(pg.Areas, web.Option{Value: o.Value, Label: o.Label, Selected: ticked[o.Value]})
	}
	for i := range pg.Places {
		pg.Places[i].Selected = pg.Places[i].Value == f.Get("home_place")
	}
	if pg.Tokens, err = p.svc.Tokens(ctx, v.ID); err != nil {
		return err
	}
	return p.site.Render(w, status, "account/settings", pg)
}

func (p *Pages) settings(w http.ResponseWriter, r *http.Request) error {
	return p.renderSettings(w, r, http.StatusOK, nil, nil, "")
}

func (p *Pages) saveSettings(w http.ResponseWriter, r *http.Request) error {
	v, err := RequireUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	pref := Preferences{Name: f.Get("name"), Locale: i18n.Lang(f.Get("locale")), Digits: i18n.Digits(f.Get("digits")),
		HomePlaceID: f.Get("home_place"), TimeZone: f.Get("time_zone"), ServiceAreas: r.PostForm["service_areas"]}
	if pref.HomePlaceID != "" {
		ok, err := p.places.PlaceExists(r.Context(), pref.HomePlaceID)
		if err != nil {
			return err
		}
		if !ok {
			f.Errors["home_place"] = "error.choice"
		}
	}
	for _, id := range pref.ServiceAreas {
		ok, err := p.places.PlaceExists(r.Context(), id)
		if err != nil {
			return err
		}
		if !ok {
			f.Errors["service_areas"] = "error.choice"
		}
	}
	err = nil
	if f.OK() {
		err = p.svc.UpdatePreferences(r.Context(), v.ID, pref)
	}
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Fields) > 0 {
		f.SetErrors(he.Fields)
	} else if err != nil {
		return err
	}
	if !f.OK() {
		return p.renderSettingsAreas(w, r, http.StatusUnprocessableEntity, f, nil, "", pref.ServiceAreas)
	}
	// The language chosen here wins over an earlier switch.
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: string(pref.Locale), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: p.secure(r)})
	web.SetFlash(w, "ok", "account.settings.saved")
	web.Redirect(w, r, "/account")
	return nil
}

func (p *Pages) createToken(w http.ResponseWriter, r *http.Request) error {
	v, err := RequireUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	secret, _, err := p.svc.CreateToken(r.Context(), v.ID, f.Get("token_name"))
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) && len(he.Fields) > 0 {
			f.Errors["token_name"] = he.Fields["name"]
			return p.renderSettings(w, r, he.Status, nil, f, "")
		}
		return err
	}
	// The secret is shown once, on this response, and never again.
	w.Header().Set("Cache-Control", "no-store")
	return p.renderSettings(w, r, http.StatusCreated, nil, nil, secret)
}

func (p *Pages) revokeToken(w http.ResponseWriter, r *http.Request) error {
	v, err := RequireUser(r)
	if err != nil {
		return err
	}
	if err := p.svc.RevokeToken(r.Context(), v.ID, r.PathValue("id")); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "account.token.revoked")
	web.Redirect(w, r, "/account")
	return nil
}
