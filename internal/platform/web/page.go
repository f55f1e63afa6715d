package web

import (
	"net/http"
	"net/url"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Page is what the layout needs; every page's data struct embeds it, so
// templates call {{.T "id"}}, {{.N "id" n}}, {{.Date t}} directly.
type Page struct {
	*i18n.Locale
	Viewer *httpx.Viewer
	// Title is the catalogue id of the page title.
	Title string
	// Path is the request path, for the current-page marker and the language switch.
	Path  string
	Query string
	Flash *Flash
	Dev   bool
}

// Flash is a one-time notice carried across a redirect.
type Flash struct {
	Kind  string // "ok" or "error"
	MsgID string
}

const flashCookie = "flash"

// SetFlash remembers a notice for the next page the browser shows.
func SetFlash(w http.ResponseWriter, kind, msgID string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(kind + ":" + msgID), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func takeFlash(w http.ResponseWriter, r *http.Request) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return nil
	}
	for i := 0; i < len(v); i++ {
		if v[i] == ':' {
			kind, id := v[:i], v[i+1:]
			if (kind == "ok" || kind == "error") && i18n.Has(id) {
				return &Flash{Kind: kind, MsgID: id}
			}
			return nil
		}
	}
	return nil
}

// LangSwitchURL is the link that flips the page's language and comes back here.
func (p Page) LangSwitchURL() string {
	to := i18n.EN
	if p.Lang == i18n.EN {
		to = i18n.AR
	}
	next := p.Path
	if p.Query != "" {
		next += "?" + p.Query
	}
	return "/lang?to=" + string(to) + "&next=" + url.QueryEscape(next)
}

// OtherLang is the language the switch offers.
func (p Page) OtherLang() i18n.Lang {
	if p.Lang == i18n.EN {
		return i18n.AR
	}
	return i18n.EN
}
