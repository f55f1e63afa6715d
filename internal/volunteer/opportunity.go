package volunteer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"sharaka/internal/org"
	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
)

// Opportunity statuses: a draft is seen only by the organisation's
// coordinators, a published opportunity by everyone (when the organisation is
// verified), an archived one stays readable but takes no new sign-ups.
const (
	OppDraft     = "draft"
	OppPublished = "published"
	OppArchived  = "archived"
)

// OppStatuses lists the statuses in the order a coordinator meets them.
var OppStatuses = []string{OppDraft, OppPublished, OppArchived}

// GenderRules lists the gender rules in display order.
var GenderRules = []GenderRule{AnyGender, WomenOnly, MenOnly}

// Valid reports whether g is a known rule.
func (g GenderRule) Valid() bool { return slices.Contains(GenderRules, g) }

// MsgID is the catalogue id of the rule's description.
func (g GenderRule) MsgID() string { return "volunteer.gender_rule." + string(g) }

// Valid reports whether a is a known approval mode.
func (a Approval) Valid() bool { return a == AutoApproval || a == ReviewApproval }

// MsgID is the catalogue id of the approval mode's description.
func (a Approval) MsgID() string { return "volunteer.approval." + string(a) }

// OppStatusMsgID is the catalogue id of an opportunity status's name.
func OppStatusMsgID(status string) string { return "volunteer.opportunity.status." + status }

// OppStatusBadge is the CSS badge class that shows an opportunity status.
func OppStatusBadge(status string) string {
	switch status {
	case OppPublished:
		return "ok"
	case OppArchived:
		return "bad"
	}
	return "warn"
}

// LanguageMsgID is the catalogue id of a language's name as an opportunity
// requirement (volunteer.opportunity.language_<code>).
func LanguageMsgID(code string) string { return "volunteer.opportunity.language_" + code }

// Title is the opportunity's title in lang, falling back to the Arabic title,
// which is always there.
func (o *Opportunity) Title(lang i18n.Lang) string {
	if lang == i18n.EN && o.TitleEn != "" {
		return o.TitleEn
	}
	return o.TitleAr
}

// Description is the opportunity's description in lang, falling back to Arabic.
func (o *Opportunity) Description(lang i18n.Lang) string {
	if lang == i18n.EN && o.DescriptionEn != "" {
		return o.DescriptionEn
	}
	return o.DescriptionAr
}

// OrgName is the organisation's name in lang, falling back to Arabic.
func (o *Opportunity) OrgName(lang i18n.Lang) string {
	if lang == i18n.EN && o.OrgNameEn != "" {
		return o.OrgNameEn
	}
	return o.OrgNameAr
}

// CategoryMsgID is the catalogue id of the opportunity's category.
func (o *Opportunity) CategoryMsgID() string { return CategoryMsgID(o.Category) }

// StatusMsgID is the catalogue id of the opportunity's status.
func (o *Opportunity) StatusMsgID() string { return OppStatusMsgID(o.Status) }

// StatusBadge is the CSS badge class that shows the opportunity's status.
func (o *Opportunity) StatusBadge() string { return OppStatusBadge(o.Status) }

// CategoryMsgID is the catalogue id of a category's name (volunteer.category.<c>).
func CategoryMsgID(c string) string { return "volunteer.category." + c }

// Name is the role's name in lang, falling back to Arabic.
func (r Role) Name(lang i18n.Lang) string {
	if lang == i18n.EN && r.NameEn != "" {
		return r.NameEn
	}
	return r.NameAr
}

// Free is how many places of the role are still open (never negative).
func (r Role) Free() int { return max(r.Slots-r.Taken, 0) }

// Name is the skill's name in lang, falling back to Arabic.
func (k Skill) Name(lang i18n.Lang) string {
	if lang == i18n.EN && k.NameEn != "" {
		return k.NameEn
	}
	return k.NameAr
}

// Limits on what coordinators type.
const (
	MaxOppTitle       = 150
	MaxOppDescription = 4000
	MaxOppSkills      = 10
	MaxMinAge         = 99
)

// OpportunityInput is what a coordinator submits to create or edit an
// opportunity. Field names in errors are the form and JSON names. Lat and Lon
// are optional; without them the opportunity sits at its place's centre.
type OpportunityInput struct {
	TitleAr       string     `json:"title_ar"`
	TitleEn       string     `json:"title_en"`
	DescriptionAr string     `json:"description_ar"`
	DescriptionEn string     `json:"description_en"`
	Category      string     `json:"category"`
	PlaceID       string     `json:"place_id"`
	Lat           *float64   `json:"lat"`
	Lon           *float64   `json:"lon"`
	Skills        []string   `json:"skills"`
	GenderRule    GenderRule `json:"gender_rule"`
	MinAge        int        `json:"min_age"`
	VettedOnly    bool       `json:"vetted_only"`
	Languages     []string   `json:"languages"`
	Approval      Approval   `json:"approval"`
	// Status is draft, published or archived; empty means draft.
	Status string `json:"status"`
}

