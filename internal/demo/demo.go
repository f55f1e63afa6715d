// Package demo loads a demonstration city into an empty database: Al-Madinah
// al-Munawwarah with its districts and neighbourhoods, organisations of
// several kinds, and accounts for each role. Everything goes through the same
// services people use, so the demo exercises the real rules.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"sync"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

//go:embed places.csv
var placesCSV []byte

// Password is shared by every demo account; the demo is not for real data.
const Password = "sharaka-demo"

// Login is a demo account to show the person running the demo.
type Login struct {
	Email, Role string
}

// Result says what Load did.
type Result struct {
	// Created is false when the demo data was already there.
	Created bool
	Logins  []Login
}

type person struct {
	email, name string
	lang        i18n.Lang
	role        string // shown in the login list
}

var (
	admin     = person{"admin@sharaka.example", "مدير المنصة", i18n.AR, "platform admin"}
	charityA  = person{"takaful.owner@sharaka.example", "مسؤول جمعية تكافل", i18n.AR, "owner, Takaful charitable association"}
	charityC  = person{"takaful.coordinator@sharaka.example", "منسّقة التطوع في جمعية تكافل", i18n.AR, "coordinator, Takaful"}
	charityW  = person{"takaful.caseworker@sharaka.example", "باحثة اجتماعية في جمعية تكافل", i18n.AR, "case worker, Takaful"}
	elderlyA  = person{"wafa.owner@sharaka.example", "مدير دار الوفاء", i18n.AR, "owner, Al-Wafa elderly care home"}
	elderlyC  = person{"wafa.coordinator@sharaka.example", "منسّق الزيارات في دار الوفاء", i18n.EN, "coordinator, Al-Wafa (English UI)"}
	municipal = person{"quba.municipality@sharaka.example", "موظف بلدية قباء", i18n.AR, "owner, Quba sub-municipality"}
	health    = person{"awali.health@sharaka.example", "مدير مركز صحي العوالي", i18n.AR, "owner, Al-Awali health centre"}
	team      = person{"sawaed.leader@sharaka.example", "قائد فريق سواعد", i18n.AR, "owner, Sawaed volunteer team (pending)"}
	resident1 = person{"resident.quba@sharaka.example", "مقيمة في حي قباء", i18n.AR, "resident"}
	resident2 = person{"resident.awali@sharaka.example", "Resident of Al-Awali", i18n.EN, "resident (English UI)"}
)

var everyone = []person{admin, charityA, charityC, charityW, elderlyA, elderlyC, municipal, health, team, resident1, resident2}

// Load fills an empty database with the demo city once; on a database that
// already has it, it changes nothing.
func Load(ctx context.Context, d *db.DB, accounts *account.Service, _ *org.Service, vol *volunteer.Service) (*Result, error) {
	res := &Result{}
	for _, p := range everyone {
		res.Logins = append(res.Logins, Login{Email: p.email, Role: p.role})
	}
	if _, err := accounts.UserByEmail(ctx, admin.email); err == nil {
		return res, nil
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	// Invitations are accepted by reading the link from the mail, as a person would.
	mails := &mailbox{}
	orgs := org.NewService(d, mails, "http://demo")
	if rep, err := orgs.ImportPlacesCSV(ctx, bytes.NewReader(placesCSV), ""); err != nil {
		return nil, fmt.Errorf("demo places: %w (%+v)", err, rep)
	}
	users := map[string]*account.User{}
	for _, p := range everyone {
		in := account.SignUp{Email: p.email, Name: p.name, Password: Password, Locale: p.lang}
		var u *account.User
		var err error
		if p == admin {
			u, err = accounts.CreateAdmin(ctx, in)
		} else {
			u, err = accounts.Register(ctx, in)
		}
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", p.email, err)
		}
		// The demo vouches for its people's addresses (nobody reads their mail).
		if err := accounts.TrustEmail(ctx, u.ID); err != nil {
			return nil, err
		}
		u.EmailVerified = true
		users[p.email] = u
	}
	c, err := loadOrgs(ctx, orgs, mails, users)
	if err != nil {
		return nil, err
	}
	if err := loadVolunteering(ctx, d, accounts, vol, c); err != nil {
		return nil, err
	}
	res.Created = true
	return res, nil
}

// mailbox keeps the demo's invitation mails so their links can be followed.
type mailbox struct {
	mu    sync.Mutex
	texts []string
}

func (m *mailbox) Queue(_ context.Context, _ db.Tx, _, _, text string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.texts = append(m.texts, text)
	return nil
}

var inviteLink = regexp.MustCompile(`/invitations/([A-Za-z0-9_-]+)`)

func (m *mailbox) lastInvitation() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.texts) == 0 {
		return "", errors.New("no invitation mail")
	}
	match := inviteLink.FindStringSubmatch(m.texts[len(m.texts)-1])
	if match == nil {
		return "", errors.New("invitation mail has no link")
	}
	return match[1], nil
}
