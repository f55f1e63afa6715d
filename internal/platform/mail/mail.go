// Package mail sends the platform's e-mail: through an SMTP server in
// production, or into a development outbox (the log and table mail_outbox)
// when none is configured. Messages go out from a River job, so a slow or
// failing mail server never holds up a request and no message is lost.
package mail

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one e-mail to one recipient. Text is always sent; HTML, when
// set, is offered beside it as an alternative.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html,omitempty"`
}

// Sender delivers a message or says why it could not.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrRejected marks a permanent refusal by the mail server (a 5xx reply to
// the message itself): sending the same message again would fail again.
var ErrRejected = errors.New("mail rejected by server")

// Validate checks what a server would refuse, before the message is queued.
func (m Message) Validate() error {
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("mail recipient %q: %w", m.To, err)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("mail subject is empty")
	}
	// A line break in a header would let its text start new headers.
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail subject contains a line break")
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("mail text is empty")
	}
	return nil
}

// compose renders m as an RFC 5322 message in UTF-8: encoded-word headers
// (RFC 2047) and base64 bodies, which are shorter than quoted-printable for
// Arabic text and pass any 7-bit relay.
func (m Message) compose(from *netmail.Address, now time.Time) ([]byte, error) {
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("mail recipient %q: %w", m.To, err)
	}
	var b strings.Builder
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeHeader(m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		writeBase64(&b, m.Text)
		return []byte(b.String()), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	// Least preferred first (RFC 2046 §5.1.4): clients that render HTML pick the last part.
	for _, p := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"base64"},
		})
		if err != nil {
			return nil, fmt.Errorf("mail part %s: %w", p.typ, err)
		}
		writeBase64(w, p.body)
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("mail parts: %w", err)
	}
	return []byte(b.String()), nil
}

// encodeHeader encodes non-ASCII text as RFC 2047 words (at most 75
// characters each), one per folded line, so a long Arabic subject never
// becomes an overlong line.
func encodeHeader(s string) string {
	return strings.ReplaceAll(mime.BEncoding.Encode("utf-8", s), "?= =?", "?=\r\n =?")
}

// writeBase64 writes s with CRLF line ends (canonical for text/*) as base64 in 76-character lines.
func writeBase64(w io.Writer, s string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	for len(enc) > 76 {
		io.WriteString(w, enc[:76]+"\r\n")
		enc = enc[76:]
	}
	io.WriteString(w, enc+"\r\n")
}

func messageID(fromAddr string) string {
	domain := "localhost"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 {
		domain = fromAddr[i+1:]
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "<" + hex.EncodeToString(b) + "@" + domain + ">"
}