// uniqueTrimmed drops empty and repeated values, keeping the first order.
func uniqueTrimmed(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// normalize trims the input and fills the defaults.
func (in *OpportunityInput) normalize() {
	in.TitleAr, in.TitleEn = strings.TrimSpace(in.TitleAr), strings.TrimSpace(in.TitleEn)
	in.DescriptionAr, in.DescriptionEn = strings.TrimSpace(in.DescriptionAr), strings.TrimSpace(in.DescriptionEn)
	in.Category, in.PlaceID = strings.TrimSpace(in.Category), strings.TrimSpace(in.PlaceID)
	in.Skills, in.Languages = uniqueTrimmed(in.Skills), uniqueTrimmed(in.Languages)
	if in.GenderRule == "" {
		in.GenderRule = AnyGender
	}
	if in.Approval == "" {
		in.Approval = AutoApproval
	}
	if in.Status == "" {
		in.Status = OppDraft
	}
}

// Validate normalizes the input and returns field → message id for every
// problem that needs no database (places and skills are checked by the service).
func (in *OpportunityInput) Validate() map[string]string {
	in.normalize()
	errs := map[string]string{}
	if n := utf8.RuneCountInString(in.TitleAr); n == 0 {
		errs["title_ar"] = "error.required"
	} else if n > MaxOppTitle {
		errs["title_ar"] = "volunteer.opportunity.error.title_long"
	}
	if utf8.RuneCountInString(in.TitleEn) > MaxOppTitle {
		errs["title_en"] = "volunteer.opportunity.error.title_long"
	}
	if utf8.RuneCountInString(in.DescriptionAr) > MaxOppDescription {
		errs["description_ar"] = "volunteer.opportunity.error.description_long"
	}
	if utf8.RuneCountInString(in.DescriptionEn) > MaxOppDescription {
		errs["description_en"] = "volunteer.opportunity.error.description_long"
	}
	switch {
	case in.Category == "":
		errs["category"] = "error.required"
	case !ValidCategory(in.Category):
		errs["category"] = "error.choice"
	}
	switch {
	case (in.Lat == nil) != (in.Lon == nil):
		errs["lat"] = "volunteer.opportunity.error.latlon_pair"
	case in.Lat != nil && !(*in.Lat >= -90 && *in.Lat <= 90): // also refuses NaN
		errs["lat"] = "volunteer.opportunity.error.lat"
	case in.Lon != nil && !(*in.Lon >= -180 && *in.Lon <= 180):
		errs["lon"] = "volunteer.opportunity.error.lon"
	}
	if len(in.Skills) > MaxOppSkills {
		errs["skills"] = "volunteer.opportunity.error.too_many_skills"
	}
	if !in.GenderRule.Valid() {
		errs["gender_rule"] = "error.choice"
	}
	if in.MinAge < 0 || in.MinAge > MaxMinAge {
		errs["min_age"] = "volunteer.opportunity.error.min_age"
	}
	for _, l := range in.Languages {
		if !slices.Contains(Languages, l) {
			errs["languages"] = "error.choice"
		}
	}
	if !in.Approval.Valid() {
		errs["approval"] = "error.choice"
	}
	if !slices.Contains(OppStatuses, in.Status) {
		errs["status"] = "error.choice"
	}
	return errs
}

// Domain errors of opportunities and shifts, shown in the user's language.
var (
	ErrOppArchived = &httpx.Error{Status: http.StatusConflict, Type: "opportunity-archived", MsgID: "volunteer.opportunity.error.archived"}
	// ErrShiftCancelTwice: the shift is already cancelled.
	ErrShiftCancelTwice = &httpx.Error{Status: http.StatusConflict, Type: "shift-already-cancelled", MsgID: "volunteer.shift.error.already_cancelled"}
	// ErrShiftCancelPast: a shift that has started cannot be cancelled.
	ErrShiftCancelPast = &httpx.Error{Status: http.StatusConflict, Type: "shift-started", MsgID: "volunteer.shift.error.started"}
)

// checkOpportunity validates in against the data: the place and skills must
// exist, and only a verified organisation may publish.
func (s *Service) checkOpportunity(ctx context.Context, orgID string, in *OpportunityInput) error {
	errs := in.Validate()
	if in.PlaceID != "" {
		ok, err := s.orgs.PlaceExists(ctx, in.PlaceID)
		if err != nil {
			return err
		}
		if !ok {
			errs["place_id"] = "volunteer.opportunity.error.place_unknown"
		}
	}
	if _, bad := errs["skills"]; !bad && len(in.Skills) > 0 {
		known, err := oppSkillSet(ctx, s.db.R)
		if err != nil {
			return err
		}
		for _, k := range in.Skills {
			if !known[k] {
				errs["skills"] = "volunteer.opportunity.error.skill_unknown"
			}
		}
	}
	if in.Status == OppPublished {
		o, err := s.orgs.Org(ctx, nil, orgID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			// Only verified organisations are visible to everyone.
			errs["status"] = "volunteer.opportunity.error.publish_unverified"
		case err != nil:
			return err
		case o.Status != org.Verified:
			errs["status"] = "volunteer.opportunity.error.publish_unverified"
		}
	}
	if len(errs) > 0 {
		return httpx.Invalid(errs)
	}
	return nil
}

// placeCentre is the coordinates of a place, or of the nearest place above it
// that has them; nil, nil when none has.
func (s *Service) placeCentre(ctx context.Context, placeID string) (lat, lon *float64, err error) {
	p, err := s.orgs.Place(ctx, placeID)
	if err != nil {
		return nil, nil, err
	}
	if p.Lat != nil && p.Lon != nil {
		return p.Lat, p.Lon, nil
	}
	anc, err := s.orgs.Ancestors(ctx, placeID)
	if err != nil {
		return nil, nil, err
	}
	for i := len(anc) - 1; i >= 0; i-- {
		if anc[i].Lat != nil && anc[i].Lon != nil {
			return anc[i].Lat, anc[i].Lon, nil
		}
	}
	return nil, nil, nil
}

// applyInput copies the input onto o, with the place's centre when no map
// location was given.
func (s *Service) applyInput(ctx context.Context, o *Opportunity, in OpportunityInput) error {
	o.TitleAr, o.TitleEn, o.DescriptionAr, o.DescriptionEn = in.TitleAr, in.TitleEn, in.DescriptionAr, in.DescriptionEn
	o.Category, o.PlaceID, o.Lat, o.Lon = in.Category, in.PlaceID, in.Lat, in.Lon
	o.GenderRule, o.MinAge, o.VettedOnly, o.Approval, o.Status = in.GenderRule, in.MinAge, in.VettedOnly, in.Approval, in.Status
	o.Languages, o.Skills = slices.Clone(in.Languages), slices.Clone(in.Skills)
	slices.Sort(o.Skills)
	if o.Lat == nil && o.PlaceID != "" {
		lat, lon, err := s.placeCentre(ctx, o.PlaceID)
		if err != nil {
			return err
		}
		o.Lat, o.Lon = lat, lon
	}
	if o.Lat != nil {
		// Six decimals are about ten centimetres: enough for a meeting point.
		la, lo := math.Round(*o.Lat*1e6)/1e6, math.Round(*o.Lon*1e6)/1e6
		o.Lat, o.Lon = &la, &lo
	}
	return nil
}

// CreateOpportunity adds an opportunity to an organisation; only its
// coordinators may, and only a verified organisation may publish.
func (s *Service) CreateOpportunity(ctx context.Context, viewer *httpx.Viewer, orgID string, in OpportunityInput) (*Opportunity, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	if err := s.checkOpportunity(ctx, orgID, &in); err != nil {
		return nil, err
	}
	o := &Opportunity{ID: db.NewID(), OrgID: orgID, CreatedAt: s.now()}
	if err := s.applyInput(ctx, o, in); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := oppInsert(ctx, tx, o, viewer.ID); err != nil {
			return err
		}
		if err := oppSetSkills(ctx, tx, o.ID, o.Skills); err != nil {
			return err
		}
		if err := s.indexOpportunity(ctx, tx, o); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.opportunity.create", TargetType: "opportunity",
			TargetID: o.ID, OrgID: orgID, IP: httpx.ClientIP(ctx), Details: map[string]string{"title": o.TitleAr, "status": o.Status}})
	})
	if err != nil {
		return nil, fmt.Errorf("create opportunity: %w", err)
	}
	return loadOpportunity(ctx, s.db.R, o.ID)
}

