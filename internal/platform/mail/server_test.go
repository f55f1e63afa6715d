package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test SMTP server got it.
type received struct {
	From, To string
	User     string // who authenticated, "" if nobody
	TLS      bool
	Data     []byte
}

// smtpServer is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that keeps
// what it receives. Its fields are set before start and not changed after.
type smtpServer struct {
	User, Pass string          // required credentials; none when User is ""
	Mechs      []string        // AUTH mechanisms offered; PLAIN when empty
	STARTTLS   *tls.Config     // offer STARTTLS with this config
	Implicit   *tls.Config     // speak TLS from the first byte
	Reject     func(int) error // error to answer the nth DATA with (1-based), or nil

	Host string
	Port int
	got  chan received

	mu    sync.Mutex
	datas int
}

func (s *smtpServer) start(t *testing.T) *smtpServer {
	t.Helper()
	s.got = make(chan received, 16)
	if len(s.Mechs) == 0 {
		s.Mechs = []string{sasl.Plain}
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{srv: s, tls: isTLS}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	srv.TLSConfig = s.STARTTLS
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.Implicit != nil {
		l = tls.NewListener(l, s.Implicit)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = addr.IP.String(), addr.Port
	return s
}

// next waits for the next delivered message.
func (s *smtpServer) next(t *testing.T) received {
	t.Helper()
	select {
	case r := <-s.got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no message reached the SMTP server")
		return received{}
	}
}

// none asserts that no further message arrives within a short while.
func (s *smtpServer) none(t *testing.T) {
	t.Helper()
	select {
	case r := <-s.got:
		t.Fatalf("unexpected message delivered: %s", r.Data)
	case <-time.After(300 * time.Millisecond):
	}
}

func (s *smtpServer) dataCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.datas
}

type session struct {
	srv      *smtpServer
	tls      bool
	user     string
	from, to string
}

func (s *session) AuthMechanisms() []string { return s.srv.Mechs }

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.srv.User || pass != s.srv.Pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.User != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "nobody@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	s.srv.datas++
	n := s.srv.datas
	s.srv.mu.Unlock()
	if s.srv.Reject != nil {
		if err := s.srv.Reject(n); err != nil {
			return err
		}
	}
	s.srv.got <- received{From: s.from, To: s.to, User: s.user, TLS: s.tls, Data: b}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN, which go-sasl does not provide.
type loginServer struct {
	check      func(user, pass string) error
	step       int
	user, pass string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(resp)
		return []byte("Password:"), false, nil
	case 3:
		l.pass = string(resp)
		return nil, true, l.check(l.user, l.pass)
	}
	return nil, false, errors.New("unexpected LOGIN step")
}

// testTLS makes a self-signed certificate for 127.0.0.1 and returns the
// server's config and a client config that trusts it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "sharaka test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}

// parsed is a received message decoded the way a mail client would.
type parsed struct {
	Header           netmail.Header
	Subject          string
	Text, HTML       string
	FromName, ToAddr string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	var p parsed
	p.Header = msg.Header
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		t.Fatalf("From header: %v %v", from, err)
	}
	p.FromName = from[0].Name
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To header: %v %v", to, err)
	}
	p.ToAddr = to[0].Address
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if mt != "multipart/alternative" {
		p.Text = decodePart(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		return p
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			return p
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		body := decodePart(t, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part)
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			p.HTML = body
		} else {
			p.Text = body
		}
	}
}

func decodePart(t *testing.T, ctype, cte string, r io.Reader) string {
	t.Helper()
	if ctype != "text/plain; charset=utf-8" && ctype != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want UTF-8 text", ctype)
	}
	if cte != "base64" {
		t.Fatalf("Content-Transfer-Encoding %q, want base64", cte)
	}
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, r))
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return string(b)
}
