package account

import (
	"context"
	"fmt"
	"net"
	"time"

	"sharaka/internal/platform/db"
)

// Login throttling. Every attempt is counted BEFORE the password is checked,
// in a locked row, so parallel guesses cannot all slip in under the limit; a
// successful sign-in takes its own attempt back. Three counters:
//   - the account from this address (or IPv6 /64): the one that bites first;
//   - the account from anywhere: much higher, so that a stranger's failures
//     alone cannot lock the owner out, yet a distributed guess slows down;
//   - the address: high, since many people share one address behind NAT.
//
// Past its free attempts a counter makes the next attempt wait twice as long
// each time, up to a cap; an hour without attempts starts it again. Counts
// live in the database so that every instance behind a load balancer agrees.
var throttles = []struct {
	key  func(email, ip string) string
	free int
	cap  time.Duration
}{
	{func(e, ip string) string { return "acct-ip:" + e + "|" + ipBlock(ip) }, 5, 15 * time.Minute},
	{func(e, ip string) string { return "acct:" + e }, 100, 5 * time.Minute},
	{func(e, ip string) string { return "ip:" + ipBlock(ip) }, 50, 15 * time.Minute},
}

const failureMemory = time.Hour

// ipBlock is the address, or its /64 for IPv6 (one household holds a whole /64).
func ipBlock(ip string) string {
	a := net.ParseIP(ip)
	if a == nil || a.To4() != nil {
		return ip
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

func delayAfter(failures, free int, cap time.Duration) time.Duration {
	if failures < free {
		return 0
	}
	return min(time.Second<<min(failures-free, 20), cap)
}

// reserveAttempt counts an attempt on every counter, or returns how long to
// wait (counting nothing) when any counter says it is too soon.
func reserveAttempt(ctx context.Context, d *db.DB, email, ip string, now time.Time) (time.Duration, error) {
	var wait time.Duration
	err := d.WithTx(ctx, func(tx db.Tx) error {
		type state struct {
			key      string
			failures int
		}
		states := make([]state, len(throttles))
		for i, th := range throttles {
			key := th.key(email, ip)
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`, key, now); err != nil {
				return fmt.Errorf("throttle row: %w", err)
			}
			var n int
			var last time.Time
			if err := tx.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM login_failures WHERE key = $1`+d.ForUpdate(), key).Scan(&n, &last); err != nil {
				return fmt.Errorf("read throttle: %w", err)
			}
			if now.Sub(last) > failureMemory {
				n = 0
			}
			if w := last.Add(delayAfter(n, th.free, th.cap)).Sub(now); n >= th.free && w > wait {
				wait = w
			}
			states[i] = state{key, n}
		}
		if wait > 0 {
			return nil
		}
		for _, st := range states {
			if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET failures = $1, last_failure_at = $2 WHERE key = $3`, st.failures+1, now, st.key); err != nil {
				return fmt.Errorf("count attempt: %w", err)
			}
		}
		return nil
	})
	return wait, err
}

// forgiveAttempt takes back a successful sign-in's attempt: the account's
// counters start again; the address keeps its other attempts.
func forgiveAttempt(ctx context.Context, q db.Querier, email, ip string) error {
	for i, th := range throttles {
		key := th.key(email, ip)
		var err error
		if i < 2 {
			_, err = q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
		} else {
			_, err = q.ExecContext(ctx, `UPDATE login_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0`, key)
		}
		if err != nil {
			return fmt.Errorf("forgive attempt: %w", err)
		}
	}
	return nil
}

// clearAccountThrottle lets the owner in again after they proved control of
// the address (a password reset).
func clearAccountThrottle(ctx context.Context, q db.Querier, email string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1 OR key LIKE $2`, "acct:"+email, "acct-ip:"+email+"|%")
	return err
}
