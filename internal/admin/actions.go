package admin

import (
	"sort"
	"strings"

	"sharaka/internal/platform/i18n"
)

// Actions are the audited actions the filter offers: every action with a
// label audit.<action> in the catalogue (a test checks that each action the
// code records has one).
func Actions() []string {
	var out []string
	for _, id := range i18n.Messages(i18n.AR) {
		if a, ok := strings.CutPrefix(id, "audit."); ok {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}
