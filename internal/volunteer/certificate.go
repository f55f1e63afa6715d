package volunteer

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Certificates: a coordinator certifies a volunteer's approved hours with
// the organisation over a period; anyone with the code can read the
// certificate and verify it, and a revoked one verifies as revoked.

// CertificateAlphabet has no 0/O, 1/I/L: codes are read aloud and typed.
const CertificateAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CertificateCodeLen is the length of a certificate's code.
const CertificateCodeLen = 10

// Certificate is an issued certificate.
type Certificate struct {
	ID        string     `json:"id"`
	Code      string     `json:"code"`
	UserID    string     `json:"user_id"`
	UserName  string     `json:"user_name"`
	OrgID     string     `json:"org_id"`
	OrgNameAr string     `json:"org_name_ar"`
	OrgNameEn string     `json:"org_name_en"`
	Minutes   int        `json:"minutes"`
	From      string     `json:"from"`
	To        string     `json:"to"`
	IssuedBy  string     `json:"issued_by"`
	IssuedAt  time.Time  `json:"issued_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// RevokeReason is for the organisation; the public pages never show it.
	RevokeReason string `json:"revoke_reason,omitempty"`
	URL          string `json:"url"`
	VerifyURL    string `json:"verify_url"`
}

// OrgName is the organisation's name in lang.
func (c Certificate) OrgName(lang i18n.Lang) string {
	if lang == i18n.EN && c.OrgNameEn != "" {
		return c.OrgNameEn
	}
	return c.OrgNameAr
}

// FromDay and ToDay are the period's dates as times for .Date.
func (c Certificate) FromDay() time.Time { return hoursDayTime(c.From) }
func (c Certificate) ToDay() time.Time   { return hoursDayTime(c.To) }

// CertificateInput is what a coordinator issues: whose approved hours, over which days.
type CertificateInput struct {
	UserID string `json:"user_id"`
	From   string `json:"from"` // YYYY-MM-DD, inclusive
	To     string `json:"to"`   // YYYY-MM-DD, inclusive
}

// Errors of certificates.
var (
	ErrCertificateNoHours = &httpx.Error{Status: http.StatusUnprocessableEntity, Type: "certificate-no-hours", MsgID: "volunteer.certificate.error.no_hours"}
	ErrCertificateOwn     = &httpx.Error{Status: http.StatusForbidden, Type: "own-certificate", MsgID: "volunteer.certificate.error.own"}
	ErrCertificateRevoked = &httpx.Error{Status: http.StatusConflict, Type: "certificate-revoked", MsgID: "volunteer.certificate.error.revoked"}
)

// NormalizeCertificateCode reads a code as typed: any case, digits of
// either form, spaces and dashes ignored.
func NormalizeCertificateCode(s string) string {
	s = i18n.NormalizeDigits(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// validCertificateCode reports whether code could be a certificate's.
func validCertificateCode(code string) bool {
	if len(code) != CertificateCodeLen {
		return false
	}
	for _, r := range code {
		if !strings.ContainsRune(CertificateAlphabet, r) {
			return false
		}
	}
	return true
}

func newCertificateCode() (string, error) {
	b := make([]byte, CertificateCodeLen)
	n := big.NewInt(int64(len(CertificateAlphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b[i] = CertificateAlphabet[k.Int64()]
	}
	return string(b), nil
}

// CertificateURL and VerifyURL are a certificate's public addresses.
func (s *Service) CertificateURL(code string) string {
	return strings.TrimRight(s.baseURL, "/") + "/certificates/" + code
}

// VerifyURL is the public verification page of a certificate, which its QR code holds.
func (s *Service) VerifyURL(code string) string {
	return strings.TrimRight(s.baseURL, "/") + "/verify/" + code
}

const certificateCols = `c.id, c.code, c.user_id, u.name, c.org_id, g.name_ar, g.name_en, c.minutes, c.from_date, c.to_date,
	c.issued_by, c.issued_at, c.revoked_at, c.revoke_reason`

const certificateFrom = ` FROM certificates c JOIN users u ON u.id = c.user_id JOIN organisations g ON g.id = c.org_id `

func (s *Service) scanCertificate(row interface{ Scan(...any) error }) (*Certificate, error) {
	c := &Certificate{}
	var revoked sql.NullTime
	if err := row.Scan(&c.ID, &c.Code, &c.UserID, &c.UserName, &c.OrgID, &c.OrgNameAr, &c.OrgNameEn, &c.Minutes, &c.From, &c.To,
		&c.IssuedBy, &c.IssuedAt, &revoked, &c.RevokeReason); err != nil {
		return nil, db.Map(err)
	}
	c.IssuedAt = c.IssuedAt.UTC()
	if revoked.Valid {
		t := revoked.Time.UTC()
		c.RevokedAt = &t
	}
	c.URL, c.VerifyURL = s.CertificateURL(c.Code), s.VerifyURL(c.Code)
	return c, nil
}

// certApprovedMinutes sums userID's approved minutes with orgID worked from..to.
func certApprovedMinutes(ctx context.Context, q db.Querier, userID, orgID, from, to string) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(minutes), 0) FROM hours
		WHERE user_id = $1 AND org_id = $2 AND status = 'approved' AND worked_on >= $3 AND worked_on <= $4`, userID, orgID, from, to).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("approved minutes: %w", err)
	}
	return n, nil
}

