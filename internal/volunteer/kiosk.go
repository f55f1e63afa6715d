package volunteer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// The kiosk link: a secret per shift that shows only the check-in QR code,
// the code and how many people are present, without anyone signed in.

// KioskURL is the address of a shift's kiosk link.
func (s *Service) KioskURL(key string) string {
	return strings.TrimRight(s.baseURL, "/") + "/kiosk/" + key
}

// KioskKey returns the shift's kiosk secret, making one (or a new one, which
// retires the old link) for a coordinator of the shift.
func (s *Service) KioskKey(ctx context.Context, viewer *httpx.Viewer, shiftID string, renew bool) (string, error) {
	var key string
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		sh, _, err := s.shiftForCoordinator(ctx, viewer, shiftID)
		if err != nil {
			return err
		}
		var cur *string
		if err := tx.QueryRowContext(ctx, `SELECT kiosk_key FROM shifts WHERE id = $1`, sh.ID).Scan(&cur); err != nil {
			return fmt.Errorf("read kiosk key: %w", err)
		}
		if cur != nil && !renew {
			key = *cur
			return nil
		}
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		key = base64.RawURLEncoding.EncodeToString(b)
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET kiosk_key = $1 WHERE id = $2`, key, sh.ID); err != nil {
			return fmt.Errorf("save kiosk key: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.kiosk_link", TargetType: "shift", TargetID: sh.ID, IP: httpx.ClientIP(ctx)})
	})
	return key, err
}

// KioskView is what the kiosk link shows.
type KioskView struct {
	Shift *Shift
	Opp   *Opportunity
	InNow int
}

// Kiosk finds the shift of a kiosk link; links of shifts that ended more than
// a day ago, or were cancelled, no longer open.
func (s *Service) Kiosk(ctx context.Context, key string) (*KioskView, error) {
	if key == "" {
		return nil, httpx.ErrNotFound
	}
	var shiftID string
	if err := s.db.R.QueryRowContext(ctx, `SELECT id FROM shifts WHERE kiosk_key = $1`, key).Scan(&shiftID); err != nil {
		if err = db.Map(err); err == db.ErrNotFound {
			return nil, httpx.ErrNotFound
		}
		return nil, fmt.Errorf("find kiosk: %w", err)
	}
	sh, err := loadShift(ctx, s.db.R, shiftID)
	if err != nil {
		return nil, err
	}
	if sh.Status == "cancelled" || s.now().After(sh.EndsAt.Add(24*time.Hour)) {
		return nil, httpx.ErrNotFound
	}
	opp, err := loadOpportunity(ctx, s.db.R, sh.OpportunityID)
	if err != nil {
		return nil, err
	}
	v := &KioskView{Shift: sh, Opp: opp}
	err = s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM attendance a JOIN signups g ON g.id = a.signup_id
		WHERE g.shift_id = $1 AND a.checked_out_at IS NULL`, sh.ID).Scan(&v.InNow)
	if err != nil {
		return nil, fmt.Errorf("count present: %w", err)
	}
	return v, nil
}
