// Package config reads Sharaka's settings from flags and SHARAKA_* environment
// variables (flags win) into one typed value; nothing here is global.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of a running instance.
type Config struct {
	Addr        string
	DatabaseURL string
	// BaseURL is the public address used in emailed links.
	BaseURL string
	// Dev shows the mail outbox to admins and relaxes nothing else.
	Dev bool
	// Workers runs background jobs in this process.
	Workers bool
	// TrustProxy believes X-Forwarded-For and X-Forwarded-Proto from a reverse proxy.
	TrustProxy      bool
	LogFormat       string
	LogLevel        string
	ShutdownTimeout time.Duration
	SMTP            SMTP
}

// SMTP configures outgoing email; with no Host, mail goes to the log and the dev outbox.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string
}

// Setting describes one option, for flags, the environment and the README table.
type Setting struct {
	Flag, Env, Default, Help string
}

// Settings lists every option in the order the README shows them.
var Settings = []Setting{
	{"addr", "SHARAKA_ADDR", "127.0.0.1:8080", "address to listen on"},
	{"db", "SHARAKA_DATABASE_URL", "./data/sharaka.db", "SQLite file path or postgres:// URL"},
	{"base-url", "SHARAKA_BASE_URL", "", "public URL for links in emails (default http://<addr>)"},
	{"dev", "SHARAKA_DEV", "false", "development mode: admins see the mail outbox at /admin/outbox"},
	{"workers", "SHARAKA_WORKERS", "true", "run background job workers in this process"},
	{"trust-proxy", "SHARAKA_TRUST_PROXY", "false", "trust X-Forwarded-For/-Proto from a reverse proxy"},
	{"log-format", "SHARAKA_LOG_FORMAT", "text", "log format: text or json"},
	{"log-level", "SHARAKA_LOG_LEVEL", "info", "log level: debug, info, warn, error"},
	{"shutdown-timeout", "SHARAKA_SHUTDOWN_TIMEOUT", "20s", "how long SIGTERM waits for in-flight requests and jobs"},
	{"smtp-host", "SHARAKA_SMTP_HOST", "", "SMTP server; empty writes mail to the log and the dev outbox"},
	{"smtp-port", "SHARAKA_SMTP_PORT", "587", "SMTP port"},
	{"smtp-username", "SHARAKA_SMTP_USERNAME", "", "SMTP user name"},
	{"smtp-password", "SHARAKA_SMTP_PASSWORD", "", "SMTP password"},
	{"smtp-from", "SHARAKA_SMTP_FROM", "Sharaka <no-reply@localhost>", "sender address"},
	{"smtp-tls", "SHARAKA_SMTP_TLS", "starttls", "starttls, tls (implicit) or none"},
}

// Parse reads args (without the command name) and the environment.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) (*Config, error) {
	vals := map[string]*string{}
	for _, s := range Settings {
		def := s.Default
		if v := getenv(s.Env); v != "" {
			def = v
		}
		v := &value{s: def, isBool: s.Default == "true" || s.Default == "false"}
		fs.Var(v, s.Flag, s.Help+" ("+s.Env+")")
		vals[s.Flag] = &v.s
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags take the form --name=value)", fs.Arg(0))
	}
	get := func(k string) string { return strings.TrimSpace(*vals[k]) }
	c := &Config{
		Addr:        get("addr"),
		DatabaseURL: get("db"),
		BaseURL:     strings.TrimSuffix(get("base-url"), "/"),
		LogFormat:   get("log-format"),
		LogLevel:    get("log-level"),
		SMTP: SMTP{Host: get("smtp-host"), Username: get("smtp-username"), Password: get("smtp-password"),
			From: get("smtp-from"), TLS: get("smtp-tls")},
	}
	var errs []error
	boolOf := func(k string) bool {
		b, err := strconv.ParseBool(get(k))
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s: want true or false, got %q", k, get(k)))
		}
		return b
	}
	c.Dev, c.Workers, c.TrustProxy = boolOf("dev"), boolOf("workers"), boolOf("trust-proxy")
	var err error
	if c.ShutdownTimeout, err = time.ParseDuration(get("shutdown-timeout")); err != nil {
		errs = append(errs, fmt.Errorf("--shutdown-timeout: %w", err))
	}
	if c.SMTP.Port, err = strconv.Atoi(get("smtp-port")); err != nil {
		errs = append(errs, fmt.Errorf("--smtp-port: %w", err))
	}
	if c.BaseURL == "" {
		// Emailed links must reach people: a real mail server needs the public address.
		if c.SMTP.Host != "" {
			errs = append(errs, errors.New("--base-url is required with --smtp-host: emailed links must point at the public address"))
		}
		c.BaseURL = "http://" + c.Addr
	}
	if err := errors.Join(append(errs, c.Validate())...); err != nil {
		return nil, err
	}
	return c, nil
}

// HTTPS reports whether the public address is https, so cookies are always Secure.
func (c *Config) HTTPS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Validate checks values that parsed but make no sense together.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want HOST:PORT", c.Addr))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("--db is empty"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url %q: want an http(s) URL", c.BaseURL))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("--smtp-tls %q: want starttls, tls or none", c.SMTP.TLS))
	}
	return errors.Join(errs...)
}

// Env is os.Getenv, named for callers of Parse.
var Env = os.Getenv

// value is a flag holding text; boolean settings also accept a bare --flag.
type value struct {
	s      string
	isBool bool
}

func (v *value) String() string     { return v.s }
func (v *value) Set(s string) error { v.s = s; return nil }
func (v *value) IsBoolFlag() bool   { return v.isBool }
