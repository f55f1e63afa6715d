package volunteer_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"sharaka/internal/org"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

func oppF(f float64) *float64 { return &f }

// oppOpportunityValidation: every rule of the opportunity form refuses bad
// input with its own message, and writes nothing.
func oppOpportunityValidation(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	v := owner.Viewer()
	for _, tc := range []struct {
		name, field, msg string
		change           func(in *volunteer.OpportunityInput)
	}{
		{"arabic title required", "title_ar", "error.required", func(in *volunteer.OpportunityInput) { in.TitleAr = "  " }},
		{"title too long", "title_ar", "volunteer.opportunity.error.title_long", func(in *volunteer.OpportunityInput) { in.TitleAr = strings.Repeat("ب", 151) }},
		{"english title too long", "title_en", "volunteer.opportunity.error.title_long", func(in *volunteer.OpportunityInput) { in.TitleEn = strings.Repeat("b", 151) }},
		{"description too long", "description_ar", "volunteer.opportunity.error.description_long", func(in *volunteer.OpportunityInput) { in.DescriptionAr = strings.Repeat("و", 4001) }},
		{"english description too long", "description_en", "volunteer.opportunity.error.description_long", func(in *volunteer.OpportunityInput) { in.DescriptionEn = strings.Repeat("w", 4001) }},
		{"category required", "category", "error.required", func(in *volunteer.OpportunityInput) { in.Category = "" }},
		{"unknown category", "category", "error.choice", func(in *volunteer.OpportunityInput) { in.Category = "parties" }},
		{"latitude without longitude", "lat", "volunteer.opportunity.error.latlon_pair", func(in *volunteer.OpportunityInput) { in.Lat = oppF(24.4) }},
		{"latitude out of range", "lat", "volunteer.opportunity.error.lat", func(in *volunteer.OpportunityInput) { in.Lat, in.Lon = oppF(91), oppF(39) }},
		{"latitude not a number", "lat", "volunteer.opportunity.error.lat", func(in *volunteer.OpportunityInput) { in.Lat, in.Lon = oppF(math.NaN()), oppF(39) }},
		{"longitude out of range", "lon", "volunteer.opportunity.error.lon", func(in *volunteer.OpportunityInput) { in.Lat, in.Lon = oppF(24), oppF(-181) }},
		{"unknown skill", "skills", "volunteer.opportunity.error.skill_unknown", func(in *volunteer.OpportunityInput) { in.Skills = []string{"juggling"} }},
		{"too many skills", "skills", "volunteer.opportunity.error.too_many_skills", func(in *volunteer.OpportunityInput) {
			in.Skills = []string{"first_aid", "nursing", "driving", "cooking", "teaching", "childcare", "elderly_care", "sign_language", "leader", "logistics", "computer"}
		}},
		{"unknown gender rule", "gender_rule", "error.choice", func(in *volunteer.OpportunityInput) { in.GenderRule = "children" }},
		{"negative minimum age", "min_age", "volunteer.opportunity.error.min_age", func(in *volunteer.OpportunityInput) { in.MinAge = -1 }},
		{"minimum age too high", "min_age", "volunteer.opportunity.error.min_age", func(in *volunteer.OpportunityInput) { in.MinAge = 120 }},
		{"unknown language", "languages", "error.choice", func(in *volunteer.OpportunityInput) { in.Languages = []string{"ar", "klingon"} }},
		{"unknown approval", "approval", "error.choice", func(in *volunteer.OpportunityInput) { in.Approval = "maybe" }},
		{"unknown status", "status", "error.choice", func(in *volunteer.OpportunityInput) { in.Status = "live" }},
		{"unknown place", "place_id", "volunteer.opportunity.error.place_unknown", func(in *volunteer.OpportunityInput) { in.PlaceID = "nowhere" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := oppInput(volunteer.OppPublished)
			tc.change(&in)
			_, err := e.a.Volunteer.CreateOpportunity(e.ctx, v, o.ID, in)
			if got := oppFields(t, err)[tc.field]; got != tc.msg {
				t.Errorf("field %s: %q, want %q (all: %v)", tc.field, got, tc.msg, oppFields(t, err))
			}
		})
	}
	if n := e.count(`SELECT COUNT(*) FROM opportunities WHERE org_id = $1`, o.ID); n != 0 {
		t.Fatalf("%d opportunities written by refused input", n)
	}
	// A good one, defaults filled, at the centre of its place's district.
	in := oppInput("")
	in.PlaceID = e.places["SA-03-MED-QBA-N1"]
	in.Skills = []string{"logistics", "driving", "logistics"}
	opp := e.opportunity(v, o, in)
	if opp.Status != volunteer.OppDraft || opp.GenderRule != volunteer.AnyGender || opp.Approval != volunteer.AutoApproval {
		t.Errorf("defaults: %+v", opp)
	}
	if opp.Lat == nil || *opp.Lat != 24.44 || *opp.Lon != 39.62 {
		t.Errorf("location: %v %v, want the district's centre", opp.Lat, opp.Lon)
	}
	if strings.Join(opp.Skills, ",") != "driving,logistics" || opp.OrgNameAr != "جمعية البر" {
		t.Errorf("skills %v org %q", opp.Skills, opp.OrgNameAr)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'volunteer.opportunity.create' AND target_id = $1`, opp.ID); n != 1 {
		t.Errorf("audit entries: %d", n)
	}
}

// oppOpportunityPermissions: only coordinators create and edit; only a
// verified organisation publishes; drafts stay private.
func oppOpportunityPermissions(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	coord := e.user("سالم", "salem@example.org", i18n.AR)
	member := e.user("منى", "mona@example.org", i18n.AR)
	stranger := e.user("خالد", "khalid@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	e.join(o, coord, org.RoleCoordinator)
	e.join(o, member, org.RoleMember)

	if _, err := e.a.Volunteer.CreateOpportunity(e.ctx, member.Viewer(), o.ID, oppInput(volunteer.OppDraft)); !errors.Is(err, httpx.ErrForbidden) {
		t.Errorf("member creates: %v, want forbidden", err)
	}
	if _, err := e.a.Volunteer.CreateOpportunity(e.ctx, nil, o.ID, oppInput(volunteer.OppDraft)); !errors.Is(err, httpx.ErrUnauthorized) {
		t.Errorf("anonymous creates: %v, want unauthorized", err)
	}
	if _, err := e.a.Volunteer.CreateOpportunity(e.ctx, e.admin, o.ID, oppInput(volunteer.OppDraft)); !errors.Is(err, httpx.ErrForbidden) {
		t.Errorf("platform admin creates: %v, want forbidden (admins are not coordinators)", err)
	}
	draft := e.opportunity(coord.Viewer(), o, oppInput(volunteer.OppDraft))
	for name, v := range map[string]*httpx.Viewer{"anonymous": nil, "member": member.Viewer(), "stranger": stranger.Viewer()} {
		if _, err := e.a.Volunteer.Opportunity(e.ctx, v, draft.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s sees a draft: %v", name, err)
		}
	}
	if _, err := e.a.Volunteer.Opportunity(e.ctx, owner.Viewer(), draft.ID); err != nil {
		t.Errorf("owner cannot see the draft: %v", err)
	}
	in := oppInput(volunteer.OppPublished)
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, member.Viewer(), draft.ID, in); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("member edits a draft: %v, want not found", err)
	}
	pub, err := e.a.Volunteer.UpdateOpportunity(e.ctx, coord.Viewer(), draft.ID, in)
	if err != nil || pub.Status != volunteer.OppPublished {
		t.Fatalf("publish: %v", err)
	}
	if _, err := e.a.Volunteer.Opportunity(e.ctx, nil, pub.ID); err != nil {
		t.Errorf("anonymous cannot see the published opportunity: %v", err)
	}
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, member.Viewer(), pub.ID, in); !errors.Is(err, httpx.ErrForbidden) {
		t.Errorf("member edits a published opportunity: %v, want forbidden", err)
	}
	if _, err := e.a.Volunteer.OrgOpportunities(e.ctx, member.Viewer(), o.ID, "", ""); !errors.Is(err, httpx.ErrForbidden) {
		t.Errorf("member lists the coordinators' list: %v", err)
	}

	// A pending organisation prepares drafts but cannot publish, and nobody outside sees its work.
	other := e.user("ريم", "reem@example.org", i18n.AR)
	pending := e.org(other, "فريق الخير", "Al-Khair Team", false)
	_, err = e.a.Volunteer.CreateOpportunity(e.ctx, other.Viewer(), pending.ID, oppInput(volunteer.OppPublished))
	if got := oppFields(t, err)["status"]; got != "volunteer.opportunity.error.publish_unverified" {
		t.Errorf("pending org publishes: %q", got)
	}
	pd := e.opportunity(other.Viewer(), pending, oppInput(volunteer.OppDraft))
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, other.Viewer(), pd.ID, oppInput(volunteer.OppPublished)); oppFields(t, err)["status"] == "" {
		t.Error("pending org published by editing")
	}
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, other.Viewer(), pd.ID, oppInput(volunteer.OppArchived)); err != nil {
		t.Errorf("pending org archives its draft: %v", err)
	}
	if _, err := e.a.Volunteer.Opportunity(e.ctx, nil, pd.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("an archived opportunity of a pending organisation is public: %v", err)
	}
	// Once verified, it may publish.
	if err := e.a.Org.Verify(e.ctx, e.admin, pending.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.Volunteer.UpdateOpportunity(e.ctx, other.Viewer(), pd.ID, oppInput(volunteer.OppPublished)); err != nil {
		t.Errorf("verified org publishes: %v", err)
	}

	page, err := e.a.Volunteer.OrgOpportunities(e.ctx, coord.Viewer(), o.ID, "", "")
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != draft.ID || page.Next != "" {
		t.Fatalf("coordinators' list: %+v %v", page, err)
	}
}

// oppOrgOpportunitiesPages walks the coordinators' list a page at a time.
func oppOrgOpportunitiesPages(t *testing.T, e *oppEnv) {
	owner := e.user("هند", "hind@example.org", i18n.AR)
	o := e.org(owner, "جمعية البر", "Al-Birr Society", true)
	n := volunteer.OrgOpportunitiesLimit + 3
	for i := 0; i < n; i++ {
		e.opportunity(owner.Viewer(), o, oppInput(volunteer.OppDraft))
	}
	// Forward, newest first, each once; then back from the last page to the first.
	var pages [][]string
	after := ""
	for len(pages) < 5 {
		pg, err := e.a.Volunteer.OrgOpportunities(e.ctx, owner.Viewer(), o.ID, after, "")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range pg.Items {
			ids = append(ids, it.ID)
		}
		if len(pages) > 0 && pg.Prev != ids[0] {
			t.Errorf("page %d: prev cursor %q, want its first item", len(pages)+1, pg.Prev)
		}
		pages = append(pages, ids)
		if after = pg.Next; after == "" {
			break
		}
	}
	all := slices.Concat(pages...)
	if len(pages) != 2 || len(all) != n || !slices.IsSortedFunc(all, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Fatalf("pages %v: want %d opportunities newest first on 2 pages", pages, n)
	}
	back, err := e.a.Volunteer.OrgOpportunities(e.ctx, owner.Viewer(), o.ID, "", pages[1][0])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range back.Items {
		ids = append(ids, it.ID)
	}
	if !slices.Equal(ids, pages[0]) || back.Prev != "" || back.Next != pages[0][len(pages[0])-1] {
		t.Errorf("back to the first page: %v prev %q next %q", ids, back.Prev, back.Next)
	}
}

// TestOpportunities: the opportunity rules, one database per engine.
func TestOpportunities(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := oppSetup(t, d)
		t.Run("validation", func(t *testing.T) { oppOpportunityValidation(t, e) })
		t.Run("permissions", func(t *testing.T) { oppOpportunityPermissions(t, e) })
		t.Run("pages of the list", func(t *testing.T) { oppOrgOpportunitiesPages(t, e) })
	})
}
