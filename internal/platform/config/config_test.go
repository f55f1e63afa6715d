package config

import (
	"flag"
	"strings"
	"testing"
)

func parse(args []string, env map[string]string) (*Config, error) {
	return Parse(flag.NewFlagSet("t", flag.ContinueOnError), args, func(k string) string { return env[k] })
}

func TestDefaultsEnvAndFlags(t *testing.T) {
	c, err := parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "./data/sharaka.db" || !c.Workers || c.Dev {
		t.Fatalf("defaults: %+v", c)
	}
	if c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("base url default = %q", c.BaseURL)
	}
	c, err = parse([]string{"--addr", "0.0.0.0:9000"}, map[string]string{"SHARAKA_ADDR": "127.0.0.1:7000", "SHARAKA_DATABASE_URL": "postgres://x@h/db", "SHARAKA_WORKERS": "false"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" {
		t.Fatalf("flag should beat env: %q", c.Addr)
	}
	if c.DatabaseURL != "postgres://x@h/db" || c.Workers {
		t.Fatalf("env not read: %+v", c)
	}
}

func TestInvalidValuesAreAllReported(t *testing.T) {
	_, err := parse([]string{"--addr", "nohostport", "--log-format", "xml", "--dev=maybe"}, nil)
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, want := range []string{"--dev", "--addr"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	_, err = parse([]string{"--log-format", "xml"}, nil)
	if err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("log format error = %v", err)
	}
}

func TestBareBooleanFlags(t *testing.T) {
	c, err := parse([]string{"--dev", "--workers=false", "--trust-proxy"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Dev || c.Workers || !c.TrustProxy {
		t.Fatalf("bare flags: %+v", c)
	}
}

func TestSMTPNeedsTheBaseURL(t *testing.T) {
	if _, err := parse([]string{"--smtp-host", "mail.example.org"}, nil); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Fatalf("smtp without base url: %v", err)
	}
	c, err := parse([]string{"--smtp-host", "mail.example.org", "--base-url", "https://sharaka.example.org/"}, nil)
	if err != nil || !c.HTTPS() || c.BaseURL != "https://sharaka.example.org" {
		t.Fatalf("with base url: %+v %v", c, err)
	}
}
