// Package ratelimit counts actions per key in fixed windows, in the database,
// so that every instance behind a load balancer shares the count.
package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
)

// Limit allows Max actions per Window for each key.
type Limit struct {
	Name   string
	Max    int
	Window time.Duration
}

// Allow counts one action for key and reports whether it is within the
// limit; when it is not, the error is a 429 that says when to try again.
// The count and the check are one statement, so parallel requests cannot
// both slip under the limit.
func Allow(ctx context.Context, q db.Querier, l Limit, key string, now time.Time) error {
	var start time.Time
	var n int
	err := q.QueryRowContext(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
		RETURNING window_start, count`, l.Name+":"+key, now, now.Add(-l.Window)).Scan(&start, &n)
	if err != nil {
		return fmt.Errorf("rate limit %s: %w", l.Name, err)
	}
	if n > l.Max {
		return &httpx.Error{Status: http.StatusTooManyRequests, Type: "rate-limited", MsgID: "error.too_many_requests",
			RetryAfter: start.Add(l.Window).Sub(now)}
	}
	return nil
}

// Purge deletes windows that ended before now, for the periodic clean-up.
func Purge(ctx context.Context, q db.Querier, longest time.Duration, now time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_start < $1`, now.Add(-longest))
	if err != nil {
		return 0, fmt.Errorf("purge rate limits: %w", err)
	}
	return res.RowsAffected()
}
