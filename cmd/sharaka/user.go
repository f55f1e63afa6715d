package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"sharaka/internal/account"
	"sharaka/internal/app"
	"sharaka/internal/platform/config"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

func openDB(ctx context.Context, cfg *config.Config) (*db.DB, error) {
	return db.Open(ctx, cfg.DatabaseURL)
}

// cmdUser handles `user create --admin`; the password is read from stdin so
// that it never appears in the process list or shell history.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(`usage: sharaka user create --admin --email E --name N  (password on stdin)`)
	}
	var email, name string
	var admin bool
	cfg, err := parseConfig("user create", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "email of the new user")
		fs.StringVar(&name, "name", "", "display name of the new user")
		fs.BoolVar(&admin, "admin", false, "make the user a platform admin")
	})
	if err != nil {
		return err
	}
	if !admin {
		return errors.New("only --admin accounts are created here; other people sign up on the site")
	}
	fmt.Fprintln(stderr, "password (one line on stdin):")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := app.Migrate(ctx, d); err != nil {
		return err
	}
	svc := account.NewService(d, nil, cfg.BaseURL)
	u, err := svc.CreateAdmin(ctx, account.SignUp{Email: email, Name: name, Password: strings.TrimRight(line, "\r\n"), Locale: i18n.AR})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created admin %s <%s> (id %s)\n", u.Name, u.Email, u.ID)
	return nil
}

// describe turns a validation error into English text for the terminal.
func describe(err error) error {
	var he *httpx.Error
	if !errors.As(err, &he) || len(he.Fields) == 0 {
		return err
	}
	loc := i18n.New(i18n.EN, i18n.Latin, nil)
	var parts []string
	for f, id := range he.Fields {
		parts = append(parts, f+": "+loc.T(id))
	}
	return errors.New(strings.Join(parts, "; "))
}
