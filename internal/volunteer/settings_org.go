package volunteer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/web"
)

// Limits of an organisation's volunteering settings.
const (
	MaxNoShowLimit      = 20
	MaxNoShowWindowDays = 365
	MaxCheckinGrace     = 720
)

// OrgSettingsInput is how an organisation runs its volunteering.
type OrgSettingsInput struct {
	// HoursApproval: auto approves hours from attendance; review waits for a coordinator.
	HoursApproval Approval `json:"hours_approval"`
	// NoShowLimit refuses sign-ups after this many no-shows within the window (0: no limit).
	NoShowLimit      int `json:"no_show_limit"`
	NoShowWindowDays int `json:"no_show_window_days"`
	// CheckinGraceMinutes: a check-in without check-out closes this long after the shift ends.
	CheckinGraceMinutes int `json:"checkin_grace_minutes"`
}

func (in *OrgSettingsInput) check() map[string]string {
	errs := map[string]string{}
	if in.HoursApproval != AutoApproval && in.HoursApproval != ReviewApproval {
		errs["hours_approval"] = "error.choice"
	}
	if in.NoShowLimit < 0 || in.NoShowLimit > MaxNoShowLimit {
		errs["no_show_limit"] = "volunteer.orgsettings.error.no_show_limit"
	}
	if in.NoShowWindowDays < 1 || in.NoShowWindowDays > MaxNoShowWindowDays {
		errs["no_show_window_days"] = "volunteer.orgsettings.error.window"
	}
	if in.CheckinGraceMinutes < 0 || in.CheckinGraceMinutes > MaxCheckinGrace {
		errs["checkin_grace_minutes"] = "volunteer.orgsettings.error.grace"
	}
	return errs
}

// requireOrgSettings lets in the organisation's coordinators who may also edit
// the organisation (owners and admins); platform admins are not coordinators.
func (s *Service) requireOrgSettings(ctx context.Context, viewer *httpx.Viewer, orgID string) error {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return err
	}
	return s.orgs.Require(ctx, viewer, org.EditOrg, orgID)
}

// CanEditOrgSettings reports whether the viewer may change the
// organisation's volunteering settings, for pages that link to them.
func (s *Service) CanEditOrgSettings(ctx context.Context, viewer *httpx.Viewer, orgID string) (bool, error) {
	err := s.requireOrgSettings(ctx, viewer, orgID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, httpx.ErrForbidden), errors.Is(err, httpx.ErrUnauthorized):
		return false, nil
	}
	return false, err
}

// OrgSettings returns an organisation's volunteering settings (the defaults
// when never saved) to those who may change them.
func (s *Service) OrgSettings(ctx context.Context, viewer *httpx.Viewer, orgID string) (OrgSettingsInput, error) {
	if err := s.requireOrgSettings(ctx, viewer, orgID); err != nil {
		return OrgSettingsInput{}, err
	}
	st, err := loadOrgSettings(ctx, s.db.R, orgID)
	if err != nil {
		return OrgSettingsInput{}, err
	}
	return OrgSettingsInput(st), nil
}

