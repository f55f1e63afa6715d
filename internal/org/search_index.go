package org

import (
	"context"
	"fmt"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/search"
)

// KindOrganisation is the search documents' kind for organisations.
const KindOrganisation = "organisation"

// indexOrg writes o to the search index in the caller's transaction: both
// names, the description and the type's names. Anyone finds a verified
// organisation; one pending or rejected only its members find.
func (s *Service) indexOrg(ctx context.Context, tx db.Querier, o *Org) error {
	ar, en := i18n.New(i18n.AR, i18n.Latin, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	return search.New(s.db).Put(ctx, tx, search.Doc{
		Kind: KindOrganisation, RefID: o.ID, OrgID: o.ID, Public: o.Status == Verified,
		Title: o.NameAr + "\n" + o.NameEn, Body: o.Description,
		Tags:    []string{ar.T(o.Type.MsgID()), en.T(o.Type.MsgID())},
		PlaceID: o.HomePlaceID, Category: string(o.Type),
	})
}

// ReindexOrgs writes every organisation to the search index again, for
// `sharaka search reindex`; it returns how many it wrote.
func (s *Service) ReindexOrgs(ctx context.Context) (int, error) {
	n := 0
	err := s.db.WithTx(ctx, func(tx db.Tx) error {
		orgs, err := queryOrgs(ctx, tx, `SELECT `+orgCols+` FROM organisations o ORDER BY o.id`)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if err := s.indexOrg(ctx, tx, o); err != nil {
				return err
			}
		}
		n = len(orgs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reindex organisations: %w", err)
	}
	return n, nil
}
