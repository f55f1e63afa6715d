package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"sharaka/internal/account"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/httpx"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/volunteer"
)

// DemoVolunteers is how many generated volunteers the demo city has.
const DemoVolunteers = 260

// city is what the volunteering loader needs from the rest of the demo.
type city struct {
	places map[string]string // place code → id
	orgs   map[string]string // organisation English name → id
	users  map[string]*account.User
}

var neighbourhoods = []string{"SA-03-MED-HRM-BSH", "SA-03-MED-HRM-SAH", "SA-03-MED-HRM-MNH", "SA-03-MED-QBA-QBA", "SA-03-MED-QBA-QRB",
	"SA-03-MED-QBA-AZZ", "SA-03-MED-QBA-ABY", "SA-03-MED-AWL-AWL", "SA-03-MED-AWL-HRS", "SA-03-MED-AWL-RAN", "SA-03-MED-AQQ-SLT",
	"SA-03-MED-AQQ-KHL", "SA-03-MED-AQQ-HRG", "SA-03-MED-UYN-JRF", "SA-03-MED-UYN-UYN", "SA-03-MED-UYN-BHR"}

// skills drawn for generated volunteers, most common first.
var skillPool = []string{"logistics", "logistics", "driving", "cooking", "first_aid", "teaching", "teaching", "elderly_care",
	"childcare", "computer", "photography", "events", "leader", "nursing", "translation", "gardening", "counselling", "sign_language"}

// loadVolunteering gives the demo city a living volunteering scene: people
// with profiles, opportunities with one-off and weekly shifts over the coming
// weeks, sign-ups, and a past of attended shifts with approved hours and
// certificates, all recorded through the volunteering rules.
func loadVolunteering(ctx context.Context, d *db.DB, accounts *account.Service, vol *volunteer.Service, c *city) error {
	r := rand.New(rand.NewPCG(2026, 11))
	people, err := demoVolunteers(ctx, d, accounts, vol, c, r)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := demoHistory(ctx, vol, c, people, r, now); err != nil {
		return err
	}
	return demoUpcoming(ctx, vol, c, people, r, now)
}

// demoVolunteers creates the generated volunteers (accounts without a
// password, as an association's import would) and their profiles, plus
// profiles for the two demo residents who can sign in.
func demoVolunteers(ctx context.Context, d *db.DB, accounts *account.Service, vol *volunteer.Service, c *city, r *rand.Rand) ([]*httpx.Viewer, error) {
	type gen struct {
		u      *account.User
		female bool
	}
	var made []gen
	err := d.WithTx(ctx, func(tx db.Tx) error {
		for i := 1; i <= DemoVolunteers; i++ {
			name, female := volunteerName(r)
			u, _, err := accounts.Provision(ctx, tx, fmt.Sprintf("volunteer.%03d@sharaka.example", i), name, i18n.AR)
			if err != nil {
				return fmt.Errorf("demo volunteer %d: %w", i, err)
			}
			made = append(made, gen{u, female})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var people []*httpx.Viewer
	for _, g := range made {
		in := randomProfile(r, c, g.female)
		v := g.u.Viewer()
		if _, err := vol.SaveProfile(ctx, v, in); err != nil {
			return nil, fmt.Errorf("demo profile %s: %w", g.u.Email, err)
		}
		people = append(people, v)
	}
	// The two residents who can sign in get profiles of their own.
	for _, p := range []struct {
		who    person
		female bool
		home   string
		skills []string
		langs  []string
	}{
		{resident1, true, "SA-03-MED-QBA-QBA", []string{"first_aid", "teaching", "logistics"}, []string{"ar"}},
		{resident2, false, "SA-03-MED-AWL-AWL", []string{"driving", "logistics", "translation"}, []string{"ar", "en", "ur"}},
	} {
		in := randomProfile(r, c, p.female)
		in.HomePlaceID, in.Skills, in.Languages, in.BirthDate = c.places[p.home], p.skills, p.langs, "1994-03-14"
		in.Availability = everyEvening()
		if _, err := vol.SaveProfile(ctx, c.users[p.who.email].Viewer(), in); err != nil {
			return nil, fmt.Errorf("demo profile %s: %w", p.who.email, err)
		}
	}
	return people, nil
}

func everyEvening() []volunteer.WindowInput {
	var w []volunteer.WindowInput
	for day := 0; day < 7; day++ {
		w = append(w, volunteer.WindowInput{Weekday: day, Start: "07:00", End: "22:00"})
	}
	return w
}

func randomProfile(r *rand.Rand, c *city, female bool) volunteer.ProfileInput {
	in := volunteer.ProfileInput{
		CharterAccepted: true,
		HomePlaceID:     c.places[neighbourhoods[r.IntN(len(neighbourhoods))]],
		TravelRadiusKm:  5 + r.IntN(21),
		Languages:       []string{"ar"},
		Gender:          volunteer.Male,
		BirthDate:       fmt.Sprintf("%d-%02d-%02d", 1965+r.IntN(44), 1+r.IntN(12), 1+r.IntN(28)),
	}
	if female {
		in.Gender = volunteer.Female
	}
	if r.IntN(10) < 3 {
		in.Languages = append(in.Languages, "en")
	}
	if r.IntN(20) == 0 {
		in.Languages = append(in.Languages, "ur")
	}
	seen := map[string]bool{}
	for n := r.IntN(4); n > 0; n-- {
		if s := skillPool[r.IntN(len(skillPool))]; !seen[s] {
			seen[s] = true
			in.Skills = append(in.Skills, s)
		}
	}
	for n := 1 + r.IntN(3); n > 0; n-- {
		if cat := volunteer.Categories[r.IntN(len(volunteer.Categories))]; !slices.Contains(in.Interests, cat) {
			in.Interests = append(in.Interests, cat)
		}
	}
	// Most people give evenings and the weekend (Friday and Saturday).
	for day := 0; day < 7; day++ {
		switch {
		case day == 5 || day == 6:
			in.Availability = append(in.Availability, volunteer.WindowInput{Weekday: day, Start: "08:00", End: "22:00"})
		case r.IntN(3) > 0:
			in.Availability = append(in.Availability, volunteer.WindowInput{Weekday: day, Start: "16:00", End: "22:00"})
		}
	}
	// People past fifty (many retired) also give weekday mornings, when
	// care homes visit; decided from the birth year so the random draws,
	// and with them the rest of the demo, stay as they were.
	if in.BirthDate < "1976" {
		for day := 0; day < 5; day++ {
			in.Availability = append(in.Availability, volunteer.WindowInput{Weekday: day, Start: "08:00", End: "13:00"})
		}
	}
	if r.IntN(4) == 0 {
		in.MaxShiftsWeek = 2
	}
	return in
}
