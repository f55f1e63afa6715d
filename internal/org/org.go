// Package org holds organisations (associations, care institutions, schools,
// municipalities …), who belongs to them with which role, what each role may
// do, and the places (geography) they are based in and serve.
package org

import (
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Type is the kind of organisation; it decides nothing about permissions,
// only how the organisation is presented and found.
type Type string

const (
	Charity       Type = "charity" // charitable or civil association
	CareChildren  Type = "care_children"
	CareElderly   Type = "care_elderly"
	Municipality  Type = "municipality"
	Government    Type = "government"
	HealthCentre  Type = "health_centre"
	School        Type = "school" // school or university
	Company       Type = "company"
	VolunteerTeam Type = "volunteer_team"
)

// Types lists every organisation type in display order.
var Types = []Type{Charity, CareChildren, CareElderly, Municipality, Government, HealthCentre, School, Company, VolunteerTeam}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// MsgID is the catalogue id of the type's name.
func (t Type) MsgID() string { return "org.type." + string(t) }

// Status is where an organisation stands in verification.
type Status string

const (
	Pending  Status = "pending"
	Verified Status = "verified"
	Rejected Status = "rejected"
)

// MsgID is the catalogue id of the status's name.
func (s Status) MsgID() string { return "org.status." + string(s) }

// Badge is the CSS badge class that shows the status.
func (s Status) Badge() string {
	switch s {
	case Verified:
		return "ok"
	case Rejected:
		return "bad"
	}
	return "warn"
}

// Org is an organisation.
type Org struct {
	ID           string     `json:"id"`
	NameAr       string     `json:"name_ar"`
	NameEn       string     `json:"name_en"`
	Type         Type       `json:"type"`
	Status       Status     `json:"status"`
	Description  string     `json:"description"`
	Email        string     `json:"email"`
	Phone        string     `json:"phone"`
	HomePlaceID  string     `json:"home_place_id"`
	ServiceAreas []string   `json:"service_areas"`
	CreatedAt    time.Time  `json:"created_at"`
	VerifiedAt   *time.Time `json:"verified_at,omitempty"`
	CreatedBy    string     `json:"-"`
}

// Name is the organisation's name in lang, falling back to the Arabic name,
// which is always there.
func (o Org) Name(lang i18n.Lang) string {
	if lang == i18n.EN && o.NameEn != "" {
		return o.NameEn
	}
	return o.NameAr
}

// Limits on what people type.
const (
	MaxName        = 150
	MaxDescription = 4000
	MaxAreas       = 50
)

// Input is what a person submits to create or edit an organisation. Field
// names in errors are the form and JSON names.
type Input struct {
	NameAr       string   `json:"name_ar"`
	NameEn       string   `json:"name_en"`
	Type         Type     `json:"type"`
	Description  string   `json:"description"`
	Email        string   `json:"email"`
	Phone        string   `json:"phone"`
	HomePlaceID  string   `json:"home_place_id"`
	ServiceAreas []string `json:"service_areas"`
}

// phoneRe accepts what people write for a phone number once digits are
// ASCII: an optional +, then digits with spaces, dashes or brackets.
var phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ()\-]{5,24}$`)

// Normalize trims the input, lower-cases the email, writes the phone in ASCII
// digits and removes duplicate or empty service areas.
func (in *Input) Normalize() {
	in.NameAr = strings.TrimSpace(in.NameAr)
	in.NameEn = strings.TrimSpace(in.NameEn)
	// Browsers send a text area's line breaks as CRLF; keep one form.
	in.Description = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(in.Description, "\r\n", "\n"), "\r", "\n"))
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Phone = strings.TrimSpace(i18n.NormalizeDigits(in.Phone))
	in.HomePlaceID = strings.TrimSpace(in.HomePlaceID)
	var areas []string
	for _, a := range in.ServiceAreas {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(areas, a) {
			areas = append(areas, a)
		}
	}
	in.ServiceAreas = areas
}

// Validate normalizes the input and returns field → message id for every
// problem that needs no database (places are checked by the service).
func (in *Input) Validate() map[string]string {
	in.Normalize()
	errs := map[string]string{}
	if n := utf8.RuneCountInString(in.NameAr); n == 0 {
		errs["name_ar"] = "error.required"
	} else if !plainText(in.NameAr, false) {
		errs["name_ar"] = "org.error.control"
	} else if n > MaxName {
		errs["name_ar"] = "org.error.name_long"
	}
	if !plainText(in.NameEn, false) {
		errs["name_en"] = "org.error.control"
	} else if utf8.RuneCountInString(in.NameEn) > MaxName {
		errs["name_en"] = "org.error.name_long"
	}
	if in.Type == "" {
		errs["type"] = "error.required"
	} else if !in.Type.Valid() {
		errs["type"] = "org.error.type"
	}
	if !plainText(in.Description, true) {
		errs["description"] = "org.error.control_text"
	} else if utf8.RuneCountInString(in.Description) > MaxDescription {
		errs["description"] = "org.error.description_long"
	}
	if in.Email != "" && !validEmail(in.Email) {
		errs["email"] = "error.email"
	}
	if in.Phone != "" && !phoneRe.MatchString(in.Phone) {
		errs["phone"] = "org.error.phone"
	}
	if len(in.ServiceAreas) > MaxAreas {
		errs["service_areas"] = "org.error.too_many_areas"
	}
	return errs
}

// plainText reports whether s is valid UTF-8 without control characters
// (Unicode category Cc: NUL, tab, CR, LF …); with lines, LF is allowed. A
// name with a line break would break every email that carries it (headers
// are one line), and PostgreSQL refuses NUL and invalid UTF-8 outright.
func plainText(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && !(lines && r == '\n') })
}

// storable reports whether s can be sent to either database as a key
// (valid UTF-8, no NUL). Ids from paths and query strings that are not are
// unknown, not a database error.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// oneLine replaces control characters (line breaks, tabs …) with spaces and
// invalid UTF-8 with U+FFFD, for text that goes into a single-line place
// such as an email subject, whatever was stored before names were checked.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// validEmail accepts a bare address as people type it (no display name).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// Domain errors, shown to the user in their language.
var (
	ErrNotPending        = &httpx.Error{Status: http.StatusConflict, Type: "org-not-pending", MsgID: "org.error.not_pending"}
	ErrLastOwner         = &httpx.Error{Status: http.StatusConflict, Type: "last-owner", MsgID: "org.error.last_owner"}
	ErrOwnRole           = &httpx.Error{Status: http.StatusForbidden, Type: "own-role", MsgID: "org.error.own_role"}
	ErrOwnerOnly         = &httpx.Error{Status: http.StatusForbidden, Type: "owner-only", MsgID: "org.error.owner_only"}
	ErrNotMember         = &httpx.Error{Status: http.StatusNotFound, Type: "not-member", MsgID: "org.error.not_member"}
	ErrInvitationInvalid = &httpx.Error{Status: http.StatusNotFound, Type: "invitation-invalid", MsgID: "org.invite.invalid"}
	// ErrEmailUnverified: the invitation's address is not confirmed yet.
	ErrEmailUnverified = &httpx.Error{Status: http.StatusForbidden, Type: "email-unverified", MsgID: "org.invite.email_unverified"}
	// ErrInvitationOtherAddress refuses an invitation to someone signed in
	// with another address than the one it was sent to; it stays open.
	ErrInvitationOtherAddress = &httpx.Error{Status: http.StatusForbidden, Type: "invitation-other-address", MsgID: "org.invite.other_address"}
	// ErrInvitationWithdrawn is an invitation whose inviter may no longer
	// give the role (left, demoted): it cannot be used.
	ErrInvitationWithdrawn = &httpx.Error{Status: http.StatusNotFound, Type: "invitation-withdrawn", MsgID: "org.invite.withdrawn"}
	// ErrInvitationNotOpen is a revoke of an invitation already used, revoked or expired.
	ErrInvitationNotOpen = &httpx.Error{Status: http.StatusNotFound, Type: "invitation-not-open", MsgID: "org.invite.not_open"}
	ErrImportRejected    = &httpx.Error{Status: http.StatusUnprocessableEntity, Type: "import-rejected", MsgID: "org.import.rejected"}
)
