package volunteer

import (
	"slices"

	"sharaka/internal/platform/httpx"
)

// API serves volunteering under /api/v1.
type API struct{ svc *Service }

// NewAPI builds the JSON handlers.
func NewAPI(svc *Service) *API { return &API{svc: svc} }

// Routes adds every volunteering endpoint; each part registers its own.
func (a *API) Routes(mux httpx.Router) {
	a.profileAPI(mux)
	a.opportunityAPI(mux)
	a.signupAPI(mux)
	a.attendanceAPI(mux)
	a.coordinationAPI(mux)
	a.distributeAPI(mux)
}

// APIOperations lists the volunteering operations for the OpenAPI document.
func APIOperations() []httpx.Operation {
	return slices.Concat(profileOps, opportunityOps, signupOps, attendanceOps, coordinationOps, distributeOps)
}
