package volunteer

import (
	"context"
	"fmt"

	"sharaka/internal/platform/db"
	"sharaka/internal/platform/i18n"
	"sharaka/internal/search"
)

// KindOpportunity is the search documents' kind for opportunities.
const KindOpportunity = "opportunity"

// indexOpportunity writes o to the search index in the caller's
// transaction: both languages' title and description, the category's and
// the required skills' names as tags. Anyone finds a published opportunity;
// a draft or an archived one is found only by the organisation's members.
func (s *Service) indexOpportunity(ctx context.Context, tx db.Querier, o *Opportunity) error {
	ar, en := i18n.New(i18n.AR, i18n.Latin, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	tags := []string{ar.T(CategoryMsgID(o.Category)), en.T(CategoryMsgID(o.Category))}
	for _, k := range o.Skills {
		var nameAr, nameEn string
		err := tx.QueryRowContext(ctx, `SELECT name_ar, name_en FROM skills WHERE id = $1`, k).Scan(&nameAr, &nameEn)
		if err != nil {
			return fmt.Errorf("index opportunity %s: skill %s: %w", o.ID, k, err)
		}
		tags = append(tags, nameAr, nameEn)
	}
	return search.New(s.db).Put(ctx, tx, search.Doc{
		Kind: KindOpportunity, RefID: o.ID, OrgID: o.OrgID, Public: o.Status == OppPublished,
		Title: o.TitleAr + "\n" + o.TitleEn, Body: o.DescriptionAr + "\n" + o.DescriptionEn, Tags: tags,
		PlaceID: o.PlaceID, Category: o.Category,
	})
}

// ReindexOpportunities writes every opportunity to the search index again,
// for `sharaka search reindex`; it returns how many it wrote.
func (s *Service) ReindexOpportunities(ctx context.Context) (int, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM opportunities ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("reindex opportunities: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reindex opportunities: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reindex opportunities: %w", err)
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(len(ids), start+500)]
		err := s.db.WithTx(ctx, func(tx db.Tx) error {
			for _, id := range batch {
				o, err := loadOpportunity(ctx, tx, id)
				if err != nil {
					return err
				}
				if err := s.indexOpportunity(ctx, tx, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("reindex opportunities: %w", err)
		}
	}
	return len(ids), nil
}
