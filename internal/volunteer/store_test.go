package volunteer

import (
	"context"
	"errors"
	"testing"
	"time"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

// TestSharedLoaders reads back what the schema stores, on both databases:
// the loaders every part of the package builds on.
func TestSharedLoaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := db.Now()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec(`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ('u1', 'v@example.org', 'نورة', '', $1, $1)`, now)
		exec(`INSERT INTO organisations (id, name_ar, type, status, created_by, created_at) VALUES ('o1', 'جمعية', 'charity', 'verified', 'u1', $1)`, now)
		if _, err := loadProfile(ctx, d.R, "u1"); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("no profile yet: %v", err)
		}
		exec(`INSERT INTO volunteer_profiles (user_id, gender, birth_date, lat, lon, languages, interests, calendar_key, charter_version, charter_accepted_at, created_at, updated_at)
			VALUES ('u1', 'female', '1999-02-03', 24.5, 39.6, $1, $2, 'key1', $3, $4, $4, $4)`, joinList([]string{"ar", "en"}), "", CharterVersion, now)
		exec(`INSERT INTO volunteer_skills (user_id, skill_id, verified_by) VALUES ('u1', 'first_aid', 'o1')`)
		exec(`INSERT INTO availability (id, user_id, weekday, start_minute, end_minute) VALUES ('a1', 'u1', 5, 540, 720)`)
		p, err := loadProfile(ctx, d.R, "u1")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "نورة" || p.Gender != Female || p.Lat == nil || *p.Lat != 24.5 || len(p.Languages) != 2 || len(p.Interests) != 0 ||
			!p.HasSkill("first_aid") || p.Skills[0].VerifiedBy != "o1" || len(p.Availability) != 1 || p.Availability[0].Weekday != time.Friday {
			t.Fatalf("profile read back wrong: %+v", p)
		}

		exec(`INSERT INTO opportunities (id, org_id, title_ar, category, gender_rule, languages, approval, created_by, created_at, updated_at)
			VALUES ('op1', 'o1', 'تعبئة سلال', 'food', 'women', 'ar', 'review', 'u1', $1, $1)`, now)
		exec(`INSERT INTO opportunity_skills (opportunity_id, skill_id) VALUES ('op1', 'logistics')`)
		o, err := loadOpportunity(ctx, d.R, "op1")
		if err != nil {
			t.Fatal(err)
		}
		if o.OrgNameAr != "جمعية" || o.GenderRule != WomenOnly || o.Approval != ReviewApproval || len(o.Skills) != 1 || o.Lat != nil {
			t.Fatalf("opportunity read back wrong: %+v", o)
		}

		start := now.Add(48 * time.Hour)
		exec(`INSERT INTO shifts (id, opportunity_id, starts_at, ends_at, checkin_code, created_at) VALUES ('s1', 'op1', $1, $2, 'ABC234', $3)`, start, start.Add(3*time.Hour), now)
		exec(`INSERT INTO shift_roles (id, shift_id, name_ar, slots) VALUES ('r1', 's1', 'تعبئة', 4)`)
		exec(`INSERT INTO signups (id, shift_id, role_id, user_id, status, party_size, created_at, updated_at) VALUES ('g1', 's1', 'r1', 'u1', 'confirmed', 3, $1, $1)`, now)
		sh, err := loadShift(ctx, d.R, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if !sh.StartsAt.Equal(start) || sh.Minutes() != 180 || len(sh.Roles) != 1 || sh.Roles[0].Taken != 3 || sh.CheckinCode != "ABC234" {
			t.Fatalf("shift read back wrong: %+v", sh)
		}

		st, err := loadOrgSettings(ctx, d.R, "o1")
		if err != nil || st.HoursApproval != ReviewApproval || st.NoShowLimit != 3 {
			t.Fatalf("default settings: %+v %v", st, err)
		}
		exec(`INSERT INTO org_volunteer_settings (org_id, hours_approval, no_show_limit, updated_at) VALUES ('o1', 'auto', 5, $1)`, now)
		if st, _ = loadOrgSettings(ctx, d.R, "o1"); st.HoursApproval != AutoApproval || st.NoShowLimit != 5 {
			t.Fatalf("saved settings: %+v", st)
		}
		if nullString("").Valid || !nullString("x").Valid || len(splitList("")) != 0 {
			t.Fatal("list and null helpers")
		}
	})
}
