package volunteer

import (
	"errors"
	"html/template"
	"net/http"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// The certificate screens: a coordinator issues and revokes; the bilingual
// certificate page and the verification page are public by code.

func (p *Pages) certificateRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("GET /organisations/{id}/certificates", h(p.orgCertificates))
	mux.Handle("POST /organisations/{id}/certificates", h(p.issueCertificate))
	mux.Handle("POST /certificates/{id}/revoke", h(p.revokeCertificate))
	mux.Handle("GET /certificates/{code}", h(p.certificate))
	mux.Handle("GET /verify", h(p.verifyForm))
	mux.Handle("GET /verify/{code}", h(p.verify))
}

type orgCertificatesPage struct {
	attPage
	Org        *org.Org
	Candidates []web.Option
	Form       *web.Form
	Items      []Certificate
	Pager      web.Pager
	First      string // the first page, when this is a later one
	MaxDay     string
}

func (p *Pages) renderOrgCertificates(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	ctx, id, after := r.Context(), r.PathValue("id"), r.URL.Query().Get("after")
	items, next, err := p.svc.OrgCertificates(ctx, v, id, after)
	if err != nil {
		return err
	}
	o, err := p.svc.orgs.Org(ctx, v, id)
	if err != nil {
		return err
	}
	cands, err := p.svc.CertificateCandidates(ctx, v, id)
	if err != nil {
		return err
	}
	pg := orgCertificatesPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.certificate.org.title")}, Org: o, Form: f, Items: items,
		MaxDay: p.svc.attToday()}
	if f.Get("to") == "" {
		f.Values["to"] = pg.MaxDay
	}
	pg.Candidates = append(pg.Candidates, web.Option{Value: "", Label: pg.T("volunteer.certificate.field.user_choose")})
	for _, c := range cands {
		label := pg.T("volunteer.certificate.field.candidate", "Name", isolateText(c.Name), "Duration", pg.Minutes(c.Minutes),
			"First", pg.Digitize(c.First), "Last", pg.Digitize(c.Last))
		pg.Candidates = append(pg.Candidates, web.Option{Value: c.UserID, Label: label, Selected: c.UserID == f.Get("user_id")})
	}
	base := "/organisations/" + id + "/certificates"
	nextURL := ""
	if next != "" {
		nextURL = base + "?after=" + next
	}
	if after != "" {
		pg.First = base
	}
	pg.Pager = pg.NewPager("", nextURL)
	w.Header().Set("Cache-Control", "no-store")
	return p.site.Render(w, status, "volunteer/certificate_org", pg)
}

// isolateText wraps a name that goes inside a translated sentence in
// first-strong isolates (the plain-text <bdi>).
func isolateText(s string) string { return "\u2068" + s + "\u2069" }

func (p *Pages) orgCertificates(w http.ResponseWriter, r *http.Request) error {
	f := web.EmptyForm()
	f.Values["user_id"] = r.URL.Query().Get("user")
	return p.renderOrgCertificates(w, r, http.StatusOK, f)
}

func (p *Pages) issueCertificate(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	c, err := p.svc.IssueCertificate(r.Context(), v, r.PathValue("id"), CertificateInput{UserID: f.Get("user_id"), From: f.Get("from"), To: f.Get("to")})
	if he, ok := attFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderOrgCertificates(w, r, he.Status, f)
	}
	if errors.Is(err, ErrCertificateNoHours) || errors.Is(err, ErrCertificateOwn) {
		f.SetErrors(map[string]string{"user_id": httpx.As(err).MsgID})
		return p.renderOrgCertificates(w, r, httpx.As(err).Status, f)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.certificate.flash.issued")
	web.Redirect(w, r, "/certificates/"+c.Code)
	return nil
}

