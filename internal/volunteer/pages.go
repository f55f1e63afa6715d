package volunteer

import (
	"embed"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/web"
)

//go:embed templates
var templates embed.FS

// Pages serves the volunteering screens.
type Pages struct {
	svc  *Service
	site *web.Site
}

// NewPages registers the volunteering templates with the site.
func NewPages(svc *Service, site *web.Site) (*Pages, error) {
	if err := site.Add("volunteer", templates, "templates"); err != nil {
		return nil, err
	}
	return &Pages{svc: svc, site: site}, nil
}

// Routes adds every volunteering screen; each part registers its own.
func (p *Pages) Routes(mux httpx.Router) {
	p.profileRoutes(mux)
	p.opportunityRoutes(mux)
	p.signupRoutes(mux)
	p.attendanceRoutes(mux)
	p.exchangeRoutes(mux)
	p.coordinationRoutes(mux)
	p.distributeRoutes(mux)
}
