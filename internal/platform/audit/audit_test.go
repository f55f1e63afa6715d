package audit_test

import (
	"context"
	"testing"

	"sharaka/internal/platform/audit"
	"sharaka/internal/platform/db"
	"sharaka/internal/platform/db/dbtest"
)

func TestRecordAndListNewestFirstWithPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i, action := range []string{"user.login", "org.verify", "user.login"} {
			e := audit.Entry{Action: action, TargetType: "user", TargetID: "u" + string(rune('0'+i)), IP: "10.0.0.1", Details: map[string]string{"n": string(rune('a' + i))}}
			if err := audit.Record(ctx, d.W, e); err != nil {
				t.Fatal(err)
			}
		}
		all, err := audit.List(ctx, d.R, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].TargetID != "u2" || all[2].TargetID != "u0" {
			t.Fatalf("want newest first u2..u0, got %+v", all)
		}
		if all[0].Details["n"] != "c" || all[0].IP != "10.0.0.1" || all[0].At.IsZero() {
			t.Fatalf("fields lost: %+v", all[0])
		}
		logins, err := audit.List(ctx, d.R, audit.Filter{Action: "user.login", Limit: 1})
		if err != nil || len(logins) != 1 || logins[0].TargetID != "u2" {
			t.Fatalf("first page of logins: %+v %v", logins, err)
		}
		next, err := audit.List(ctx, d.R, audit.Filter{Action: "user.login", Limit: 1, Before: logins[0].ID})
		if err != nil || len(next) != 1 || next[0].TargetID != "u0" {
			t.Fatalf("second page of logins: %+v %v", next, err)
		}
	})
}
