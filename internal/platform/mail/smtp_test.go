package mail_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sharaka/internal/platform/mail"
)

const arabicSubject = "تأكيد التسجيل في منصة شراكة للعمل التطوعي والمجتمعي — رابط التفعيل صالح لمدة ٢٤ ساعة"

var arabicMessage = mail.Message{
	To:      "volunteer@example.org",
	Subject: arabicSubject,
	Text:    "مرحباً أحمد،\nاضغط الرابط لتأكيد حسابك: https://sharaka.example/confirm?t=abc\n" + strings.Repeat("سطر طويل ", 30),
}

func sender(t *testing.T, srv *smtpServer, cfg mail.SMTPConfig) *mail.SMTPSender {
	t.Helper()
	cfg.Host, cfg.Port = srv.Host, srv.Port
	cfg.From = "شراكة <noreply@sharaka.example>"
	cfg.Timeout = 5 * time.Second
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPSenderDeliversArabicMail(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := testTLS(t)
	tests := []struct {
		name    string
		srv     *smtpServer
		cfg     mail.SMTPConfig
		wantTLS bool
	}{
		{"none with PLAIN", &smtpServer{User: "u", Pass: "كلمة-سر"}, mail.SMTPConfig{TLS: mail.TLSNone, Username: "u", Password: "كلمة-سر"}, false},
		{"auto without STARTTLS offered", &smtpServer{}, mail.SMTPConfig{}, false},
		{"auto takes STARTTLS", &smtpServer{STARTTLS: serverTLS, User: "u", Pass: "p"}, mail.SMTPConfig{TLSConfig: clientTLS, Username: "u", Password: "p"}, true},
		{"starttls", &smtpServer{STARTTLS: serverTLS}, mail.SMTPConfig{TLS: mail.TLSStartTLS, TLSConfig: clientTLS}, true},
		{"implicit tls", &smtpServer{Implicit: serverTLS, User: "u", Pass: "p"}, mail.SMTPConfig{TLS: mail.TLSImplicit, TLSConfig: clientTLS, Username: "u", Password: "p"}, true},
		{"LOGIN only", &smtpServer{Mechs: []string{sasl.Login}, User: "u", Pass: "p"}, mail.SMTPConfig{TLS: mail.TLSNone, Username: "u", Password: "p"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.srv.start(t)
			if err := sender(t, srv, tt.cfg).Send(t.Context(), arabicMessage); err != nil {
				t.Fatal(err)
			}
			r := srv.next(t)
			if r.From != "noreply@sharaka.example" || r.To != arabicMessage.To || r.User != tt.srv.User || r.TLS != tt.wantTLS {
				t.Errorf("envelope from %q to %q, user %q, tls %v; want noreply@sharaka.example, %s, %q, %v",
					r.From, r.To, r.User, r.TLS, arabicMessage.To, tt.srv.User, tt.wantTLS)
			}
			checkArabic(t, r.Data)
		})
	}
}

// checkArabic asserts that data is arabicMessage, encoded so that any client decodes it.
func checkArabic(t *testing.T, data []byte) {
	t.Helper()
	p := parse(t, data)
	if p.Subject != arabicSubject {
		t.Errorf("subject decodes to %q, want %q", p.Subject, arabicSubject)
	}
	want := strings.ReplaceAll(arabicMessage.Text, "\n", "\r\n")
	if p.Text != want {
		t.Errorf("text decodes to %q, want %q", p.Text, want)
	}
	if p.FromName != "شراكة" || p.ToAddr != arabicMessage.To {
		t.Errorf("From name %q, To %q", p.FromName, p.ToAddr)
	}
	if _, err := p.Header.Date(); err != nil {
		t.Errorf("Date header: %v", err)
	}
	if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@sharaka.example>") {
		t.Errorf("Message-ID %q", id)
	}
	for _, line := range strings.Split(string(data), "\r\n") {
		// RFC 2047 words are at most 75 characters, one per folded line.
		if len(line) > 90 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Fatalf("raw 8-bit byte in %q; headers and body must be 7-bit encoded", line)
			}
		}
	}
}

func TestSMTPSenderSendsHTMLAlternative(t *testing.T) {
	t.Parallel()
	srv := (&smtpServer{}).start(t)
	m := mail.Message{To: "a@example.org", Subject: "أهلاً", Text: "نص", HTML: `<p dir="rtl">نص <b>غامق</b></p>`}
	if err := sender(t, srv, mail.SMTPConfig{}).Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	p := parse(t, srv.next(t).Data)
	if p.Subject != m.Subject || p.Text != m.Text || p.HTML != m.HTML {
		t.Fatalf("got subject %q text %q html %q", p.Subject, p.Text, p.HTML)
	}
}

func TestSMTPSenderClassifiesFailures(t *testing.T) {
	t.Parallel()
	srv := (&smtpServer{Reject: func(int) error {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}}).start(t)
	s := sender(t, srv, mail.SMTPConfig{})
	if err := s.Send(t.Context(), arabicMessage); err == nil || errors.Is(err, mail.ErrRejected) {
		t.Errorf("451: got %v, want a temporary error", err)
	}
	m := arabicMessage
	m.To = "nobody@example.org"
	if err := s.Send(t.Context(), m); !errors.Is(err, mail.ErrRejected) {
		t.Errorf("550 on RCPT: got %v, want ErrRejected", err)
	}
	plain := (&smtpServer{}).start(t)
	err := sender(t, plain, mail.SMTPConfig{TLS: mail.TLSStartTLS}).Send(t.Context(), arabicMessage)
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("starttls required but not offered: got %v", err)
	}
	wrong := (&smtpServer{User: "u", Pass: "p"}).start(t)
	if err := sender(t, wrong, mail.SMTPConfig{TLS: mail.TLSNone, Username: "u", Password: "x"}).Send(t.Context(), arabicMessage); err == nil {
		t.Error("wrong password accepted")
	}
	plain.none(t)
	wrong.none(t)
}

func TestMessageValidate(t *testing.T) {
	t.Parallel()
	ok := mail.Message{To: "a@example.org", Subject: "s", Text: "t"}
	tests := []struct {
		name string
		edit func(*mail.Message)
	}{
		{"bad address", func(m *mail.Message) { m.To = "not an address" }},
		{"header injection in To", func(m *mail.Message) { m.To = "a@example.org\r\nBcc: b@example.org" }},
		{"header injection in Subject", func(m *mail.Message) { m.Subject = "hi\r\nBcc: b@example.org" }},
		{"empty subject", func(m *mail.Message) { m.Subject = " " }},
		{"empty text", func(m *mail.Message) { m.Text = "" }},
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid message: %v", err)
	}
	for _, tt := range tests {
		m := ok
		tt.edit(&m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	for _, cfg := range []mail.SMTPConfig{
		{From: "a@example.org"},
		{Host: "h", From: "a@example.org", TLS: "ssl"},
		{Host: "h", From: "not an address"},
	} {
		if _, err := mail.NewSMTPSender(cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}
