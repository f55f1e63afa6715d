package volunteer

// This file holds the entry points of the parts still being written; each
// part's owner moves its function into its own files and deletes it here.

import (
	"sharaka/internal/platform/httpx"
)

func (p *Pages) exchangeRoutes(mux httpx.Router) {}
