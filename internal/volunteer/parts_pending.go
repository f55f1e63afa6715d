package volunteer

// This file holds the entry points of the parts still being written; each
// part's owner moves its function into its own files and deletes it here.

import (
	"context"

	"github.com/riverqueue/river"

	"sharaka/internal/platform/httpx"
)

func (p *Pages) profileRoutes(mux httpx.Router)     {}
func (p *Pages) opportunityRoutes(mux httpx.Router) {}
func (p *Pages) signupRoutes(mux httpx.Router)      {}
func (p *Pages) attendanceRoutes(mux httpx.Router)  {}
func (p *Pages) exchangeRoutes(mux httpx.Router)    {}

func (a *API) profileAPI(mux httpx.Router)     {}
func (a *API) opportunityAPI(mux httpx.Router) {}
func (a *API) signupAPI(mux httpx.Router)      {}
func (a *API) attendanceAPI(mux httpx.Router)  {}

var (
	profileOps     []httpx.Operation
	opportunityOps []httpx.Operation
	signupOps      []httpx.Operation
	attendanceOps  []httpx.Operation
)

func addShiftWorkers(w *river.Workers, s *Service)      {}
func addSignupWorkers(w *river.Workers, s *Service)     {}
func addAttendanceWorkers(w *river.Workers, s *Service) {}

// Preview is what each role of a shift would answer the volunteer right now
// (the sign-up part replaces this with the real decision).
func (s *Service) Preview(ctx context.Context, userID string, sh *Shift, opp *Opportunity) (map[string]Decision, error) {
	return map[string]Decision{}, nil
}
