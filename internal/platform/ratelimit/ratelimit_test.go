package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/ratelimit"
)

func TestFixedWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := ratelimit.Limit{Name: "signup", Max: 3, Window: time.Hour}
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			if err := ratelimit.Allow(ctx, d.W, l, "1.2.3.4", now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		err := ratelimit.Allow(ctx, d.W, l, "1.2.3.4", now.Add(10*time.Minute))
		var he *httpx.Error
		if !errors.As(err, &he) || he.Status != 429 || he.RetryAfter != 50*time.Minute {
			t.Fatalf("fourth: %v (retry %v)", err, he)
		}
		if err := ratelimit.Allow(ctx, d.W, l, "5.6.7.8", now); err != nil {
			t.Fatalf("another key: %v", err)
		}
		if err := ratelimit.Allow(ctx, d.W, l, "1.2.3.4", now.Add(time.Hour)); err != nil {
			t.Fatalf("next window: %v", err)
		}
	})
}

func TestParallelRequestsDoNotSlipUnder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		l := ratelimit.Limit{Name: "x", Max: 5, Window: time.Hour}
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ratelimit.Allow(context.Background(), d.W, l, "k", now) == nil {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != 5 {
			t.Fatalf("%d allowed, want 5", allowed)
		}
	})
}
