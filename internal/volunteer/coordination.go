package volunteer

// What coordinators do beyond the roster part: taking a vetting back, and
// the skills of the people on a roster with whether they are verified.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// ErrNotVetted refuses to revoke a vetting the organisation never gave.
var ErrNotVetted = &httpx.Error{Status: http.StatusConflict, Type: "not-vetted", MsgID: "volunteer.coordination.error.not_vetted"}

// RevokeVetting takes back the organisation's vetting of a volunteer (a
// mistake, or trust withdrawn); vetted-only shifts are then closed to them.
// Only the organisation's coordinators may, and it is audited.
func (s *Service) RevokeVetting(ctx context.Context, viewer *httpx.Viewer, orgID, userID string) error {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return err
	}
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return httpx.Invalid(map[string]string{"user_id": "error.required"})
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM vettings WHERE org_id = $1 AND user_id = $2`, orgID, userID)
		if err != nil {
			return fmt.Errorf("delete vetting: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotVetted
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.vet_revoke", TargetType: "user", TargetID: userID,
			OrgID: orgID, IP: httpx.ClientIP(ctx)})
	})
	if err != nil {
		return fmt.Errorf("revoke vetting of %s for %s: %w", userID, orgID, err)
	}
	return nil
}

// CoordSkill is one skill a volunteer listed, as a coordinator sees it.
type CoordSkill struct {
	ID       string
	Name     string
	Verified bool
}

// coordSkillsOf returns the listed skills of each of userIDs, by user, named
// in lang and in name order.
func (s *Service) coordSkillsOf(ctx context.Context, userIDs []string, lang i18n.Lang) (map[string][]CoordSkill, error) {
	out := map[string][]CoordSkill{}
	for start := 0; start < len(userIDs); start += 500 {
		chunk := userIDs[start:min(start+500, len(userIDs))]
		marks, args := make([]string, len(chunk)), make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := s.db.R.QueryContext(ctx, `SELECT vs.user_id, k.id, k.name_ar, k.name_en, vs.verified_by IS NOT NULL
			FROM volunteer_skills vs JOIN skills k ON k.id = vs.skill_id
			WHERE vs.user_id IN (`+strings.Join(marks, ", ")+`) ORDER BY vs.user_id, k.code`, args...)
		if err != nil {
			return nil, fmt.Errorf("read roster skills: %w", err)
		}
		for rows.Next() {
			var user, ar, en string
			var k CoordSkill
			if err := rows.Scan(&user, &k.ID, &ar, &en, &k.Verified); err != nil {
				rows.Close()
				return nil, err
			}
			k.Name = ar
			if lang == i18n.EN && en != "" {
				k.Name = en
			}
			out[user] = append(out[user], k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
