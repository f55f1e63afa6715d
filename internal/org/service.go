package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/ratelimit"
)

// Rate limits on public writes. They are counted in the transaction of the
// write, so a refused or failed write does not use up the allowance.
const (
	// CreatesPerDay is how many organisations one person may register a day.
	CreatesPerDay = 5
	// InvitesPerDay is how many invitations a verified organisation may send a day.
	InvitesPerDay = 50
	// UnverifiedInvitesPerDay is the allowance of an organisation not (or
	// not yet) verified: enough to bring its team in, too few to spam.
	UnverifiedInvitesPerDay = 5
)

const day = 24 * time.Hour

var createLimit = ratelimit.Limit{Name: "org.create", Max: CreatesPerDay, Window: day}

// inviteLimit is one counter per organisation; its ceiling depends on the
// organisation's status, so invitations sent while pending count towards
// the larger allowance once verified.
func inviteLimit(status Status) ratelimit.Limit {
	if status == Verified {
		return ratelimit.Limit{Name: "org.invite", Max: InvitesPerDay, Window: day}
	}
	return ratelimit.Limit{Name: "org.invite", Max: UnverifiedInvitesPerDay, Window: day}
}

// Mailer queues an email inside the caller's transaction, so a message goes
// out if and only if the change that caused it commits.
type Mailer interface {
	Queue(ctx context.Context, tx db.Tx, to, subject, text string) error
}

// Service is the organisation, membership and place use cases.
type Service struct {
	db      *db.DB
	mail    Mailer
	baseURL string
	now     func() time.Time
}

// NewService builds the service; baseURL prefixes emailed links.
func NewService(d *db.DB, m Mailer, baseURL string) *Service {
	return &Service{db: d, mail: m, baseURL: baseURL, now: db.Now}
}

// UserOrg is an organisation seen from one of its members.
type UserOrg struct {
	Org
	Role Role `json:"role"`
}

func (s *Service) access(ctx context.Context, q db.Querier, v *httpx.Viewer, orgID string) (access, error) {
	userID := ""
	if v != nil {
		userID = v.ID
	}
	return accessOf(ctx, q, orgID, userID)
}

// checkPlaces reports, as field errors, places that do not exist.
func (s *Service) checkPlaces(ctx context.Context, in *Input, errs map[string]string) error {
	if in.HomePlaceID != "" {
		missing, err := missingPlaces(ctx, s.db.R, []string{in.HomePlaceID})
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			errs["home_place_id"] = "org.error.place_unknown"
		}
	}
	if _, bad := errs["service_areas"]; !bad && len(in.ServiceAreas) > 0 {
		missing, err := missingPlaces(ctx, s.db.R, in.ServiceAreas)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			errs["service_areas"] = "org.error.place_unknown"
		}
	}
	return nil
}

func (s *Service) validate(ctx context.Context, in *Input) error {
	errs := in.Validate()
	if err := s.checkPlaces(ctx, in, errs); err != nil {
		return err
	}
	if len(errs) > 0 {
		return httpx.Invalid(errs)
	}
	return nil
}

// CreateOrg registers an organisation, pending verification by a platform
// admin, and makes its creator the owner.
func (s *Service) CreateOrg(ctx context.Context, viewer *httpx.Viewer, in Input) (*Org, error) {
	if viewer == nil {
		return nil, httpx.ErrUnauthorized
	}
	if err := s.validate(ctx, &in); err != nil {
		return nil, err
	}
	now := s.now()
	o := &Org{ID: db.NewID(), NameAr: in.NameAr, NameEn: in.NameEn, Type: in.Type, Status: Pending, Description: in.Description,
		Email: in.Email, Phone: in.Phone, HomePlaceID: in.HomePlaceID, ServiceAreas: in.ServiceAreas, CreatedBy: viewer.ID, CreatedAt: now}
	if o.ServiceAreas == nil {
		o.ServiceAreas = []string{}
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := ratelimit.Allow(ctx, tx, createLimit, viewer.ID, now); err != nil {
			return err
		}
		if err := insertOrg(ctx, tx, o); err != nil {
			return err
		}
		if _, err := insertMembership(ctx, tx, o.ID, viewer.ID, RoleOwner, now); err != nil {
			return err
		}
		if err := s.indexOrg(ctx, tx, o); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "org.create", TargetType: "organisation", TargetID: o.ID,
			OrgID: o.ID, IP: httpx.ClientIP(ctx), Details: map[string]string{"name": o.NameAr, "type": string(o.Type)}})
	})
	if err != nil {
		return nil, fmt.Errorf("create organisation: %w", err)
	}
	return o, nil
}

