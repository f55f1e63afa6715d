package volunteer

// SQL of distribution runs. settings, pins, exclusions and result are JSON
// text on both databases: they are read and written whole, never queried.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"sharaka/internal/assign"
	"sharaka/internal/platform/db"
)

const distRunCols = `r.id, r.org_id, r.opportunity_id, r.created_by, u.name, r.status, r.progress, r.settings, r.pins, r.exclusions,
	r.result, r.error, r.created_at, r.started_at, r.finished_at, r.applied_at, COALESCE(r.applied_by, '')`

const distRunFrom = ` FROM distribution_runs r JOIN users u ON u.id = r.created_by `

func distScanRun(row interface{ Scan(...any) error }) (*DistributionRun, error) {
	r := &DistributionRun{}
	var status, settings, pins, excl string
	var result sql.NullString
	var started, finished, applied sql.NullTime
	if err := row.Scan(&r.ID, &r.OrgID, &r.OpportunityID, &r.CreatedBy, &r.CreatedByName, &status, &r.Progress, &settings, &pins, &excl,
		&result, &r.Error, &r.CreatedAt, &started, &finished, &applied, &r.AppliedBy); err != nil {
		return nil, db.Map(err)
	}
	r.Status, r.CreatedAt = DistributionStatus(status), r.CreatedAt.UTC()
	r.StartedAt, r.FinishedAt, r.AppliedAt = distTime(started), distTime(finished), distTime(applied)
	if err := json.Unmarshal([]byte(settings), &r.Settings); err != nil {
		return nil, fmt.Errorf("run %s settings: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(pins), &r.Pins); err != nil {
		return nil, fmt.Errorf("run %s pins: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(excl), &r.Exclusions); err != nil {
		return nil, fmt.Errorf("run %s exclusions: %w", r.ID, err)
	}
	r.Pins, r.Exclusions = distPinsOrEmpty(r.Pins), distPinsOrEmpty(r.Exclusions)
	if result.Valid && result.String != "" {
		r.Result = &DistributionResult{}
		if err := json.Unmarshal([]byte(result.String), r.Result); err != nil {
			return nil, fmt.Errorf("run %s result: %w", r.ID, err)
		}
	}
	return r, nil
}

func distTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// distInsertRun writes a new run.
func distInsertRun(ctx context.Context, tx db.Tx, r *DistributionRun) error {
	settings, err := json.Marshal(r.Settings)
	if err != nil {
		return err
	}
	pins, err := json.Marshal(r.Pins)
	if err != nil {
		return err
	}
	excl, err := json.Marshal(r.Exclusions)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO distribution_runs (id, org_id, opportunity_id, created_by, status, progress, settings, pins, exclusions, created_at)
		VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9)`, r.ID, r.OrgID, r.OpportunityID, r.CreatedBy, string(r.Status),
		string(settings), string(pins), string(excl), r.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert distribution run: %w", err)
	}
	return nil
}

// distLoadRun reads a run; db.ErrNotFound when there is none.
func distLoadRun(ctx context.Context, q db.Querier, id string) (*DistributionRun, error) {
	return distScanRun(q.QueryRowContext(ctx, `SELECT `+distRunCols+distRunFrom+`WHERE r.id = $1`, id))
}

// distListRuns reads an opportunity's runs newest first (oldest first when
// paging backward), after cursor when given.
func distListRuns(ctx context.Context, q db.Querier, oppID, cursor string, backward bool, limit int) ([]*DistributionRun, error) {
	beyond, order := `r.id < $2`, `r.id DESC`
	if backward {
		beyond, order = `r.id > $2`, `r.id`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+distRunCols+distRunFrom+`WHERE r.opportunity_id = $1 AND ($2 = '' OR `+beyond+`)
		ORDER BY `+order+` LIMIT $3`, oppID, cursor, limit)
	if err != nil {
		return nil, fmt.Errorf("list distribution runs: %w", err)
	}
	defer rows.Close()
	var out []*DistributionRun
	for rows.Next() {
		r, err := distScanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// distMarkRunning moves a queued (or, after a crash, running) run to
// running; false when it was discarded or finished meanwhile.
func distMarkRunning(ctx context.Context, q db.Querier, id string, now time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE distribution_runs SET status = 'running', progress = 0, started_at = $2
		WHERE id = $1 AND status IN ('queued', 'running')`, id, now)
	if err != nil {
		return false, fmt.Errorf("start run: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// distSetProgress records how far a running run is.
func distSetProgress(ctx context.Context, q db.Querier, id string, p float64) error {
	_, err := q.ExecContext(ctx, `UPDATE distribution_runs SET progress = $2 WHERE id = $1 AND status = 'running'`, id, min(max(p, 0), 1))
	if err != nil {
		return fmt.Errorf("run progress: %w", err)
	}
	return nil
}

// distFinish stores a running run's result; a run discarded meanwhile keeps
// its status and gets no result.
func distFinish(ctx context.Context, q db.Querier, id string, res *DistributionResult, now time.Time) error {
	b, err := distJSON(res)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE distribution_runs SET status = 'done', progress = 1, result = $2, finished_at = $3
		WHERE id = $1 AND status = 'running'`, id, b, now)
	if err != nil {
		return fmt.Errorf("store run result: %w", err)
	}
	return nil
}

// distJSON is a run's result as stored.
func distJSON(res *DistributionResult) (string, error) {
	b, err := json.Marshal(res)
	if err != nil {
		return "", fmt.Errorf("encode run result: %w", err)
	}
	return string(b), nil
}

// distFail marks a running run failed with a catalogue message id.
func distFail(ctx context.Context, q db.Querier, id, msgID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE distribution_runs SET status = 'failed', error = $2, finished_at = $3
		WHERE id = $1 AND status IN ('queued', 'running')`, id, msgID, now)
	if err != nil {
		return fmt.Errorf("mark run failed: %w", err)
	}
	return nil
}

// distUpcomingShifts lists the opportunity's scheduled shifts that have not
// begun, earliest first: those a distribution may fill.
func distUpcomingShifts(ctx context.Context, q db.Querier, oppID string, now time.Time, limit int) ([]*Shift, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+shiftCols+` FROM shifts s
		WHERE s.opportunity_id = $1 AND s.status = 'scheduled' AND s.starts_at > $2
		ORDER BY s.starts_at, s.id LIMIT $3`, oppID, now, limit)
	if err != nil {
		return nil, fmt.Errorf("list upcoming shifts: %w", err)
	}
	defer rows.Close()
	var out []*Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// distPoolSQL selects the volunteers linked to organisation $1: everyone who
// has or had a sign-up on one of its shifts (declined ones aside: the
// organisation said no), and its plain members, which is what its imports
// make. Only people with a volunteer profile are distributed.
const distPoolSQL = `SELECT g.user_id FROM signups g JOIN shifts s ON s.id = g.shift_id JOIN opportunities o ON o.id = s.opportunity_id
		WHERE o.org_id = $1 AND g.status <> 'declined'
	UNION SELECT m.user_id FROM memberships m WHERE m.org_id = $1 AND m.role = 'member'`

// distPoolSize counts the volunteers a run of the organisation would consider.
func distPoolSize(ctx context.Context, q db.Querier, orgID string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM volunteer_profiles v WHERE v.user_id IN (`+distPoolSQL+`)`, orgID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count volunteers: %w", err)
	}
	return n, nil
}

// distPlaces reads every place's parent and centroid once (a read of the
// organisation area's table, as the import does: its service has no batch
// lookup), so that homes and opportunities given only by a neighbourhood
// are placed at the nearest centroid up the hierarchy.
type distPlaces map[string]struct {
	parent   string
	lat, lon *float64
}

func distLoadPlaces(ctx context.Context, q db.Querier) (distPlaces, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, ''), lat, lon FROM places`)
	if err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	defer rows.Close()
	out := distPlaces{}
	for rows.Next() {
		var id, parent string
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&id, &parent, &lat, &lon); err != nil {
			return nil, err
		}
		out[id] = struct {
			parent   string
			lat, lon *float64
		}{parent, floatPtr(lat), floatPtr(lon)}
	}
	return out, rows.Err()
}

