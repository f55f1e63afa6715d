package account

import (
	"context"
	"embed"
	"errors"
	"math"
	"net/http"
	"strconv"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

//go:embed templates
var templates embed.FS

// PlaceChooser is what account pages need from places (owned by the org area).
type PlaceChooser interface {
	PlaceOptions(ctx context.Context, lang i18n.Lang) ([]web.Option, error)
	PlaceExists(ctx context.Context, id string) (bool, error)
}

// Pages serves the account screens.
type Pages struct {
	svc        *Service
	site       *web.Site
	places     PlaceChooser
	trustProxy bool
	// https: the public address is https, so cookies are Secure even when
	// TLS ends at a proxy that does not say so.
	https bool
}

// NewPages registers the account templates with the site.
func NewPages(svc *Service, site *web.Site, places PlaceChooser, trustProxy, https bool) (*Pages, error) {
	if err := site.Add("account", templates, "templates"); err != nil {
		return nil, err
	}
	return &Pages{svc: svc, site: site, places: places, trustProxy: trustProxy, https: https}, nil
}

// Routes adds the account screens to mux.
func (p *Pages) Routes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /signup", h(p.signupForm))
	mux.Handle("POST /signup", h(p.signup))
	mux.Handle("GET /signin", h(p.signinForm))
	mux.Handle("POST /signin", h(p.signin))
	mux.Handle("POST /signout", h(p.signout))
	mux.Handle("GET /password/forgot", h(p.forgotForm))
	mux.Handle("POST /password/forgot", h(p.forgot))
	mux.Handle("GET /password/reset", h(p.resetForm))
	mux.Handle("POST /password/reset", h(p.reset))
	mux.Handle("GET /account", h(p.settings))
	mux.Handle("POST /account", h(p.saveSettings))
	mux.Handle("POST /account/tokens", h(p.createToken))
	mux.Handle("POST /account/tokens/{id}/revoke", h(p.revokeToken))
	mux.Handle("GET /lang", h(p.switchLang))
	mux.Handle("GET /account/verify", h(p.verifyEmail))
	mux.Handle("POST /account/verify/resend", h(p.resendVerification))
}

type formPage struct {
	web.Page
	Form *web.Form
	Next string
	// Error is a whole-form message id (bad credentials, throttled).
	Error string
}

func (p *Pages) form(w http.ResponseWriter, r *http.Request, status int, name, title string, f *web.Form, formErr string) error {
	pg := formPage{Page: p.site.NewPage(w, r, title), Form: f, Next: web.SafeNext(r.FormValue("next"), ""), Error: formErr}
	return p.site.Render(w, status, name, pg)
}

// formError renders validation failures on the form and passes on anything else.
func (p *Pages) formError(w http.ResponseWriter, r *http.Request, err error, name, title string, f *web.Form) error {
	var he *httpx.Error
	if !errors.As(err, &he) || he.Status >= 500 {
		return err
	}
	if len(he.Fields) > 0 {
		f.SetErrors(he.Fields)
		return p.form(w, r, he.Status, name, title, f, "")
	}
	if he.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(he.RetryAfter.Seconds()))))
	}
	return p.form(w, r, he.Status, name, title, f, he.MsgID)
}

func (p *Pages) secure(r *http.Request) bool { return p.https || httpx.IsTLS(r, p.trustProxy) }

func (p *Pages) signupForm(w http.ResponseWriter, r *http.Request) error {
	return p.form(w, r, http.StatusOK, "account/signup", "account.signup.title", web.EmptyForm(), "")
}

func (p *Pages) signup(w http.ResponseWriter, r *http.Request) error {
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	in := SignUp{Email: f.Get("email"), Name: f.Get("name"), Password: r.PostFormValue("password"), Locale: httpx.Locale(r.Context()).Lang}
	u, err := p.svc.Register(r.Context(), in)
	if err != nil {
		return p.formError(w, r, err, "account/signup", "account.signup.title", f)
	}
	if err := p.startSession(w, r, u); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "account.signup.done")
	web.Redirect(w, r, web.SafeNext(f.Get("next"), "/account"))
	return nil
}

func (p *Pages) startSession(w http.ResponseWriter, r *http.Request, u *User) error {
	// A new sign-in replaces whatever session this browser had.
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := p.svc.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	secret, err := p.svc.StartSession(r.Context(), u, r.UserAgent())
	if err != nil {
		return err
	}
	SetSessionCookie(w, secret, p.secure(r))
	return nil
}

func (p *Pages) signinForm(w http.ResponseWriter, r *http.Request) error {
	return p.form(w, r, http.StatusOK, "account/signin", "account.signin.title", web.EmptyForm(), "")
}

