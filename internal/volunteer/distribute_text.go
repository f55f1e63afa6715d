package volunteer

// Wording of a distribution in a reader's language: reasons with their data,
// teams, distances. Shared by the pages, the roster and the emails.

import (
	"strconv"

	"sharaka/internal/platform/i18n"
)

// distKm writes a distance in kilometres to one decimal in loc's digits.
func distKm(loc *i18n.Locale, km float64) string {
	return loc.Digitize(strconv.FormatFloat(km, 'f', 1, 64))
}

// distTeamText is "team 2 (leader)" in loc's language, "" for no team.
func distTeamText(loc *i18n.Locale, team int, leader bool) string {
	switch {
	case team <= 0:
		return ""
	case leader:
		return loc.T("volunteer.distribute.team_leader", "Team", loc.Number(int64(team)))
	}
	return loc.T("volunteer.distribute.team", "Team", loc.Number(int64(team)))
}

// distReasonText words a reason with its data: the distance, the skill's
// name (skills maps ids to names in loc's language) and the other shift
// (shiftLabel names a shift by id).
func distReasonText(loc *i18n.Locale, r DistributionReason, skills map[string]string, shiftLabel func(string) string) string {
	skill := skills[r.Skill]
	if skill == "" {
		skill = r.Skill
	}
	other := ""
	if r.Shift != "" && shiftLabel != nil {
		other = shiftLabel(r.Shift)
	}
	return loc.T(r.MessageID(), "Km", distKm(loc, r.Km), "Skill", skill, "Shift", other, "Limit", loc.Number(int64(r.Limit)))
}