// UpdateOpportunity saves an opportunity's details, requirements and status.
// Requirements apply to sign-ups made from now on; people already signed up keep their place.
func (s *Service) UpdateOpportunity(ctx context.Context, viewer *httpx.Viewer, id string, in OpportunityInput) (*Opportunity, error) {
	o, err := s.Opportunity(ctx, viewer, id)
	if err != nil {
		return nil, err
	}
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, o.OrgID); err != nil {
		return nil, err
	}
	if err := s.checkOpportunity(ctx, o.OrgID, &in); err != nil {
		return nil, err
	}
	before := o.Status
	if err := s.applyInput(ctx, o, in); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx db.Tx) error {
		if err := oppUpdate(ctx, tx, o, s.now()); err != nil {
			return err
		}
		if err := oppSetSkills(ctx, tx, o.ID, o.Skills); err != nil {
			return err
		}
		if err := s.indexOpportunity(ctx, tx, o); err != nil {
			return err
		}
		details := map[string]string{"title": o.TitleAr}
		if before != o.Status {
			details["status"] = before + " → " + o.Status
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: viewer.ID, Action: "volunteer.opportunity.update", TargetType: "opportunity",
			TargetID: o.ID, OrgID: o.OrgID, IP: httpx.ClientIP(ctx), Details: details})
	})
	if err != nil {
		return nil, fmt.Errorf("update opportunity %s: %w", id, err)
	}
	return loadOpportunity(ctx, s.db.R, o.ID)
}

