package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"sharaka/internal/platform/httpx"
	"sharaka/internal/volunteer"
)

// demoHistory records four past Saturdays of basket packing at Takaful, as
// they happened: the shift created days before, people signing up, the
// coordinator checking them in and out at the shift's own time, hours
// reviewed (most approved, some left for the demo coordinator), a no-show
// noted, and certificates for the most faithful volunteers.
func demoHistory(ctx context.Context, vol *volunteer.Service, c *city, people []*httpx.Viewer, r *rand.Rand, now time.Time) error {
	const org = "Takaful Charitable Association, Madinah"
	orgID := c.orgs[org]
	coord := c.users[charityC.email].Viewer()
	o := demoOpps(c)[0]
	in := o.in
	in.TitleAr, in.TitleEn = "تعبئة سلال رمضان", "Ramadan basket packing"
	at := func(t time.Time) *volunteer.Service { return vol.AtTime(func() time.Time { return t }) }
	opp, err := at(now.AddDate(0, 0, -40)).CreateOpportunity(ctx, coord, orgID, volunteer.OpportunityInput{
		TitleAr: in.TitleAr, TitleEn: in.TitleEn, DescriptionAr: in.DescriptionAr, DescriptionEn: in.DescriptionEn, Category: in.Category,
		PlaceID: in.PlaceID, Approval: volunteer.AutoApproval, GenderRule: volunteer.AnyGender, Status: "published"})
	if err != nil {
		return fmt.Errorf("demo past opportunity: %w", err)
	}
	regulars := people[:30]
	var from, to time.Time
	for week := 4; week >= 1; week-- {
		day := now.In(riyadh).AddDate(0, 0, -7*week)
		start := time.Date(day.Year(), day.Month(), day.Day(), 16, 0, 0, 0, riyadh)
		end := start.Add(3 * time.Hour)
		if from.IsZero() {
			from = start
		}
		to = start
		sh, err := at(start.AddDate(0, 0, -5)).CreateShift(ctx, coord, opp.ID, volunteer.ShiftInput{
			Date: start.Format(time.DateOnly), Start: "16:00", End: "19:00", ShiftPlan: plan(role("تعبئة السلال", "Packing", "", 14))})
		if err != nil {
			return fmt.Errorf("demo past shift: %w", err)
		}
		var signups []*volunteer.Signup
		for _, i := range r.Perm(len(regulars))[:14] {
			s, d, err := at(start.AddDate(0, 0, -3)).SignUp(ctx, regulars[i], sh.ID, volunteer.SignupInput{RoleID: sh.Roles[0].ID, PartySize: 1})
			if err != nil {
				return fmt.Errorf("demo past sign-up: %w", err)
			}
			if s != nil && d.Outcome == volunteer.SignedUp {
				signups = append(signups, s)
			}
		}
		for i, s := range signups {
			if i == len(signups)-1 {
				// One person did not come.
				if err := at(end.Add(time.Hour)).MarkNoShow(ctx, coord, s.ID, "لم يحضر ولم يعتذر", false); err != nil {
					return fmt.Errorf("demo no-show: %w", err)
				}
				continue
			}
			if _, err := at(start.Add(-10*time.Minute)).ManualCheckIn(ctx, coord, s.ID); err != nil {
				return fmt.Errorf("demo check-in: %w", err)
			}
			if _, err := at(end.Add(time.Duration(r.IntN(20))*time.Minute)).ManualCheckOut(ctx, coord, s.ID); err != nil {
				return fmt.Errorf("demo check-out: %w", err)
			}
		}
	}
	// Hours are reviewed: all but the last week's are approved.
	var pending []volunteer.Hours
	for after := ""; ; {
		page, err := vol.ListHours(ctx, coord, volunteer.HoursFilter{OrgID: orgID, Status: volunteer.HoursPending, After: after, Limit: volunteer.MaxHoursLimit})
		if err != nil {
			return fmt.Errorf("demo hours: %w", err)
		}
		pending = append(pending, page.Items...)
		if after = page.Next; after == "" {
			break
		}
	}
	for _, h := range pending {
		if h.WorkedOn == to.Format(time.DateOnly) {
			continue
		}
		if _, err := vol.ApproveHours(ctx, coord, h.ID); err != nil {
			return fmt.Errorf("demo approve hours: %w", err)
		}
	}
	for _, p := range regulars[:6] {
		_, err := vol.IssueCertificate(ctx, coord, orgID, volunteer.CertificateInput{UserID: p.ID, From: from.Format(time.DateOnly), To: to.AddDate(0, 0, -7).Format(time.DateOnly)})
		if err != nil && !errors.Is(err, volunteer.ErrCertificateNoHours) {
			return fmt.Errorf("demo certificate: %w", err)
		}
	}
	return nil
}
