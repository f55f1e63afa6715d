package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/volunteer"
)

var riyadh = time.FixedZone("AST", 3*3600)

func plan(roles ...volunteer.RoleInput) volunteer.ShiftPlan {
	return volunteer.ShiftPlan{Roles: roles, SignupOpensDays: 30, SignupClosesHours: 2, CancelCutoffHours: 12}
}

func role(ar, en, skill string, slots int) volunteer.RoleInput {
	return volunteer.RoleInput{NameAr: ar, NameEn: en, SkillID: skill, Slots: slots}
}

// demoOpp is an opportunity of the demo with its shifts.
type demoOpp struct {
	org, coordinator string // organisation English name, coordinator email
	in               volunteer.OpportunityInput
	// series: weekly shifts; oneOff: days from today for a single shift.
	series *volunteer.SeriesInput
	oneOff []int
	start  string
	end    string
	plan   volunteer.ShiftPlan
}

func demoOpps(c *city) []demoOpp {
	basket := plan(role("تعبئة السلال", "Packing", "", 10), role("سائق توصيل", "Delivery driver", "driving", 3), role("قائد الفريق", "Team leader", "leader", 1))
	basket.TeamSize = 4
	return []demoOpp{
		{org: "Takaful Charitable Association, Madinah", coordinator: charityC.email, start: "16:00", end: "19:00", plan: basket,
			in: volunteer.OpportunityInput{TitleAr: "تعبئة السلال الغذائية وتوصيلها", TitleEn: "Packing and delivering food baskets", Category: "food",
				DescriptionAr: "نعبّئ السلال الغذائية في مستودع الجمعية بقباء ونوصلها إلى الأسر المسجّلة. العمل في فرق من أربعة.",
				DescriptionEn: "We pack food baskets at the association's Quba warehouse and deliver them to registered families, in teams of four.",
				PlaceID:       c.places["SA-03-MED-QBA-QBA"], Approval: volunteer.AutoApproval, GenderRule: volunteer.AnyGender, Languages: []string{"ar"}, Status: "published"},
			series: &volunteer.SeriesInput{Weekdays: []int{2, 6}, Start: "16:00", DurationMinutes: 180}},
		{org: "Takaful Charitable Association, Madinah", coordinator: charityC.email, start: "09:00", end: "13:00", oneOff: []int{6},
			plan: plan(role("توزيع", "Distribution", "", 15), role("إسعافات أولية", "First aid", "first_aid", 1)),
			in: volunteer.OpportunityInput{TitleAr: "توزيع كسوة الشتاء", TitleEn: "Winter clothing distribution", Category: "relief",
				DescriptionAr: "توزيع الملابس الشتوية والبطانيات على الأسر في حي العوالي.", DescriptionEn: "Handing out winter clothes and blankets to families in Al-Awali.",
				PlaceID: c.places["SA-03-MED-AWL-AWL"], Approval: volunteer.AutoApproval, GenderRule: volunteer.AnyGender, Status: "published"}},
		{org: "Takaful Charitable Association, Madinah", coordinator: charityC.email, start: "17:00", end: "18:30", plan: plan(role("معلّم", "Tutor", "teaching", 8)),
			in: volunteer.OpportunityInput{TitleAr: "دروس تقوية لطلاب المرحلة المتوسطة", TitleEn: "Homework help for middle-school pupils", Category: "education",
				DescriptionAr: "رياضيات وعلوم ولغة إنجليزية لأبناء الأسر المستفيدة، في قاعة الجمعية.", DescriptionEn: "Maths, science and English for the children of assisted families, at the association's hall.",
				PlaceID: c.places["SA-03-MED-QBA-QRB"], Approval: volunteer.ReviewApproval, GenderRule: volunteer.AnyGender, MinAge: 18, Status: "published"},
			series: &volunteer.SeriesInput{Weekdays: []int{1, 4}, Start: "17:00", DurationMinutes: 90}},
		{org: "Al-Wafa Elderly Care Home", coordinator: elderlyC.email, start: "10:00", end: "12:00", plan: plan(role("زائر", "Visitor", "", 6), role("ممرّض", "Nurse", "nursing", 1)),
			in: volunteer.OpportunityInput{TitleAr: "زيارة كبار السن والقراءة لهم", TitleEn: "Visiting and reading to elderly residents", Category: "elderly",
				DescriptionAr: "جلسات أنس وقراءة ومرافقة في حديقة الدار. تتطلب اعتماد الدار للمتطوع.", DescriptionEn: "Company, reading and walks in the home's garden. Volunteers must be vetted by the home.",
				PlaceID: c.places["SA-03-MED-AQQ-SLT"], Approval: volunteer.ReviewApproval, GenderRule: volunteer.AnyGender, MinAge: 18, VettedOnly: true, Status: "published"},
			series: &volunteer.SeriesInput{Weekdays: []int{0, 3}, Start: "10:00", DurationMinutes: 120}},
		{org: "Quba Sub-Municipality", coordinator: municipal.email, start: "07:00", end: "10:00", oneOff: []int{8},
			plan: plan(role("متطوع نظافة", "Clean-up volunteer", "", 40), role("إسعافات أولية", "First aid", "first_aid", 2), role("مصوّر", "Photographer", "photography", 1)),
			in: volunteer.OpportunityInput{TitleAr: "حملة نظافة وادي قباء", TitleEn: "Wadi Quba clean-up", Category: "environment",
				DescriptionAr: "حملة صباحية لتنظيف مجرى الوادي وزراعة شتلات. الأدوات والمياه على البلدية.", DescriptionEn: "A morning clean-up of the wadi bed and planting of seedlings. Tools and water provided.",
				PlaceID: c.places["SA-03-MED-QBA-QBA"], Approval: volunteer.AutoApproval, GenderRule: volunteer.AnyGender, MinAge: 12, Status: "published"}},
		{org: "Al-Awali Primary Health Centre", coordinator: health.email, start: "16:00", end: "21:00", oneOff: []int{10},
			plan: plan(role("تنظيم", "Organiser", "events", 5), role("تمريض", "Nurse", "nursing", 3), role("مترجم أردو", "Urdu interpreter", "translation", 2)),
			in: volunteer.OpportunityInput{TitleAr: "يوم التوعية الصحية والتطعيم", TitleEn: "Health awareness and vaccination day", Category: "health",
				DescriptionAr: "فحوص مجانية للضغط والسكر وتطعيم الإنفلونزا لسكان العوالي.", DescriptionEn: "Free blood pressure and sugar checks and flu vaccination for Al-Awali residents.",
				PlaceID: c.places["SA-03-MED-AWL-AWL"], Approval: volunteer.AutoApproval, GenderRule: volunteer.AnyGender, Status: "published"}},
	}
}