// IssueCertificate certifies userID's approved hours with orgID over the
// period; coordinators of the organisation may, not for themselves. It
// refuses a period without approved hours. The volunteer is told by email.
func (s *Service) IssueCertificate(ctx context.Context, viewer *httpx.Viewer, orgID string, in CertificateInput) (*Certificate, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	errs := map[string]string{}
	in.UserID = strings.TrimSpace(in.UserID)
	if in.UserID == "" {
		errs["user_id"] = "volunteer.certificate.error.user"
	}
	from, okFrom := hoursParseDay(in.From)
	to, okTo := hoursParseDay(in.To)
	if !okFrom {
		errs["from"] = "volunteer.certificate.error.date"
	}
	if !okTo {
		errs["to"] = "volunteer.certificate.error.date"
	} else if to > s.attToday() {
		errs["to"] = "volunteer.certificate.error.future"
	}
	if okFrom && okTo && from > to {
		errs["to"] = "volunteer.certificate.error.range"
	}
	if len(errs) > 0 {
		return nil, httpx.Invalid(errs)
	}
	if in.UserID == viewer.ID {
		return nil, ErrCertificateOwn
	}
	var id, code string
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		minutes, err := certApprovedMinutes(ctx, tx, in.UserID, orgID, from, to)
		if err != nil {
			return err
		}
		if minutes == 0 {
			return ErrCertificateNoHours
		}
		id = db.NewID()
		// A clash among 31^10 codes is all but impossible; try again if it happens.
		for range 5 {
			if code, err = newCertificateCode(); err != nil {
				return err
			}
			var taken bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM certificates WHERE code = $1)`, code).Scan(&taken); err != nil {
				return err
			}
			if !taken {
				break
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO certificates (id, code, user_id, org_id, minutes, from_date, to_date, issued_by, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, code, in.UserID, orgID, minutes, from, to, viewer.ID, s.now())
		if err != nil {
			return fmt.Errorf("issue certificate: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.certificate_issue", TargetType: "certificate", TargetID: id,
			OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": in.UserID, "code": code, "from": from, "to": to, "minutes": fmt.Sprint(minutes)}}); err != nil {
			return err
		}
		var orgAr, orgEn string
		if err := tx.QueryRowContext(ctx, `SELECT name_ar, name_en FROM organisations WHERE id = $1`, orgID).Scan(&orgAr, &orgEn); err != nil {
			return db.Map(err)
		}
		return s.attNotifyUser(ctx, tx, in.UserID, func(loc *i18n.Locale) (string, string) {
			name := orgAr
			if loc.Lang == i18n.EN && orgEn != "" {
				name = orgEn
			}
			return loc.T("volunteer.certificate.mail.subject"),
				loc.T("volunteer.certificate.mail.text", "Org", name, "Duration", FormatMinutes(loc, minutes), "Link", s.CertificateURL(code))
		})
	})
	if errors.Is(err, db.ErrNotFound) {
		return nil, httpx.Invalid(map[string]string{"user_id": "volunteer.certificate.error.user"})
	}
	if err != nil {
		return nil, err
	}
	return s.certificateByID(ctx, s.db.R, id)
}

func (s *Service) certificateByID(ctx context.Context, q db.Querier, id string) (*Certificate, error) {
	c, err := s.scanCertificate(q.QueryRowContext(ctx, `SELECT `+certificateCols+certificateFrom+`WHERE c.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", id, err)
	}
	return c, nil
}

// CertificateByCode reads a certificate by its code, for its public page;
// db.ErrNotFound when there is none. Show only what Verification shows.
func (s *Service) CertificateByCode(ctx context.Context, code string) (*Certificate, error) {
	code = NormalizeCertificateCode(code)
	if !validCertificateCode(code) {
		return nil, fmt.Errorf("certificate %q: %w", code, db.ErrNotFound)
	}
	c, err := s.scanCertificate(s.db.R.QueryRowContext(ctx, `SELECT `+certificateCols+certificateFrom+`WHERE c.code = $1`, code))
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", code, err)
	}
	return c, nil
}

