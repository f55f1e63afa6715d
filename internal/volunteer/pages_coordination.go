package volunteer

import (
	"errors"
	"net/http"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

// The coordinators' roster actions added after the roster itself: taking a
// vetting back and verifying a volunteer's skill. Both return to the page
// named by the form's next field (the roster), the organisation's page otherwise.

func (p *Pages) coordinationRoutes(mux httpx.Router) {
	h := p.site.H
	mux.Handle("POST /organisations/{id}/vettings/{user}/revoke", h(p.revokeVetting))
	mux.Handle("POST /organisations/{id}/volunteers/{user}/skills/{skill}/verify", h(p.verifySkill))
}

// coordBack reads the form and the page to return to.
func coordBack(r *http.Request) (string, error) {
	f, err := web.NewForm(r)
	if err != nil {
		return "", httpx.ErrBadRequest
	}
	return web.SafeNext(f.Get("next"), "/organisations/"+r.PathValue("id")), nil
}

func (p *Pages) revokeVetting(w http.ResponseWriter, r *http.Request) error {
	back, err := coordBack(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = p.svc.RevokeVetting(ctx, httpx.ViewerFrom(ctx), r.PathValue("id"), r.PathValue("user"))
	switch {
	case errors.Is(err, ErrNotVetted):
		web.SetFlash(w, "error", ErrNotVetted.MsgID)
	case err != nil:
		return err
	default:
		web.SetFlash(w, "ok", "volunteer.coordination.flash.vet_revoked")
	}
	web.Redirect(w, r, back)
	return nil
}

func (p *Pages) verifySkill(w http.ResponseWriter, r *http.Request) error {
	back, err := coordBack(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = p.svc.VerifySkill(ctx, httpx.ViewerFrom(ctx), r.PathValue("id"), r.PathValue("user"), r.PathValue("skill"))
	switch {
	case errors.Is(err, ErrSkillNotClaimed):
		web.SetFlash(w, "error", ErrSkillNotClaimed.MsgID)
	case err != nil:
		return err
	default:
		web.SetFlash(w, "ok", "volunteer.coordination.flash.skill_verified")
	}
	web.Redirect(w, r, back)
	return nil
}