// UpdateOrg saves an organisation's profile. Verification vouches for a
// name and a kind of organisation: when a verified organisation's Arabic or
// English name or its type changes, it goes back to pending, unless a
// platform admin made the edit.
func (s *Service) UpdateOrg(ctx context.Context, viewer *httpx.Viewer, id string, in Input) (*Org, error) {
	o, _, err := s.updateOrg(ctx, viewer, id, in)
	return o, err
}

// updateOrg is UpdateOrg that also reports whether the edit sent the
// organisation back to pending verification.
func (s *Service) updateOrg(ctx context.Context, viewer *httpx.Viewer, id string, in Input) (o *Org, requeued bool, err error) {
	if err := s.Require(ctx, viewer, EditOrg, id); err != nil {
		return nil, false, err
	}
	if err := s.validate(ctx, &in); err != nil {
		return nil, false, err
	}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := lockOrg(ctx, tx, id); err != nil {
			return err
		}
		old, err := orgByID(ctx, tx, id)
		if err != nil {
			return err
		}
		next := *old
		next.NameAr, next.NameEn, next.Type, next.Description, next.Email, next.Phone, next.HomePlaceID = in.NameAr, in.NameEn, in.Type, in.Description, in.Email, in.Phone, in.HomePlaceID
		next.ServiceAreas = append([]string{}, in.ServiceAreas...)
		o = &next
		details := orgChanges(old, o)
		if old.Status == Verified && !viewer.IsAdmin && (old.NameAr != o.NameAr || old.NameEn != o.NameEn || old.Type != o.Type) {
			if _, err := setStatus(ctx, tx, id, Verified, Pending, "", s.now()); err != nil {
				return err
			}
			o.Status, o.VerifiedAt, requeued = Pending, nil, true
			details["old_status"], details["new_status"] = string(Verified), string(Pending)
		}
		if err := updateOrg(ctx, tx, o); err != nil {
			return err
		}
		if err := s.indexOrg(ctx, tx, o); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "org.update", TargetType: "organisation", TargetID: id,
			OrgID: id, IP: httpx.ClientIP(ctx), Details: details})
	})
	if err != nil {
		return nil, false, fmt.Errorf("update organisation %s: %w", id, err)
	}
	return o, requeued, nil
}

// orgChanges lists the profile fields that differ between a and b as
// old_<field> and new_<field>; service areas are compared as sets and
// written as sorted, comma-separated ids.
func orgChanges(a, b *Org) map[string]string {
	areas := func(ids []string) string {
		s := slices.Clone(ids)
		slices.Sort(s)
		return strings.Join(s, ",")
	}
	d := map[string]string{}
	for _, f := range []struct{ name, old, new string }{
		{"name_ar", a.NameAr, b.NameAr},
		{"name_en", a.NameEn, b.NameEn},
		{"type", string(a.Type), string(b.Type)},
		{"description", a.Description, b.Description},
		{"email", a.Email, b.Email},
		{"phone", a.Phone, b.Phone},
		{"home_place_id", a.HomePlaceID, b.HomePlaceID},
		{"service_areas", areas(a.ServiceAreas), areas(b.ServiceAreas)},
	} {
		if f.old != f.new {
			d["old_"+f.name], d["new_"+f.name] = f.old, f.new
		}
	}
	return d
}

// Org returns an organisation the viewer may see: a verified one to anyone,
// others only to members and platform admins. To everyone else it does not
// exist (db.ErrNotFound), so a pending application stays private.
func (s *Service) Org(ctx context.Context, viewer *httpx.Viewer, id string) (*Org, error) {
	ok, err := s.Can(ctx, viewer, ViewOrg, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("organisation %s: %w", id, db.ErrNotFound)
	}
	o, err := orgByID(ctx, s.db.R, id)
	if err != nil {
		return nil, fmt.Errorf("organisation %s: %w", id, err)
	}
	return o, nil
}