func (p *Pages) signin(w http.ResponseWriter, r *http.Request) error {
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	u, err := p.svc.Authenticate(r.Context(), f.Get("email"), r.PostFormValue("password"))
	if err != nil {
		return p.formError(w, r, err, "account/signin", "account.signin.title", f)
	}
	if err := p.startSession(w, r, u); err != nil {
		return err
	}
	web.Redirect(w, r, web.SafeNext(f.Get("next"), "/"))
	return nil
}

func (p *Pages) signout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := p.svc.SignOut(r.Context(), c.Value); err != nil {
			return err
		}
	}
	ClearSessionCookie(w, p.secure(r))
	web.SetFlash(w, "ok", "account.signout.done")
	web.Redirect(w, r, "/")
	return nil
}

func (p *Pages) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return p.form(w, r, http.StatusOK, "account/forgot", "account.forgot.title", web.EmptyForm(), "")
}

func (p *Pages) forgot(w http.ResponseWriter, r *http.Request) error {
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	if err := p.svc.RequestReset(r.Context(), f.Get("email"), httpx.Locale(r.Context())); err != nil {
		return p.formError(w, r, err, "account/forgot", "account.forgot.title", f)
	}
	web.SetFlash(w, "ok", "account.forgot.sent")
	web.Redirect(w, r, "/signin")
	return nil
}

type resetPage struct {
	web.Page
	Form  *web.Form
	Token string
	// Expired hides the form when the link can no longer be used.
	Expired bool
}

func (p *Pages) resetForm(w http.ResponseWriter, r *http.Request) error {
	pg := resetPage{Page: p.site.NewPage(w, r, "account.reset.title"), Form: web.EmptyForm(), Token: r.URL.Query().Get("token")}
	ok, err := p.svc.ValidResetToken(r.Context(), pg.Token)
	if err != nil {
		return err
	}
	if !ok {
		pg.Form.Errors["token"] = "account.error.reset_invalid"
		pg.Expired = true
		return p.site.Render(w, http.StatusNotFound, "account/reset", pg)
	}
	return p.site.Render(w, http.StatusOK, "account/reset", pg)
}

func (p *Pages) reset(w http.ResponseWriter, r *http.Request) error {
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		f.Errors["confirm"] = "account.error.confirm"
	}
	var u *User
	if f.OK() {
		u, err = p.svc.ResetPassword(r.Context(), f.Get("token"), pw)
		var he *httpx.Error
		if errors.As(err, &he) && len(he.Fields) > 0 {
			f.SetErrors(he.Fields)
		} else if errors.Is(err, ErrResetInvalid) {
			f.Errors["token"] = "account.error.reset_invalid"
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		pg := resetPage{Page: p.site.NewPage(w, r, "account.reset.title"), Form: f, Token: f.Get("token")}
		return p.site.Render(w, http.StatusUnprocessableEntity, "account/reset", pg)
	}
	if err := p.startSession(w, r, u); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "account.reset.done")
	web.Redirect(w, r, "/account")
	return nil
}

// switchLang sets the language cookie (and the saved choice of a signed-in
// person) and returns to the page the switch was on.
func (p *Pages) switchLang(w http.ResponseWriter, r *http.Request) error {
	lang, ok := i18n.ParseLang(r.URL.Query().Get("to"))
	if !ok {
		return httpx.ErrBadRequest
	}
	http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: p.secure(r)})
	if v := httpx.ViewerFrom(r.Context()); v != nil {
		if err := p.svc.SetLocale(r.Context(), v.ID, lang); err != nil {
			return err
		}
	}
	web.Redirect(w, r, web.SafeNext(r.URL.Query().Get("next"), "/"))
	return nil
}

// verifyEmail follows the link sent to an address; it needs no sign-in.
func (p *Pages) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	if _, err := p.svc.VerifyEmail(r.Context(), r.URL.Query().Get("token")); err != nil {
		if errors.Is(err, ErrVerifyInvalid) {
			web.SetFlash(w, "error", "account.error.verify_invalid")
			web.Redirect(w, r, "/account")
			return nil
		}
		return err
	}
	web.SetFlash(w, "ok", "account.verify.done")
	web.Redirect(w, r, "/account")
	return nil
}

func (p *Pages) resendVerification(w http.ResponseWriter, r *http.Request) error {
	v, err := RequireUser(r)
	if err != nil {
		return err
	}
	if err := p.svc.ResendVerification(r.Context(), v.ID); err != nil {
		return err
	}
	web.SetFlash(w, "ok", "account.verify.sent")
	web.Redirect(w, r, "/account")
	return nil
}
