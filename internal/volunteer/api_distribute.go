package volunteer

import (
	"net/http"

	"sharaka/internal/platform/httpx"
)

// The JSON API of distribution: start a run, follow it and read its
// preview, apply it. Reasons come as codes with their data (the catalogue
// words them: assign.reason.<code>); a failed run's error as its message in
// the request's language.

var distributeOps = []httpx.Operation{
	{Method: "POST", Path: "/api/v1/opportunities/{id}/distributions", ID: "startDistribution", Tag: "volunteering", Auth: true,
		Body: DistributionInput{}, Response: DistributionRun{}, Status: http.StatusAccepted,
		Summary: "Distribute the organisation's volunteers into the opportunity's upcoming shifts (coordinators): shift ids, urgency per shift (1–5, default 3), whether each team needs a leader, and volunteers to keep (pins, with the role id) or keep off (exclusions) a shift; the run works in the background"},
	{Method: "GET", Path: "/api/v1/distributions/{id}", ID: "getDistribution", Tag: "volunteering", Auth: true, Response: DistributionRun{},
		Summary: "A distribution run (coordinators): status, progress from 0 to 1, and once done the preview: per shift who goes in which role and team and why, who was left out and why, what is short and whom to recruit, the figures beside first-come sign-up"},
	{Method: "POST", Path: "/api/v1/distributions/{id}/apply", ID: "applyDistribution", Tag: "volunteering", Auth: true,
		Response: DistributionApplyReport{},
		Summary:  "Apply a finished run (coordinators): confirmed sign-ups with their teams for every placement that still fits, the others skipped and reported, one email per placed volunteer; 409 when already applied, discarded or not finished"},
	{Method: "POST", Path: "/api/v1/distributions/{id}/discard", ID: "discardDistribution", Tag: "volunteering", Auth: true,
		Response: DistributionRun{},
		Summary:  "Discard a run that is not applied (coordinators); the run is kept, marked discarded, and can no longer be applied"},
}

func (a *API) distributeAPI(mux httpx.Router) {
	mux.Handle("POST /api/v1/opportunities/{id}/distributions", httpx.API(a.startDistribution))
	mux.Handle("GET /api/v1/distributions/{id}", httpx.API(a.getDistribution))
	mux.Handle("POST /api/v1/distributions/{id}/apply", httpx.API(a.applyDistribution))
	mux.Handle("POST /api/v1/distributions/{id}/discard", httpx.API(a.discardDistribution))
}

// distAPIRun is a run as the API gives it: the failure in the reader's language.
func distAPIRun(r *http.Request, run *DistributionRun) *DistributionRun {
	if run.Error != "" {
		run.Error = httpx.Locale(r.Context()).T(run.Error)
	}
	return run
}

func (a *API) startDistribution(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	var in DistributionInput
	if err := httpx.DecodeJSON(r, &in); err != nil {
		return err
	}
	run, err := a.svc.StartDistribution(r.Context(), v, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusAccepted, distAPIRun(r, run))
}

func (a *API) getDistribution(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	run, _, err := a.svc.Distribution(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, distAPIRun(r, run))
}

func (a *API) applyDistribution(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	rep, err := a.svc.ApplyDistribution(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, rep)
}

func (a *API) discardDistribution(w http.ResponseWriter, r *http.Request) error {
	v, err := coordViewer(r)
	if err != nil {
		return err
	}
	if err := a.svc.DiscardDistribution(r.Context(), v, r.PathValue("id")); err != nil {
		return err
	}
	run, _, err := a.svc.Distribution(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, distAPIRun(r, run))
}