// SaveOrgSettings saves how the organisation runs its volunteering; audited.
func (s *Service) SaveOrgSettings(ctx context.Context, viewer *httpx.Viewer, orgID string, in OrgSettingsInput) error {
	if err := s.requireOrgSettings(ctx, viewer, orgID); err != nil {
		return err
	}
	if errs := in.check(); len(errs) > 0 {
		return httpx.Invalid(errs)
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO org_volunteer_settings (org_id, hours_approval, no_show_limit, no_show_window_days,
				checkin_grace_minutes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (org_id) DO UPDATE SET hours_approval = excluded.hours_approval, no_show_limit = excluded.no_show_limit,
				no_show_window_days = excluded.no_show_window_days, checkin_grace_minutes = excluded.checkin_grace_minutes,
				updated_at = excluded.updated_at`,
			orgID, string(in.HoursApproval), in.NoShowLimit, in.NoShowWindowDays, in.CheckinGraceMinutes, s.now())
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.settings", TargetType: "organisation", TargetID: orgID,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{
				"hours_approval": string(in.HoursApproval), "no_show_limit": strconv.Itoa(in.NoShowLimit),
				"no_show_window_days": strconv.Itoa(in.NoShowWindowDays), "checkin_grace_minutes": strconv.Itoa(in.CheckinGraceMinutes)}})
	})
	if err != nil {
		return fmt.Errorf("save volunteer settings of %s: %w", orgID, err)
	}
	return nil
}

type orgSettingsPage struct {
	web.Page
	Org      *org.Org
	Form     *web.Form
	Approval web.FieldData
}

func (p *Pages) renderOrgSettings(w http.ResponseWriter, r *http.Request, status int, o *org.Org, f *web.Form) error {
	pg := orgSettingsPage{Page: p.site.NewPage(w, r, "volunteer.orgsettings.title"), Org: o, Form: f}
	pg.Approval = pg.Select(f, "hours_approval", "volunteer.orgsettings.hours_approval",
		[]string{"review", "volunteer.orgsettings.approval.review", "auto", "volunteer.orgsettings.approval.auto"}, "required")
	return p.site.Render(w, status, "volunteer/orgsettings", pg)
}

// settingsOrg loads the organisation first, so that one the viewer may not
// see is not found rather than forbidden.
func (p *Pages) settingsOrg(r *http.Request) (*org.Org, error) {
	ctx, v, id := r.Context(), httpx.ViewerFrom(r.Context()), r.PathValue("id")
	if v == nil {
		return nil, httpx.ErrUnauthorized
	}
	return p.svc.orgs.Org(ctx, v, id)
}

func (p *Pages) orgSettingsForm(w http.ResponseWriter, r *http.Request) error {
	o, err := p.settingsOrg(r)
	if err != nil {
		return err
	}
	st, err := p.svc.OrgSettings(r.Context(), httpx.ViewerFrom(r.Context()), o.ID)
	if err != nil {
		return err
	}
	loc := httpx.Locale(r.Context())
	f := web.EmptyForm()
	f.Values = map[string]string{"hours_approval": string(st.HoursApproval), "no_show_limit": loc.Digitize(strconv.Itoa(st.NoShowLimit)),
		"no_show_window_days": loc.Digitize(strconv.Itoa(st.NoShowWindowDays)), "checkin_grace_minutes": loc.Digitize(strconv.Itoa(st.CheckinGraceMinutes))}
	return p.renderOrgSettings(w, r, http.StatusOK, o, f)
}

func (p *Pages) saveOrgSettings(w http.ResponseWriter, r *http.Request) error {
	o, err := p.settingsOrg(r)
	if err != nil {
		return err
	}
	f, err := web.NewForm(r)
	if err != nil {
		return httpx.ErrBadRequest
	}
	in := OrgSettingsInput{HoursApproval: Approval(f.Get("hours_approval")),
		NoShowLimit:         profFormInt(f, "no_show_limit", true),
		NoShowWindowDays:    profFormInt(f, "no_show_window_days", true),
		CheckinGraceMinutes: profFormInt(f, "checkin_grace_minutes", true)}
	v := httpx.ViewerFrom(r.Context())
	if !f.OK() {
		// Say everything at once, but only to those who may see the form.
		if err := p.svc.requireOrgSettings(r.Context(), v, o.ID); err != nil {
			return err
		}
		errs := in.check()
		for k := range f.Errors {
			delete(errs, k)
		}
		f.SetErrors(errs)
		return p.renderOrgSettings(w, r, http.StatusUnprocessableEntity, o, f)
	}
	err = p.svc.SaveOrgSettings(r.Context(), v, o.ID, in)
	if he, ok := profFieldErrors(err); ok {
		f.SetErrors(he.Fields)
		return p.renderOrgSettings(w, r, he.Status, o, f)
	}
	if err != nil {
		return err
	}
	web.SetFlash(w, "ok", "volunteer.orgsettings.saved")
	web.Redirect(w, r, "/organisations/"+o.ID+"/volunteering/settings")
	return nil
}

// profFormInt reads a whole number typed with either digits; a bad number sets
// the field's error. An empty field is 0, or "required" when required.
func profFormInt(f *web.Form, name string, required bool) int {
	s := f.Get(name)
	if s == "" {
		if required {
			f.Errors[name] = "error.required"
		}
		return 0
	}
	n, err := i18n.ParseInt(s)
	if err != nil || n > 1_000_000 || n < -1_000_000 {
		f.Errors[name] = "error.number"
		return 0
	}
	return int(n)
}