// centroid is the point of a place, or of its nearest ancestor that has one.
func (ps distPlaces) centroid(id string) (assign.Point, bool) {
	for n := 0; id != "" && n < 10; n++ {
		p, ok := ps[id]
		if !ok {
			break
		}
		if p.lat != nil && p.lon != nil {
			return assign.Point{Lat: *p.lat, Lon: *p.lon}, true
		}
		id = p.parent
	}
	return assign.Point{}, false
}

// distPlace is where an opportunity's work happens: its map location, else
// its place's centroid; ErrDistributionNoPlace when it has neither.
func (s *Service) distPlace(ctx context.Context, q db.Querier, opp *Opportunity) (assign.Point, error) {
	if opp.Lat != nil && opp.Lon != nil {
		return assign.Point{Lat: *opp.Lat, Lon: *opp.Lon}, nil
	}
	if opp.PlaceID != "" {
		for id, n := opp.PlaceID, 0; id != "" && n < 10; n++ {
			var parent string
			var lat, lon sql.NullFloat64
			err := q.QueryRowContext(ctx, `SELECT COALESCE(parent_id, ''), lat, lon FROM places WHERE id = $1`, id).Scan(&parent, &lat, &lon)
			if err != nil {
				return assign.Point{}, fmt.Errorf("opportunity place: %w", db.Map(err))
			}
			if lat.Valid && lon.Valid {
				return assign.Point{Lat: lat.Float64, Lon: lon.Float64}, nil
			}
			id = parent
		}
	}
	return assign.Point{}, ErrDistributionNoPlace
}
