package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/platform/ratelimit"
)

// ErrVerifyInvalid: the confirmation link is unknown, used or expired.
var ErrVerifyInvalid = &httpx.Error{Status: 400, Type: "verify-invalid", MsgID: "account.error.verify_invalid"}

var verifyLimit = ratelimit.Limit{Name: "verify", Max: 5, Window: time.Hour}

// sendVerification queues a link that confirms the address, in tx.
func (s *Service) sendVerification(ctx context.Context, tx db.Tx, u *User) error {
	now := s.now()
	secret, hash := newSecret("")
	if _, err := tx.ExecContext(ctx, `INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		hash, u.ID, now, now.Add(VerifyTTL)); err != nil {
		return fmt.Errorf("insert verification: %w", err)
	}
	ml := i18n.New(u.Locale, u.Digits, nil)
	body := ml.T("account.verify.body", "Name", u.Name, "Link", s.baseURL+"/account/verify?token="+secret, "Days", ml.Number(int64(VerifyTTL/(24*time.Hour))))
	return s.mail.Queue(ctx, tx, u.Email, ml.T("account.verify.subject"), body)
}

// ResendVerification sends a new confirmation link to a signed-in person
// whose address is not confirmed yet (a few per hour).
func (s *Service) ResendVerification(ctx context.Context, userID string) error {
	u, err := userByID(ctx, s.db.R, userID)
	if err != nil {
		return err
	}
	if u.EmailVerified {
		return nil
	}
	return s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := ratelimit.Allow(ctx, tx, verifyLimit, u.ID, s.now()); err != nil {
			return err
		}
		return s.sendVerification(ctx, tx, u)
	})
}

// VerifyEmail confirms the address of the link's owner; the link is used up.
func (s *Service) VerifyEmail(ctx context.Context, secret string) (*User, error) {
	now := s.now()
	var u *User
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var userID string
		err := tx.QueryRowContext(ctx, `UPDATE email_verifications SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id`, now, hashSecret(secret)).Scan(&userID)
		if errors.Is(db.Map(err), db.ErrNotFound) {
			return ErrVerifyInvalid
		}
		if err != nil {
			return fmt.Errorf("use verification: %w", err)
		}
		if err := markVerified(ctx, tx, userID, now); err != nil {
			return err
		}
		if u, err = userByID(ctx, tx, userID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "user.email_verified", TargetType: "user", TargetID: userID, IP: httpx.ClientIP(ctx)})
	})
	return u, err
}

func markVerified(ctx context.Context, q db.Querier, userID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2`, now, userID)
	if err != nil {
		return fmt.Errorf("mark address verified: %w", err)
	}
	return nil
}

// TrustEmail marks an address verified without a link: for accounts the
// operator creates (the CLI's admins, the demo's people).
func (s *Service) TrustEmail(ctx context.Context, userID string) error {
	return markVerified(ctx, s.db.W, userID, s.now())
}
