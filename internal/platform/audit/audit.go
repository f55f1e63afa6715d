// Package audit records sensitive actions (who, what, when, from where) in
// the same transaction as the change they describe.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
)

// Entry is one audited action.
type Entry struct {
	ID         string
	At         time.Time
	ActorID    string // empty for the system or an anonymous visitor
	ActorName  string // filled by List
	Action     string // e.g. "user.login", "org.verify", "member.role"
	TargetType string
	TargetID   string
	OrgID      string
	IP         string
	Details    map[string]string
}

// Record writes e with q (a transaction when the change has one).
func Record(ctx context.Context, q db.Querier, e Entry) error {
	details, err := json.Marshal(e.Details)
	if err != nil {
		return fmt.Errorf("audit details: %w", err)
	}
	if e.Details == nil {
		details = []byte("{}")
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor_id, action, target_type, target_id, org_id, ip, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		db.NewID(), db.Now(), nullable(e.ActorID), e.Action, e.TargetType, e.TargetID, nullable(e.OrgID), e.IP, string(details))
	if err != nil {
		return fmt.Errorf("record audit %s: %w", e.Action, err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Filter narrows List; Before is the id of the last entry of the previous page.
type Filter struct {
	OrgID  string
	Action string
	Before string
	Limit  int
}

// List returns entries newest first, with keyset pagination on id (UUIDv7 sorts by time).
func List(ctx context.Context, q db.Querier, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.at, COALESCE(a.actor_id, ''), COALESCE(u.name, ''), a.action, a.target_type, a.target_id,
			COALESCE(a.org_id, ''), a.ip, a.details
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE ($1 = '' OR a.org_id = $1) AND ($2 = '' OR a.action = $2) AND ($3 = '' OR a.id < $3)
		ORDER BY a.id DESC LIMIT $4`, f.OrgID, f.Action, f.Before, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var details string
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID, &e.OrgID, &e.IP, &details); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		_ = json.Unmarshal([]byte(details), &e.Details)
		out = append(out, e)
	}
	return out, rows.Err()
}
