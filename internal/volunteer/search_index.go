package volunteer

import (
	"context"
	"fmt"
	"sync"

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
	if len(o.Skills) > 0 {
		in, args := inList(o.Skills, 0)
		rows, err := tx.QueryContext(ctx, `SELECT name_ar, name_en FROM skills WHERE id IN `+in+` ORDER BY id`, args...)
		if err != nil {
			return fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
		}
		for rows.Next() {
			var nameAr, nameEn string
			if err := rows.Scan(&nameAr, &nameEn); err != nil {
				rows.Close()
				return fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
			}
			tags = append(tags, nameAr, nameEn)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
		}
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

// listSearchLimit bounds the opportunities a words filter of the listing
// narrows to: the best matches, listed then by date.
const listSearchLimit = 100

// searchOpportunityIDs returns the published opportunities whose words
// match q, best first, for the listing's words filter.
func (s *Service) searchOpportunityIDs(ctx context.Context, q string) ([]string, error) {
	res, err := s.searchIndex().Search(ctx, search.Query{Text: q, Kinds: []string{KindOpportunity}, Limit: listSearchLimit})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.RefID
	}
	return ids, nil
}

// lazySearch is the service's search index for reading, made on first use:
// it keeps the indexed words typo tolerance reads.
type lazySearch struct {
	once sync.Once
	x    *search.Index
}

func (s *Service) searchIndex() *search.Index {
	s.searcher.once.Do(func() { s.searcher.x = search.New(s.db) })
	return s.searcher.x
}
