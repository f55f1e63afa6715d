package mail_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/mail"
)

// syncBuffer is a log destination safe for River's and the test's goroutines.
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

func TestOutboxKeepsAndListsMessages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var logs syncBuffer
		s := mail.NewOutboxSender(d)
		s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		ctx := t.Context()
		for i := range 5 {
			m := mail.Message{To: fmt.Sprintf("v%d@example.org", i), Subject: fmt.Sprintf("رسالة %d", i), Text: fmt.Sprintf("نص %d", i)}
			if err := s.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if !strings.Contains(logs.String(), "رسالة 4") || !strings.Contains(logs.String(), "v4@example.org") {
			t.Errorf("message not logged: %s", logs.String())
		}
		var got []string
		before := ""
		for page := 0; ; page++ {
			items, err := mail.ListOutbox(ctx, d, 2, before)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				break
			}
			if page > 3 || len(items) > 2 {
				t.Fatalf("page %d has %d items; pagination does not advance", page, len(items))
			}
			for _, it := range items {
				if it.CreatedAt.IsZero() || it.ID == "" {
					t.Errorf("item %+v lacks id or time", it)
				}
				got = append(got, it.To+"|"+it.Subject+"|"+it.Text)
			}
			before = items[len(items)-1].ID
		}
		want := []string{}
		for i := 4; i >= 0; i-- {
			want = append(want, fmt.Sprintf("v%d@example.org|رسالة %d|نص %d", i, i, i))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("outbox pages, newest first:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if err := s.Send(ctx, mail.Message{To: "bad", Subject: "s", Text: "t"}); err == nil {
			t.Error("outbox accepted an invalid message")
		}
	})
}