// CanManage reports whether viewer coordinates volunteering in the organisation.
func (s *Service) CanManage(ctx context.Context, viewer *httpx.Viewer, orgID string) (bool, error) {
	if viewer == nil {
		return false, nil
	}
	return s.orgs.Can(ctx, viewer, org.ManageVolunteering, orgID)
}

// Opportunity returns an opportunity the viewer may see: a published or
// archived one of a verified organisation to anyone, any of them to the
// organisation's coordinators. To everyone else it does not exist
// (db.ErrNotFound), so drafts stay private.
func (s *Service) Opportunity(ctx context.Context, viewer *httpx.Viewer, id string) (*Opportunity, error) {
	o, err := loadOpportunity(ctx, s.db.R, id)
	if err != nil {
		return nil, fmt.Errorf("opportunity %s: %w", id, err)
	}
	ok, err := s.oppVisible(ctx, viewer, o)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("opportunity %s: %w", id, db.ErrNotFound)
	}
	return o, nil
}

func (s *Service) oppVisible(ctx context.Context, viewer *httpx.Viewer, o *Opportunity) (bool, error) {
	if o.Status != OppDraft {
		public, err := s.orgs.Can(ctx, nil, org.ViewOrg, o.OrgID) // true only for verified organisations
		if err != nil || public {
			return public, err
		}
	}
	return s.CanManage(ctx, viewer, o.OrgID)
}

// OrgOpportunity is a line of a coordinator's list: the opportunity and how
// many shifts it has ahead.
type OrgOpportunity struct {
	*Opportunity
	UpcomingShifts int `json:"upcoming_shifts"`
}

// OrgOpportunityPage is one page of an organisation's opportunities, newest
// first; Next and Prev are the cursors of the neighbouring pages ("" when
// there is none), for after= and before=.
type OrgOpportunityPage struct {
	Items []OrgOpportunity `json:"items"`
	Next  string           `json:"next"`
	Prev  string           `json:"prev"`
}

// OrgOpportunitiesLimit is the page size of the coordinators' list.
const OrgOpportunitiesLimit = 20

// OrgOpportunities lists an organisation's opportunities, drafts and archived
// ones included, for its coordinators: the page after a previous page's Next,
// or before its Prev, or the first.
func (s *Service) OrgOpportunities(ctx context.Context, viewer *httpx.Viewer, orgID, after, before string) (*OrgOpportunityPage, error) {
	if err := s.orgs.Require(ctx, viewer, org.ManageVolunteering, orgID); err != nil {
		return nil, err
	}
	backward, cursor := before != "", after
	if backward {
		cursor = before
	}
	items, err := oppListByOrg(ctx, s.db.R, orgID, cursor, backward, s.now(), OrgOpportunitiesLimit+1)
	if err != nil {
		return nil, fmt.Errorf("list opportunities of %s: %w", orgID, err)
	}
	pg := &OrgOpportunityPage{}
	pg.Items, pg.Next, pg.Prev = oppKeyset(items, OrgOpportunitiesLimit, backward, cursor != "", func(o OrgOpportunity) string { return o.ID })
	if pg.Items == nil {
		pg.Items = []OrgOpportunity{}
	}
	return pg, nil
}