// Verification is what anyone may learn of a certificate from its code:
// whose, from which organisation, how many hours and which dates, or that
// it was revoked (and when).
type Verification struct {
	Code          string     `json:"code"`
	Status        string     `json:"status"` // "valid" or "revoked"
	VolunteerName string     `json:"volunteer_name,omitempty"`
	OrgNameAr     string     `json:"organisation_name_ar,omitempty"`
	OrgNameEn     string     `json:"organisation_name_en,omitempty"`
	Minutes       int        `json:"minutes,omitempty"`
	From          string     `json:"from,omitempty"`
	To            string     `json:"to,omitempty"`
	IssuedOn      string     `json:"issued_on,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
}

// VerifyCertificate answers the public check of a code; db.ErrNotFound for
// an unknown code.
func (s *Service) VerifyCertificate(ctx context.Context, code string) (*Verification, error) {
	c, err := s.CertificateByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if c.RevokedAt != nil {
		return &Verification{Code: c.Code, Status: "revoked", RevokedAt: c.RevokedAt}, nil
	}
	return &Verification{Code: c.Code, Status: "valid", VolunteerName: c.UserName, OrgNameAr: c.OrgNameAr, OrgNameEn: c.OrgNameEn,
		Minutes: c.Minutes, From: c.From, To: c.To, IssuedOn: c.IssuedAt.In(s.zone).Format(time.DateOnly)}, nil
}

// RevokeCertificate revokes a certificate with a reason (kept for the
// organisation, never shown publicly); coordinators of its organisation may.
func (s *Service) RevokeCertificate(ctx context.Context, viewer *httpx.Viewer, id, reason string) (*Certificate, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	var c *Certificate
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		var err error
		if c, err = s.certificateByID(ctx, tx, id); err != nil {
			return err
		}
		if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, c.OrgID); err != nil {
			return err
		}
		switch {
		case reason == "":
			return httpx.Invalid(map[string]string{"reason": "volunteer.certificate.error.reason_required"})
		case utf8.RuneCountInString(reason) > MaxReasonRunes:
			return httpx.Invalid(map[string]string{"reason": "volunteer.certificate.error.reason_long"})
		case c.RevokedAt != nil:
			return ErrCertificateRevoked
		}
		res, err := tx.ExecContext(ctx, `UPDATE certificates SET revoked_at = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL`, id, s.now(), reason)
		if err != nil {
			return fmt.Errorf("revoke certificate: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrCertificateRevoked
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.certificate_revoke", TargetType: "certificate", TargetID: id,
			OrgID: c.OrgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"user": c.UserID, "code": c.Code, "reason": reason}}); err != nil {
			return err
		}
		c, err = s.certificateByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Page size of certificate lists.
const certificatePageSize = 30

// OrgCertificates lists an organisation's certificates newest first, for
// its coordinators; next is the cursor of the following page.
func (s *Service) OrgCertificates(ctx context.Context, viewer *httpx.Viewer, orgID, after string) (items []Certificate, next string, err error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, "", err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, "", err
	}
	items, err = s.listCertificates(ctx, `c.org_id = $1`, orgID, after, certificatePageSize+1)
	if err != nil {
		return nil, "", err
	}
	if len(items) > certificatePageSize {
		items = items[:certificatePageSize]
		next = items[len(items)-1].ID
	}
	return items, next, nil
}

// MyCertificates lists the viewer's own certificates, newest first.
func (s *Service) MyCertificates(ctx context.Context, viewer *httpx.Viewer) ([]Certificate, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	return s.listCertificates(ctx, `c.user_id = $1`, viewer.ID, "", 200)
}

func (s *Service) listCertificates(ctx context.Context, where, arg, after string, limit int) ([]Certificate, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+certificateCols+certificateFrom+`WHERE `+where+` AND ($2 = '' OR c.id < $2)
		ORDER BY c.id DESC LIMIT $3`, arg, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list certificates: %w", err)
	}
	defer rows.Close()
	var out []Certificate
	for rows.Next() {
		c, err := s.scanCertificate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// CertificateCandidate is a volunteer with approved hours with an organisation.
type CertificateCandidate struct {
	UserID  string
	Name    string
	Minutes int
	First   string // first and last day worked, YYYY-MM-DD
	Last    string
}

// CertificateCandidates lists the volunteers with approved hours with
// orgID, by name, for the issue form (coordinators only).
func (s *Service) CertificateCandidates(ctx context.Context, viewer *httpx.Viewer, orgID string) ([]CertificateCandidate, error) {
	if err := attRequireViewer(viewer); err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT h.user_id, u.name, SUM(h.minutes), MIN(h.worked_on), MAX(h.worked_on)
		FROM hours h JOIN users u ON u.id = h.user_id WHERE h.org_id = $1 AND h.status = 'approved'
		GROUP BY h.user_id, u.name ORDER BY u.name, h.user_id LIMIT 2000`, orgID)
	if err != nil {
		return nil, fmt.Errorf("certificate candidates: %w", err)
	}
	defer rows.Close()
	var out []CertificateCandidate
	for rows.Next() {
		var c CertificateCandidate
		if err := rows.Scan(&c.UserID, &c.Name, &c.Minutes, &c.First, &c.Last); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