func (p *Pages) revokeCertificate(w http.ResponseWriter, r *http.Request) error {
	v, err := attUser(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	c, err := p.svc.RevokeCertificate(r.Context(), v, r.PathValue("id"), f.Get("reason"))
	back := web.SafeNext(f.Get("next"), "/volunteer/hours")
	if he, ok := attFieldErrors(err); ok {
		for _, m := range he.Fields {
			web.SetFlash(w, "error", m)
		}
		web.Redirect(w, r, back)
		return nil
	}
	if msg, ok := attRefusal(err); ok {
		web.SetFlash(w, "error", msg)
		web.Redirect(w, r, back)
		return nil
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.certificate.flash.revoked")
	web.Redirect(w, r, web.SafeNext(f.Get("next"), "/organisations/"+c.OrgID+"/certificates"))
	return nil
}

// certSide is the certificate in one language.
type certSide struct {
	Loc      *i18n.Locale
	Name     string
	Code     string
	Lang     string
	Dir      string
	OrgName  string
	Duration string
	From     string
	To       string
	Issued   string
	Hijri    string
}

type certificatePage struct {
	attPage
	Cert      *Certificate
	AR, EN    certSide
	QR        template.URL
	VerifyURL string
}

func (p *Pages) buildCertSide(c *Certificate, loc *i18n.Locale) certSide {
	s := certSide{Loc: loc, Name: c.UserName, Code: c.Code, Lang: string(loc.Lang), Dir: loc.Dir(), OrgName: c.OrgName(loc.Lang), Duration: FormatMinutes(loc, c.Minutes),
		From: loc.Date(c.FromDay()), To: loc.Date(c.ToDay()), Issued: loc.Date(c.IssuedAt)}
	if loc.Lang == i18n.EN {
		s.Hijri = loc.Hijri(c.IssuedAt)
	}
	return s
}

// certificate is the bilingual, printable certificate. It is public by
// code and shows no more than the verification page does.
func (p *Pages) certificate(w http.ResponseWriter, r *http.Request) error {
	c, err := p.svc.CertificateByCode(r.Context(), r.PathValue("code"))
	if errors.Is(err, db.ErrNotFound) {
		return p.renderVerify(w, r, http.StatusNotFound, r.PathValue("code"), nil)
	}
	if err != nil {
		return err
	}
	if c.RevokedAt != nil {
		vr, err := p.svc.VerifyCertificate(r.Context(), c.Code)
		if err != nil {
			return err
		}
		return p.renderVerify(w, r, http.StatusOK, c.Code, vr)
	}
	pg := certificatePage{attPage: attPage{p.site.NewPage(w, r, "volunteer.certificate.title")}, Cert: c, VerifyURL: p.svc.VerifyURL(c.Code)}
	arDigits := i18n.Digits("")
	if pg.Lang == i18n.AR {
		arDigits = pg.Digits
	}
	pg.AR = p.buildCertSide(c, i18n.New(i18n.AR, arDigits, pg.Locale.Zone))
	pg.EN = p.buildCertSide(c, i18n.New(i18n.EN, i18n.Latin, pg.Locale.Zone))
	if pg.QR, err = QRDataURI(pg.VerifyURL); err != nil {
		return err
	}
	return p.site.Render(w, http.StatusOK, "volunteer/certificate_show", pg)
}

type verifyPage struct {
	attPage
	Code         string
	V            *Verification
	NotFound     bool
	Form         *web.Form
	OrgName      string
	From, To     string
	Issued       string
	RevokedOn    string
	Duration     string
	CertifiedURL string
}

func (p *Pages) renderVerify(w http.ResponseWriter, r *http.Request, status int, code string, vr *Verification) error {
	pg := verifyPage{attPage: attPage{p.site.NewPage(w, r, "volunteer.verify.title")}, Code: NormalizeCertificateCode(code), V: vr, Form: web.EmptyForm()}
	pg.NotFound = vr == nil && code != ""
	pg.Form.Values["code"] = pg.Code
	if vr != nil {
		if vr.RevokedAt != nil {
			pg.RevokedOn = pg.Date(*vr.RevokedAt)
		} else {
			pg.OrgName = vr.OrgNameAr
			if pg.Lang == i18n.EN && vr.OrgNameEn != "" {
				pg.OrgName = vr.OrgNameEn
			}
			pg.From, pg.To, pg.Issued = pg.Date(hoursDayTime(vr.From)), pg.Date(hoursDayTime(vr.To)), pg.Date(hoursDayTime(vr.IssuedOn))
			pg.Duration = pg.Minutes(vr.Minutes)
			pg.CertifiedURL = "/certificates/" + vr.Code
		}
	}
	if pg.NotFound {
		pg.Form.Errors["code"] = "volunteer.verify.not_found"
	}
	return p.site.Render(w, status, "volunteer/certificate_verify", pg)
}

// verifyForm asks for a code, or sends a typed one to its page.
func (p *Pages) verifyForm(w http.ResponseWriter, r *http.Request) error {
	if code := NormalizeCertificateCode(r.URL.Query().Get("code")); code != "" {
		web.Redirect(w, r, "/verify/"+code)
		return nil
	}
	return p.renderVerify(w, r, http.StatusOK, "", nil)
}

// verify is the public check of a certificate.
func (p *Pages) verify(w http.ResponseWriter, r *http.Request) error {
	vr, err := p.svc.VerifyCertificate(r.Context(), r.PathValue("code"))
	if errors.Is(err, db.ErrNotFound) {
		return p.renderVerify(w, r, http.StatusNotFound, r.PathValue("code"), nil)
	}
	if err != nil {
		return err
	}
	return p.renderVerify(w, r, http.StatusOK, vr.Code, vr)
}
