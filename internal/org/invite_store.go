package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
)

func insertInvitation(ctx context.Context, q db.Querier, inv *Invitation, hash string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		inv.ID, inv.OrgID, inv.Email, string(inv.Role), hash, inv.InvitedBy, inv.CreatedAt, inv.ExpiresAt)
	if err != nil {
		return fmt.Errorf("insert invitation: %w", db.Map(err))
	}
	return nil
}

// dropOpenInvitations removes the unused invitations of one address, so that
// inviting again leaves only the newest link working.
func dropOpenInvitations(ctx context.Context, q db.Querier, orgID, email string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM invitations WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL`, orgID, email)
	if err != nil {
		return fmt.Errorf("drop invitations: %w", err)
	}
	return nil
}

const invitationCols = `i.id, i.org_id, i.email, i.role, i.invited_by, COALESCE(u.name, ''), i.created_at, i.expires_at`

func scanInvitation(row interface{ Scan(...any) error }) (*Invitation, error) {
	var inv Invitation
	var role string
	if err := row.Scan(&inv.ID, &inv.OrgID, &inv.Email, &role, &inv.InvitedBy, &inv.InviterName, &inv.CreatedAt, &inv.ExpiresAt); err != nil {
		return nil, db.Map(err)
	}
	inv.Role, inv.CreatedAt, inv.ExpiresAt = Role(role), inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	return &inv, nil
}

// openInvitations lists the organisation's invitations neither used nor expired.
func openInvitations(ctx context.Context, q db.Querier, orgID string, now time.Time) ([]Invitation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+invitationCols+` FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.org_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2 ORDER BY i.created_at DESC, i.id`, orgID, now)
	if err != nil {
		return nil, fmt.Errorf("open invitations: %w", err)
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("scan invitation: %w", err)
		}
		out = append(out, *inv)
	}
	return out, rows.Err()
}

// openInvitation finds a usable invitation by the hash of its secret.
func openInvitation(ctx context.Context, q db.Querier, hash string, now time.Time) (*Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationCols+` FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2`, hash, now))
	if errors.Is(err, db.ErrNotFound) {
		return nil, ErrInvitationInvalid
	}
	return inv, err
}

// openInvitationByID finds an open invitation of the organisation by id, or ErrInvitationNotOpen.
func openInvitationByID(ctx context.Context, q db.Querier, orgID, id string, now time.Time) (*Invitation, error) {
	if !storable(id) {
		return nil, ErrInvitationNotOpen
	}
	inv, err := scanInvitation(q.QueryRowContext(ctx, `SELECT `+invitationCols+` FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.id = $1 AND i.org_id = $2 AND i.accepted_at IS NULL AND i.expires_at > $3`, id, orgID, now))
	if errors.Is(err, db.ErrNotFound) {
		return nil, ErrInvitationNotOpen
	}
	return inv, err
}

// revokeInvitation ends an open invitation now; an expiry in the past is
// what every use of a link already checks.
func revokeInvitation(ctx context.Context, q db.Querier, id string, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE invitations SET expires_at = $1 WHERE id = $2 AND accepted_at IS NULL AND expires_at > $1`, now, id)
	if err != nil {
		return fmt.Errorf("revoke invitation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("revoke invitation: %w", err)
	}
	if n == 0 {
		return ErrInvitationNotOpen
	}
	return nil
}

// useInvitation marks an open invitation used by userID and returns it; the
// conditional update makes two accepts of one link race safely.
func useInvitation(ctx context.Context, q db.Querier, hash, userID string, now time.Time) (orgID string, role Role, id string, err error) {
	var r string
	err = q.QueryRowContext(ctx, `UPDATE invitations SET accepted_at = $1, accepted_by = $2
		WHERE token_hash = $3 AND accepted_at IS NULL AND expires_at > $1 RETURNING org_id, role, id`, now, userID, hash).Scan(&orgID, &r, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", ErrInvitationInvalid
	}
	if err != nil {
		return "", "", "", fmt.Errorf("use invitation: %w", err)
	}
	return orgID, Role(r), id, nil
}
