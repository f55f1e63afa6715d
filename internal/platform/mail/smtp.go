package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how SMTPSender encrypts its connection.
type TLSMode string

// TLS modes of SMTPConfig.
const (
	TLSAuto     TLSMode = ""         // STARTTLS when the server offers it
	TLSStartTLS TLSMode = "starttls" // STARTTLS, refusing servers that do not offer it
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (usually port 465)
	TLSNone     TLSMode = "none"     // never encrypt (a relay on the same host or network)
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host string
	// Port defaults to 465 with TLSImplicit and 587 otherwise.
	Port               int
	Username, Password string
	// From is the sender, with or without a display name: "شراكة <noreply@example.org>".
	From string
	// TLS defaults to TLSAuto.
	TLS TLSMode
	// TLSConfig is optional, for a private CA; ServerName defaults to Host.
	TLSConfig *tls.Config
	// Timeout bounds one whole SMTP conversation; 30s when zero.
	Timeout time.Duration
}

// SMTPSender delivers each message over a new SMTP connection (mail volume is
// low and a fresh connection needs no keep-alive or reconnect logic).
type SMTPSender struct {
	cfg  SMTPConfig
	from *netmail.Address
}

// NewSMTPSender checks cfg and fills its defaults.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: host is empty")
	}
	if !slices.Contains([]TLSMode{TLSAuto, TLSStartTLS, TLSImplicit, TLSNone}, cfg.TLS) {
		return nil, fmt.Errorf("smtp: unknown TLS mode %q (want starttls, tls or none)", cfg.TLS)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: sender %q: %w", cfg.From, err)
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLSImplicit {
			cfg.Port = 465
		}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tc = cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = cfg.Host
	}
	cfg.TLSConfig = tc
	return &SMTPSender{cfg: cfg, from: from}, nil
}

// Send delivers m. An error wrapping ErrRejected means the server refused the
// message for good; any other error is worth retrying later.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	body, err := m.compose(s.from, time.Now())
	if err != nil {
		return err
	}
	to, _ := netmail.ParseAddress(m.To) // Validate parsed it already
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	conn, err := s.dial(ctx, addr)
	if err != nil {
		return fmt.Errorf("smtp: connect %s: %w", addr, err)
	}
	defer conn.Close()
	// net/smtp knows no context: a deadline bounds the conversation and
	// cancellation closes the connection under it.
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return fmt.Errorf("smtp: set deadline: %w", err)
	}
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	if err := s.converse(conn, s.from.Address, to.Address, body); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("smtp %s: %w (%w)", addr, ctx.Err(), err)
		}
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	return nil
}

func (s *SMTPSender) dial(ctx context.Context, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: s.cfg.Timeout}
	if s.cfg.TLS == TLSImplicit {
		return (&tls.Dialer{NetDialer: d, Config: s.cfg.TLSConfig}).DialContext(ctx, "tcp", addr)
	}
	return d.DialContext(ctx, "tcp", addr)
}

func (s *SMTPSender) converse(conn net.Conn, fromAddr, toAddr string, body []byte) error {
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if s.cfg.TLS == TLSAuto || s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.cfg.TLSConfig); err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
		} else if s.cfg.TLS == TLSStartTLS {
			return errors.New("server does not offer STARTTLS")
		}
	}
	if s.cfg.Username != "" {
		if err := s.auth(c); err != nil {
			return err
		}
	}
	if err := c.Mail(fromAddr); err != nil {
		return refused("MAIL FROM", err)
	}
	if err := c.Rcpt(toAddr); err != nil {
		return refused("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return refused("DATA", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	if err := w.Close(); err != nil {
		return refused("end of DATA", err)
	}
	// The server has taken the message: a failed QUIT must not make the job send it twice.
	_ = c.Quit()
	return nil
}

// auth picks PLAIN or, for servers that offer only it, LOGIN. Both refuse to
// send the password over an unencrypted connection to another host.
func (s *SMTPSender) auth(c *smtp.Client) error {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return errors.New("server offers no AUTH, but a username is configured")
	}
	var a smtp.Auth
	switch fields := strings.Fields(strings.ToUpper(mechs)); {
	case slices.Contains(fields, "PLAIN"):
		a = smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)
	case slices.Contains(fields, "LOGIN"):
		a = &loginAuth{user: s.cfg.Username, pass: s.cfg.Password, host: s.cfg.Host}
	default:
		return fmt.Errorf("server offers AUTH %s; want PLAIN or LOGIN", mechs)
	}
	if err := c.Auth(a); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// refused marks a 5xx reply to the message as permanent.
func refused(stage string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return fmt.Errorf("%s: %w: %w", stage, ErrRejected, err)
	}
	return fmt.Errorf("%s: %w", stage, err)
}

// loginAuth is the LOGIN mechanism, which net/smtp lacks and some providers
// (Microsoft 365 among them) offer instead of PLAIN.
type loginAuth struct{ user, pass, host string }

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(challenge))) {
	case "username:":
		return []byte(a.user), nil
	case "password:":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", challenge)
}

func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}
