package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is written by the server goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var runningAt = regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+/)`)

// TestDemoCommand runs `sharaka demo` as the README says, twice on the same
// directory: it serves the demo city, prints the logins, and does not load twice.
func TestDemoCommand(t *testing.T) {
	dir := t.TempDir()
	for round := 1; round <= 2; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		var out syncBuffer
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"demo", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"}, strings.NewReader(""), &out, io.Discard)
		}()
		// Loading the demo city takes seconds (more under the race detector).
		var base string
		deadline := time.After(90 * time.Second)
	wait:
		for base == "" {
			select {
			case err := <-done:
				t.Fatalf("round %d: demo stopped before serving: %v\n%s", round, err, out.String())
			case <-deadline:
				break wait
			case <-time.After(25 * time.Millisecond):
				if m := runningAt.FindStringSubmatch(out.String()); m != nil {
					base = m[1]
				}
			}
		}
		if base == "" {
			cancel()
			t.Fatalf("round %d: no URL printed:\n%s\nerr: %v", round, out.String(), <-done)
		}
		resp, err := http.Get(base + "organisations")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "جمعية تكافل الخيرية") {
			t.Fatalf("round %d: demo organisations not served: %d", round, resp.StatusCode)
		}
		text := out.String()
		if !strings.Contains(text, "admin@sharaka.example") || !strings.Contains(text, "sharaka-demo") {
			t.Fatalf("round %d: logins not printed:\n%s", round, text)
		}
		want := "Demo data loaded"
		if round == 2 {
			want = "Demo data already present"
		}
		if !strings.Contains(text, want) {
			t.Fatalf("round %d: want %q in\n%s", round, want, text)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("round %d: demo returned %v", round, err)
		}
	}
}

func TestMigrateUserAndVersion(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "s.db")
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", dbPath}, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "migrations applied") {
		t.Fatalf("migrate: %v %s", err, out.String())
	}
	out.Reset()
	err := run(ctx, []string{"user", "create", "--admin", "--email", "Root@Example.org", "--name", "مدير", "--db", dbPath}, strings.NewReader("a long password\n"), &out, &errOut)
	if err != nil || !strings.Contains(out.String(), "created admin مدير <root@example.org>") {
		t.Fatalf("user create: %v %q", err, out.String())
	}
	err = run(ctx, []string{"user", "create", "--admin", "--email", "root@example.org", "--name", "again", "--db", dbPath}, strings.NewReader("a long password\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "already has an account") {
		t.Fatalf("duplicate admin: %v", err)
	}
	err = run(ctx, []string{"user", "create", "--admin", "--email", "x@example.org", "--name", "x", "--db", dbPath}, strings.NewReader("short\n"), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "password: The password is too short") {
		t.Fatalf("short password: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"version"}, nil, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "sharaka ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(ctx, []string{"frobnicate"}, nil, &out, &errOut); err == nil {
		t.Fatal("unknown command accepted")
	}
}
