package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sharaka/internal/platform/db"
)

// Login throttling: after a few free failures, each further failure makes the
// next attempt wait twice as long, up to a cap. Counts live in the database so
// that every instance behind a load balancer sees them; an hour without
// failures starts the count again.
const (
	freeFailuresAccount = 5
	freeFailuresIP      = 20 // many people share one address behind NAT
	maxThrottle         = 15 * time.Minute
	failureMemory       = time.Hour
)

func accountKey(email string) string { return "acct:" + email }
func ipKey(ip string) string         { return "ip:" + ip }

// throttleWait is how long the holder of key must still wait before trying again.
func throttleWait(ctx context.Context, q db.Querier, key string, free int, now time.Time) (time.Duration, error) {
	var failures int
	var last time.Time
	err := q.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM login_failures WHERE key = $1`, key).Scan(&failures, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read login failures: %w", err)
	}
	if failures < free || now.Sub(last) > failureMemory {
		return 0, nil
	}
	delay := time.Second << min(failures-free, 20)
	delay = min(delay, maxThrottle)
	if wait := last.Add(delay).Sub(now); wait > 0 {
		return wait, nil
	}
	return 0, nil
}

func recordFailure(ctx context.Context, q db.Querier, key string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 ELSE login_failures.failures + 1 END,
			last_failure_at = $2`, key, now, now.Add(-failureMemory))
	if err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

func clearFailures(ctx context.Context, q db.Querier, key string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}