// demoUpcoming creates the opportunities and their coming shifts, and signs
// volunteers up through the rules (refusals are simply skipped).
func demoUpcoming(ctx context.Context, vol *volunteer.Service, c *city, people []*httpx.Viewer, r *rand.Rand, now time.Time) error {
	today := now.In(riyadh)
	for _, o := range demoOpps(c) {
		coord := c.users[o.coordinator].Viewer()
		opp, err := vol.CreateOpportunity(ctx, coord, c.orgs[o.org], o.in)
		if err != nil {
			return fmt.Errorf("demo opportunity %s: %w", o.in.TitleEn, err)
		}
		if o.series != nil {
			in := *o.series
			in.From = today.AddDate(0, 0, 1).Format(time.DateOnly)
			in.Until = today.AddDate(0, 0, 21).Format(time.DateOnly)
			in.ShiftPlan = o.plan
			if _, err := vol.CreateSeries(ctx, coord, opp.ID, in); err != nil {
				return fmt.Errorf("demo series %s: %w", o.in.TitleEn, err)
			}
		}
		for _, days := range o.oneOff {
			in := volunteer.ShiftInput{Date: today.AddDate(0, 0, days).Format(time.DateOnly), Start: o.start, End: o.end, ShiftPlan: o.plan}
			if _, err := vol.CreateShift(ctx, coord, opp.ID, in); err != nil {
				return fmt.Errorf("demo shift %s: %w", o.in.TitleEn, err)
			}
		}
		if o.in.VettedOnly {
			// The home has vetted a few dozen of the volunteers.
			for _, p := range people[:40] {
				if _, err := vol.Vet(ctx, coord, c.orgs[o.org], p.ID); err != nil {
					return fmt.Errorf("demo vetting: %w", err)
				}
			}
		}
		if err := signUpCrowd(ctx, vol, coord, opp.ID, people, r); err != nil {
			return err
		}
	}
	return nil
}

// signUpCrowd tries a random share of the volunteers on each coming shift of
// an opportunity, on a role chosen at random.
func signUpCrowd(ctx context.Context, vol *volunteer.Service, coord *httpx.Viewer, oppID string, people []*httpx.Viewer, r *rand.Rand) error {
	after := ""
	for {
		shifts, next, _, err := vol.UpcomingShifts(ctx, coord, oppID, after, "")
		if err != nil {
			return fmt.Errorf("demo shifts: %w", err)
		}
		for _, sh := range shifts {
			for _, i := range r.Perm(len(people))[:len(people)/12] {
				role := sh.Roles[r.IntN(len(sh.Roles))]
				if _, _, err := vol.SignUp(ctx, people[i], sh.ID, volunteer.SignupInput{RoleID: role.ID, PartySize: 1}); err != nil {
					return fmt.Errorf("demo sign-up: %w", err)
				}
			}
		}
		if next == "" {
			return nil
		}
		after = next
	}
}