// RoleOf returns the viewer's role in the organisation, "" when they are
// not a member (or anonymous).
func (s *Service) RoleOf(ctx context.Context, viewer *httpx.Viewer, orgID string) (Role, error) {
	if viewer == nil {
		return "", nil
	}
	ac, err := s.access(ctx, s.db.R, viewer, orgID)
	return ac.role, err
}

// Verify accepts a pending organisation; only a platform admin may.
func (s *Service) Verify(ctx context.Context, viewer *httpx.Viewer, id string) error {
	return s.decide(ctx, viewer, id, Verified, "org.verify")
}

// Reject turns a pending organisation down; only a platform admin may.
func (s *Service) Reject(ctx context.Context, viewer *httpx.Viewer, id string) error {
	return s.decide(ctx, viewer, id, Rejected, "org.reject")
}

func (s *Service) decide(ctx context.Context, viewer *httpx.Viewer, id string, to Status, action string) error {
	if err := requireAdmin(viewer); err != nil {
		return err
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		ok, err := setStatus(ctx, tx, id, Pending, to, viewer.ID, s.now())
		if err != nil {
			return err
		}
		if !ok {
			if _, err := orgByID(ctx, tx, id); err != nil {
				return err
			}
			return ErrNotPending
		}
		o, err := orgByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.indexOrg(ctx, tx, o); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: action, TargetType: "organisation", TargetID: id,
			OrgID: id, IP: httpx.ClientIP(ctx)})
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, id, err)
	}
	return nil
}

func requireAdmin(v *httpx.Viewer) error {
	switch {
	case v == nil:
		return httpx.ErrUnauthorized
	case !v.IsAdmin:
		return httpx.ErrForbidden
	}
	return nil
}

// ListFilter narrows the public list. After and Before are ids from a
// previous page's Next and Prev; Limit defaults to DefaultLimit.
type ListFilter struct {
	Type    Type
	PlaceID string
	After   string
	Before  string
	Limit   int
}

// Page sizes of lists.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// OrgPage is one page of organisations with the cursors of its neighbours
// ("" when there is none).
type OrgPage struct {
	Items      []*Org
	Next, Prev string
}

// ListVerified lists verified organisations in id order, optionally of one
// type and based or working in a place or anywhere below it.
func (s *Service) ListVerified(ctx context.Context, f ListFilter) (*OrgPage, error) {
	errs := map[string]string{}
	if f.Type != "" && !f.Type.Valid() {
		errs["type"] = "org.error.type"
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit < 1 || f.Limit > MaxLimit {
		errs["limit"] = "org.error.limit"
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	if !storable(f.PlaceID) || !storable(f.After) || !storable(f.Before) {
		return nil, httpx.ErrBadRequest // no place or cursor looks like that
	}
	backward, cursor := f.Before != "", f.After
	if backward {
		cursor = f.Before
	}
	items, err := listVerified(ctx, s.db.R, f.Type, f.PlaceID, cursor, backward, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	more := len(items) > f.Limit
	if more {
		items = items[:f.Limit]
	}
	pg := &OrgPage{Items: items}
	if backward {
		for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
			items[i], items[j] = items[j], items[i]
		}
		if more {
			pg.Prev = items[0].ID
		}
		if len(items) > 0 {
			pg.Next = items[len(items)-1].ID
		}
	} else {
		if more {
			pg.Next = items[len(items)-1].ID
		}
		if cursor != "" && len(items) > 0 {
			pg.Prev = items[0].ID
		}
	}
	return pg, nil
}

// UserOrgs lists the organisations userID belongs to, with their role.
func (s *Service) UserOrgs(ctx context.Context, userID string) ([]UserOrg, error) {
	return userOrgs(ctx, s.db.R, userID)
}

// PendingOrgs is the platform admins' verification queue, oldest first.
func (s *Service) PendingOrgs(ctx context.Context, viewer *httpx.Viewer) ([]*Org, error) {
	if err := requireAdmin(viewer); err != nil {
		return nil, err
	}
	return pendingOrgs(ctx, s.db.R)
}
