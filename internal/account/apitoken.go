package account

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// TokenPrefix starts every personal access token, so leaked ones are easy to spot.
const TokenPrefix = "shk_"

// APIToken is a personal access token as its owner sees it (never the secret).
type APIToken struct {
	ID         string
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateToken makes a token and returns its secret, shown to the owner once.
func (s *Service) CreateToken(ctx context.Context, userID, name string) (string, *APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, httpx.Invalid(map[string]string{"name": "error.required"})
	}
	if utf8.RuneCountInString(name) > 80 {
		return "", nil, httpx.Invalid(map[string]string{"name": "error.too_long"})
	}
	secret, hash := newSecret(TokenPrefix)
	t := &APIToken{ID: db.NewID(), Name: name, Prefix: secret[:len(TokenPrefix)+6], CreatedAt: s.now()}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, userID, t.Name, hash, t.Prefix, t.CreatedAt); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "token.create", TargetType: "api_token", TargetID: t.ID, IP: httpx.ClientIP(ctx), Details: map[string]string{"name": name}})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID string) ([]APIToken, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, fmt.Errorf("scan token: %w", err)
		}
		if used.Valid {
			t.LastUsedAt = &used.Time
		}
		if revoked.Valid {
			t.RevokedAt = &revoked.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token from working; only its owner may revoke it.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID string) error {
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`, s.now(), tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return httpx.ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "token.revoke", TargetType: "api_token", TargetID: tokenID, IP: httpx.ClientIP(ctx)})
	})
}

// TokenUser returns the owner of a live token and notes its use (at most once a minute, to spare writes).
func (s *Service) TokenUser(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, db.ErrNotFound
	}
	hash := hashSecret(secret)
	now := s.now()
	var tokenID string
	var used sql.NullTime
	u, err := scanUser(s.db.R.QueryRowContext(ctx, `SELECT t.id, t.last_used_at, `+userCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, hash), &tokenID, &used)
	if err != nil {
		return nil, err
	}
	if !used.Valid || now.Sub(used.Time) > time.Minute {
		if _, err := s.db.W.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, tokenID); err != nil {
			return nil, fmt.Errorf("note token use: %w", err)
		}
	}
	return u, nil
}
