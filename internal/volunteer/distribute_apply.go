package volunteer

// Applying a distribution: the preview becomes confirmed sign-ups, in one
// transaction that checks each placement again (the world moved since the
// preview), tells every placed volunteer once, and records it.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// Why a placement of the preview was not made when the run was applied.
const (
	DistSkipShiftClosed = "shift_closed"
	DistSkipRoleGone    = "role_gone"
	DistSkipRoleFull    = "role_full"
	DistSkipSignedUp    = "already_signed_up"
	DistSkipTimeClash   = "time_clash"
	DistSkipNoProfile   = "no_profile"
)

// DistributionApplyReport is what applying a run did.
type DistributionApplyReport struct {
	Placed   int                     `json:"placed"`
	Notified int                     `json:"notified"`
	Skipped  []DistributionApplySkip `json:"skipped"`
}

// DistributionApplySkip is a placement that no longer fitted.
type DistributionApplySkip struct {
	Volunteer string `json:"volunteer"`
	Name      string `json:"name"`
	Shift     string `json:"shift"`
	Reason    string `json:"reason"`
}

// MessageID is the catalogue message of why the placement was skipped.
func (k DistributionApplySkip) MessageID() string {
	return "volunteer.distribute.apply_skip." + k.Reason
}

// distPlaced is a sign-up made for a volunteer, for their email.
type distPlaced struct {
	signupID string
	shift    *Shift
	a        DistributionAssignment
}

// ApplyDistribution makes the preview's placements confirmed sign-ups. Each
// is checked again under its shift's lock: the shift is still scheduled and
// ahead, the role still exists and has room, the volunteer is not on the
// shift already nor on another at the same time. Those that no longer fit
// are skipped and reported. Every placed volunteer gets one email in their
// language, their reminders are scheduled, and the run is marked applied:
// applying it again is refused.
func (s *Service) ApplyDistribution(ctx context.Context, viewer *httpx.Viewer, runID string) (*DistributionApplyReport, error) {
	run, opp, err := s.Distribution(ctx, viewer, runID)
	if err != nil {
		return nil, err
	}
	var rep *DistributionApplyReport
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		// The run's row lock makes a second apply wait and then see "applied".
		if _, err := tx.ExecContext(ctx, `UPDATE distribution_runs SET status = status WHERE id = $1`, runID); err != nil {
			return fmt.Errorf("lock run: %w", err)
		}
		cur, err := distLoadRun(ctx, tx, runID)
		if err != nil {
			return err
		}
		switch {
		case cur.Status == DistApplied:
			return ErrDistributionApplied
		case cur.Status == DistDiscarded:
			return ErrDistributionDiscarded
		case cur.Status != DistDone || cur.Result == nil:
			return ErrDistributionNotReady
		}
		now := s.now()
		rep = &DistributionApplyReport{Skipped: []DistributionApplySkip{}}
		placed := map[string][]distPlaced{}
		var people []string
		// Shifts are locked in id order, so two applies never wait on each other crosswise.
		shifts := slices.Clone(cur.Result.Shifts)
		slices.SortFunc(shifts, func(a, b DistributionShift) int { return cmp.Compare(a.ID, b.ID) })
		for _, ds := range shifts {
			if len(ds.Assignments) == 0 {
				continue
			}
			made, err := s.distApplyShift(ctx, tx, viewer, ds, now, rep)
			if err != nil {
				return err
			}
			for _, p := range made {
				if placed[p.a.Volunteer] == nil {
					people = append(people, p.a.Volunteer)
				}
				placed[p.a.Volunteer] = append(placed[p.a.Volunteer], p)
			}
		}
		for _, u := range people {
			ps := placed[u]
			slices.SortFunc(ps, func(a, b distPlaced) int { return a.shift.StartsAt.Compare(b.shift.StartsAt) })
			if err := s.distNotify(ctx, tx, u, opp, ps); err != nil {
				return err
			}
		}
		rep.Notified = len(people)
		cur.Result.Applied = rep
		if err := distMarkApplied(ctx, tx, runID, viewer.ID, cur.Result, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "distribution.apply", TargetType: "distribution", TargetID: runID,
			OrgID: run.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"opportunity": run.OpportunityID,
				"placed": strconv.Itoa(rep.Placed), "skipped": strconv.Itoa(len(rep.Skipped))}})
	})
	if err != nil {
		return nil, fmt.Errorf("apply distribution %s: %w", runID, err)
	}
	return rep, nil
}

