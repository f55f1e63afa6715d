package demo

import (
	"context"
	"fmt"

	"sharaka/internal/account"
	"sharaka/internal/org"
	"sharaka/internal/platform/i18n"
)

type demoOrg struct {
	owner    person
	in       org.Input
	home     string   // place code
	areas    []string // place codes
	verified bool
	members  []membership
}

type membership struct {
	who  person
	role org.Role
}

const demoNote = "\n\n(بيانات تجريبية لعرض المنصة.)"

var demoOrgs = []demoOrg{
	{owner: charityA, verified: true, home: "SA-03-MED-QBA-QBA", areas: []string{"SA-03-MED-QBA", "SA-03-MED-AWL"},
		in: org.Input{NameAr: "جمعية تكافل الخيرية بالمدينة المنورة", NameEn: "Takaful Charitable Association, Madinah", Type: org.Charity,
			Description: "تعين الأسر المحتاجة في أحياء جنوب المدينة بالسلال الغذائية وكسوة الشتاء ودعم الإيجار، وتنظّم متطوعي التوزيع." + demoNote,
			Email:       "info@takaful.example", Phone: "+966 14 800 1000"},
		members: []membership{{charityC, org.RoleCoordinator}, {charityW, org.RoleCaseWorker}, {resident1, org.RoleMember}}},
	{owner: elderlyA, verified: true, home: "SA-03-MED-AQQ-SLT", areas: []string{"SA-03-MED-AQQ", "SA-03-MED-HRM"},
		in: org.Input{NameAr: "دار الوفاء لرعاية المسنين", NameEn: "Al-Wafa Elderly Care Home", Type: org.CareElderly,
			Description: "دار إيواء ورعاية نهارية لكبار السن، ترحّب بالمتطوعين الموثَّقين للزيارات والقراءة والمرافقة." + demoNote,
			Email:       "care@alwafa.example", Phone: "+966 14 800 2000"},
		members: []membership{{elderlyC, org.RoleCoordinator}}},
	{owner: municipal, verified: true, home: "SA-03-MED-QBA-QBA", areas: []string{"SA-03-MED-QBA"},
		in: org.Input{NameAr: "بلدية قباء الفرعية", NameEn: "Quba Sub-Municipality", Type: org.Municipality,
			Description: "تستقبل بلاغات السكان عن الإنارة والنظافة والحفر والحدائق في أحياء قباء وتتابعها حتى تُحَل." + demoNote}},
	{owner: health, verified: true, home: "SA-03-MED-AWL-AWL", areas: []string{"SA-03-MED-AWL"},
		in: org.Input{NameAr: "مركز صحي العوالي", NameEn: "Al-Awali Primary Health Centre", Type: org.HealthCentre,
			Description: "رعاية صحية أولية وحملات توعية وتطعيم بالتعاون مع الجمعيات." + demoNote}},
	{owner: team, verified: false, home: "SA-03-MED-UYN-JRF", areas: []string{"SA-03-MED-UYN"},
		in: org.Input{NameAr: "فريق سواعد المدينة التطوعي", NameEn: "Sawaed Al-Madinah Volunteer Team", Type: org.VolunteerTeam,
			Description: "فريق شبابي لحملات النظافة والتشجير ومساندة الجمعيات في المواسم." + demoNote}},
}

func loadOrgs(ctx context.Context, orgs *org.Service, mails *mailbox, users map[string]*account.User) (*city, error) {
	ids, err := placeIDs(ctx, orgs)
	if err != nil {
		return nil, err
	}
	c := &city{places: ids, orgs: map[string]string{}, users: users}
	adminViewer := users[admin.email].Viewer()
	for _, o := range demoOrgs {
		owner := users[o.owner.email].Viewer()
		in := o.in
		in.HomePlaceID = ids[o.home]
		for _, code := range o.areas {
			in.ServiceAreas = append(in.ServiceAreas, ids[code])
		}
		created, err := orgs.CreateOrg(ctx, owner, in)
		if err != nil {
			return nil, fmt.Errorf("demo organisation %s: %w", in.NameEn, err)
		}
		c.orgs[in.NameEn] = created.ID
		if o.verified {
			if err := orgs.Verify(ctx, adminViewer, created.ID); err != nil {
				return nil, fmt.Errorf("verify %s: %w", in.NameEn, err)
			}
		}
		for _, m := range o.members {
			loc := i18n.New(o.owner.lang, i18n.Latin, nil)
			if _, err := orgs.Invite(ctx, owner, created.ID, org.InviteInput{Email: m.who.email, Role: m.role}, loc); err != nil {
				return nil, fmt.Errorf("invite %s: %w", m.who.email, err)
			}
			secret, err := mails.lastInvitation()
			if err != nil {
				return nil, err
			}
			if _, _, err := orgs.Accept(ctx, users[m.who.email].Viewer(), secret); err != nil {
				return nil, fmt.Errorf("accept invitation for %s: %w", m.who.email, err)
			}
		}
	}
	return c, nil
}

// placeIDs maps every place code to its id, walking down from the countries.
func placeIDs(ctx context.Context, orgs *org.Service) (map[string]string, error) {
	ids := map[string]string{}
	queue := []string{""}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		kids, err := orgs.Children(ctx, parent)
		if err != nil {
			return nil, fmt.Errorf("demo places under %q: %w", parent, err)
		}
		for _, k := range kids {
			ids[k.Code] = k.ID
			queue = append(queue, k.ID)
		}
	}
	return ids, nil
}
