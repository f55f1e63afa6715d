package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sharaka/internal/platform/db"
)

// lockShift takes the shift's row lock until the transaction ends, so that
// every decision about its places (sign-up, withdrawal, approval, promotion)
// sees the previous one. An UPDATE locks on both databases (SQLite has one
// writer anyway); db.ErrNotFound for an unknown shift.
func lockShift(ctx context.Context, tx db.Tx, shiftID string) error {
	res, err := tx.ExecContext(ctx, `UPDATE shifts SET status = status WHERE id = $1`, shiftID)
	if err != nil {
		return fmt.Errorf("lock shift: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return db.ErrNotFound
	}
	return nil
}

const signupCols = `g.id, g.shift_id, g.role_id, g.user_id, g.status, g.party_size, g.no_show, g.no_show_comment, g.created_at`

func scanSignup(row interface{ Scan(...any) error }, extra ...any) (*Signup, error) {
	g := &Signup{}
	var status string
	dest := append([]any{&g.ID, &g.ShiftID, &g.RoleID, &g.UserID, &status, &g.PartySize, &g.NoShow, &g.NoShowComment, &g.CreatedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, db.Map(err)
	}
	g.Status, g.CreatedAt = SignupStatus(status), g.CreatedAt.UTC()
	return g, nil
}

// signupByID reads a sign-up with its named members.
func signupByID(ctx context.Context, q db.Querier, id string) (*Signup, error) {
	g, err := scanSignup(q.QueryRowContext(ctx, `SELECT `+signupCols+` FROM signups g WHERE g.id = $1`, id))
	if err != nil {
		return nil, err
	}
	members, err := membersOf(ctx, q, []string{id})
	if err != nil {
		return nil, err
	}
	g.Members = members[id]
	return g, nil
}

// membersOf reads the named members of the sign-ups, in the order given.
func membersOf(ctx context.Context, q db.Querier, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT signup_id, name FROM signup_members WHERE signup_id IN `+in+` ORDER BY signup_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// inList writes ($k+1, $k+2, …) for ids and returns them as arguments.
func inList(ids []string, k int) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	b.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(k+i+1))
		args[i] = id
	}
	b.WriteByte(')')
	return b.String(), args
}

// insertSignup writes a sign-up and its members; errAlreadyLive when the
// person already has a live sign-up on the shift.
func insertSignup(ctx context.Context, tx db.Tx, g *Signup) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, g.ID, g.ShiftID, g.RoleID, g.UserID, string(g.Status), g.PartySize, g.CreatedAt)
	if err = db.Map(err); errors.Is(err, db.ErrConflict) {
		return errAlreadyLive
	}
	if err != nil {
		return fmt.Errorf("insert sign-up: %w", err)
	}
	for i, m := range g.Members {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signup_members (signup_id, position, name) VALUES ($1, $2, $3)`, g.ID, i+1, m); err != nil {
			return fmt.Errorf("insert sign-up member: %w", err)
		}
	}
	return nil
}

// setSignupStatus moves a sign-up; decidedBy is the coordinator, "" for the person or the system.
func setSignupStatus(ctx context.Context, tx db.Tx, id string, to SignupStatus, decidedBy string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE signups SET status = $2, updated_at = $3, decided_by = COALESCE($4, decided_by) WHERE id = $1`,
		id, string(to), now, nullString(decidedBy))
	if err != nil {
		return fmt.Errorf("set sign-up status: %w", err)
	}
	return nil
}

// countWaiting is how many parties wait on a role.
func countWaiting(ctx context.Context, q db.Querier, roleID string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups WHERE role_id = $1 AND status = 'waitlisted'`, roleID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count waitlist: %w", err)
	}
	return n, nil
}

// waitingByRole counts the waitlisted parties of every role of the shifts.
func waitingByRole(ctx context.Context, q db.Querier, shiftIDs []string) (map[string]int, error) {
	if len(shiftIDs) == 0 {
		return map[string]int{}, nil
	}
	in, args := inList(shiftIDs, 0)
	rows, err := q.QueryContext(ctx, `SELECT role_id, COUNT(*) FROM signups WHERE shift_id IN `+in+` AND status = 'waitlisted' GROUP BY role_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("count waitlists: %w", err)
	}
	return scanCounts(rows)
}

// scanCounts reads rows of (key, count) into a map, closing them.
func scanCounts(rows *sql.Rows) (map[string]int, error) {
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("scan counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// waitlistPosition is the place of a waitlisted sign-up in its role's line (1 = next).
func waitlistPosition(ctx context.Context, q db.Querier, g *Signup) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups
		WHERE role_id = $1 AND status = 'waitlisted' AND (created_at < $2 OR (created_at = $2 AND id < $3))`,
		g.RoleID, g.CreatedAt, g.ID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("waitlist position: %w", err)
	}
	return n + 1, nil
}