// distApplyShift makes the sign-ups of one shift of the preview.
func (s *Service) distApplyShift(ctx context.Context, tx db.Tx, viewer *httpx.Viewer, ds DistributionShift, now time.Time,
	rep *DistributionApplyReport) ([]distPlaced, error) {
	skip := func(a DistributionAssignment, reason string) {
		rep.Skipped = append(rep.Skipped, DistributionApplySkip{Volunteer: a.Volunteer, Name: a.Name, Shift: ds.ID, Reason: reason})
	}
	err := lockShift(ctx, tx, ds.ID)
	var sh *Shift
	if err == nil {
		sh, err = loadShift(ctx, tx, ds.ID)
	}
	if errors.Is(err, db.ErrNotFound) || (err == nil && (sh.Status != "scheduled" || !now.Before(sh.StartsAt))) {
		for _, a := range ds.Assignments {
			skip(a, DistSkipShiftClosed)
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	taken, err := distTaken(ctx, tx, ds.ID)
	if err != nil {
		return nil, err
	}
	var out []distPlaced
	for _, a := range ds.Assignments {
		role := findRole(sh, a.Role)
		if role == nil {
			skip(a, DistSkipRoleGone)
			continue
		}
		if taken[a.Role]+1 > role.Slots {
			skip(a, DistSkipRoleFull)
			continue
		}
		why, err := distApplyCheck(ctx, tx, a.Volunteer, sh)
		if err != nil {
			return nil, err
		}
		if why != "" {
			skip(a, why)
			continue
		}
		id := db.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, team, team_leader, decided_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'confirmed', 1, $5, $6, $7, $8, $8)`, id, sh.ID, role.ID, a.Volunteer, a.Team, a.Leader, viewer.ID, now)
		if err != nil {
			return nil, fmt.Errorf("insert sign-up: %w", err)
		}
		if err := s.scheduleReminders(ctx, tx, id, sh.StartsAt, now); err != nil {
			return nil, err
		}
		taken[a.Role]++
		rep.Placed++
		out = append(out, distPlaced{signupID: id, shift: sh, a: a})
	}
	return out, nil
}

// distTaken counts the people each role of a shift holds or has under review.
func distTaken(ctx context.Context, q db.Querier, shiftID string) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT role_id, SUM(party_size) FROM signups WHERE shift_id = $1 AND status IN ('confirmed', 'pending')
		GROUP BY role_id`, shiftID)
	if err != nil {
		return nil, fmt.Errorf("count places: %w", err)
	}
	return scanCounts(rows)
}

// distApplyCheck says why a volunteer can no longer be placed on a shift,
// "" when they can. Checking first matters on PostgreSQL, where a failed
// INSERT would end the whole transaction.
func distApplyCheck(ctx context.Context, tx db.Tx, userID string, sh *Shift) (string, error) {
	var profile, live, clash int
	err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM volunteer_profiles WHERE user_id = $1),
			(SELECT COUNT(*) FROM signups WHERE user_id = $1 AND shift_id = $2 AND status IN `+liveStatuses+`),
			(SELECT COUNT(*) FROM signups g JOIN shifts s ON s.id = g.shift_id
				WHERE g.user_id = $1 AND g.shift_id <> $2 AND g.status IN ('confirmed', 'pending') AND s.status = 'scheduled'
					AND s.starts_at < $4 AND s.ends_at > $3)`,
		userID, sh.ID, sh.StartsAt, sh.EndsAt).Scan(&profile, &live, &clash)
	if err != nil {
		return "", fmt.Errorf("check placement: %w", err)
	}
	switch {
	case profile == 0:
		return DistSkipNoProfile, nil
	case live > 0:
		return DistSkipSignedUp, nil
	case clash > 0:
		return DistSkipTimeClash, nil
	}
	return "", nil
}

// distMarkApplied records that a run was applied, with what it did.
func distMarkApplied(ctx context.Context, tx db.Tx, runID, by string, res *DistributionResult, now time.Time) error {
	b, err := distJSON(res)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE distribution_runs SET status = 'applied', applied_at = $2, applied_by = $3, result = $4 WHERE id = $1`,
		runID, now, by, b)
	if err != nil {
		return fmt.Errorf("mark run applied: %w", err)
	}
	return nil
}

// distNotify emails a volunteer the shifts a distribution placed them on,
// in their language, with a link to each sign-up (where they can withdraw).
func (s *Service) distNotify(ctx context.Context, tx db.Tx, userID string, opp *Opportunity, ps []distPlaced) error {
	rc, err := loadRecipient(ctx, tx, userID)
	if err != nil {
		return err
	}
	loc := rc.loc
	title := opp.Title(loc.Lang)
	var lines []string
	for _, p := range ps {
		role := pickTitle(loc.Lang, p.a.RoleNameAr, p.a.RoleNameEn)
		line := loc.T("volunteer.distribute.mail.line", "Starts", loc.DateTime(p.shift.StartsAt),
			"Ends", loc.Digitize(p.shift.EndsAt.In(rc.zone()).Format("15:04")), "Role", role, "Link", s.baseURL+"/signups/"+p.signupID)
		if team := distTeamText(loc, p.a.Team, p.a.Leader); team != "" {
			line += "\n  " + team
		}
		lines = append(lines, line)
	}
	subject := loc.T("volunteer.distribute.mail.subject", "Title", title)
	body := loc.T("volunteer.distribute.mail.body", "Name", rc.name, "Org", rosterOrgName(opp, loc.Lang), "Title", title,
		"Shifts", strings.Join(lines, "\n\n"))
	return s.mail.Queue(ctx, tx, rc.email, subject, body)
}
