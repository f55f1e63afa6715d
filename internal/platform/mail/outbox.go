package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"sharaka/internal/platform/db"
)

// OutboxSender is the development sender: it delivers nothing, but logs each
// message and keeps it in table mail_outbox, where a developer can read the
// links it carries (sign-up confirmation, password reset) without a mail server.
type OutboxSender struct {
	d *db.DB
	// Logger receives each message; slog.Default() when nil.
	Logger *slog.Logger
}

// NewOutboxSender returns an outbox over d.
func NewOutboxSender(d *db.DB) *OutboxSender { return &OutboxSender{d: d} }

// Send logs m and stores it; the HTML part is not kept (the text says the same).
func (s *OutboxSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := s.d.W.ExecContext(ctx,
		`INSERT INTO mail_outbox (id, to_addr, subject, body_text, created_at) VALUES ($1, $2, $3, $4, $5)`,
		db.NewID(), m.To, m.Subject, m.Text, db.Now())
	if err != nil {
		return fmt.Errorf("mail outbox: store message to %s: %w", m.To, err)
	}
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail kept in outbox (no SMTP server configured)", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

// OutboxItem is a message kept by the OutboxSender.
type OutboxItem struct {
	ID        string
	To        string
	Subject   string
	Text      string
	CreatedAt time.Time
}

// ListOutbox returns up to limit messages (50 when limit ≤ 0, at most 500),
// newest first, older than the message beforeID when it is not empty. IDs are
// UUIDv7, so their order is creation order and the last ID of a page is the
// cursor for the next.
func ListOutbox(ctx context.Context, d *db.DB, limit int, beforeID string) ([]OutboxItem, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	const cols = `SELECT id, to_addr, subject, body_text, created_at FROM mail_outbox`
	q, args := cols+` ORDER BY id DESC LIMIT $1`, []any{limit}
	if beforeID != "" {
		q, args = cols+` WHERE id < $1 ORDER BY id DESC LIMIT $2`, []any{beforeID, limit}
	}
	rows, err := d.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list mail outbox: %w", err)
	}
	defer rows.Close()
	var items []OutboxItem
	for rows.Next() {
		var it OutboxItem
		if err := rows.Scan(&it.ID, &it.To, &it.Subject, &it.Text, &it.CreatedAt); err != nil {
			return nil, fmt.Errorf("list mail outbox: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list mail outbox: %w", err)
	}
	return items, nil
}
