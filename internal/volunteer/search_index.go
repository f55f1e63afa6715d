package volunteer

import (
	"context"
	"fmt"
	"sync"
	"time"

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
	d, err := s.opportunityDoc(ctx, tx, o)
	if err != nil {
		return err
	}
	return search.New(s.db).Put(ctx, tx, d)
}

// opportunityDoc is what the search index holds of o.
func (s *Service) opportunityDoc(ctx context.Context, tx db.Querier, o *Opportunity) (search.Doc, error) {
	ar, en := i18n.New(i18n.AR, i18n.Latin, nil), i18n.New(i18n.EN, i18n.Latin, nil)
	tags := []string{ar.T(CategoryMsgID(o.Category)), en.T(CategoryMsgID(o.Category))}
	if len(o.Skills) > 0 {
		in, args := inList(o.Skills, 0)
		rows, err := tx.QueryContext(ctx, `SELECT name_ar, name_en FROM skills WHERE id IN `+in+` ORDER BY id`, args...)
		if err != nil {
			return search.Doc{}, fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
		}
		for rows.Next() {
			var nameAr, nameEn string
			if err := rows.Scan(&nameAr, &nameEn); err != nil {
				rows.Close()
				return search.Doc{}, fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
			}
			tags = append(tags, nameAr, nameEn)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return search.Doc{}, fmt.Errorf("index opportunity %s: skills: %w", o.ID, err)
		}
	}
	from, to, err := s.opportunityDays(ctx, tx, o.ID)
	if err != nil {
		return search.Doc{}, err
	}
	return search.Doc{
		Kind: KindOpportunity, RefID: o.ID, OrgID: o.OrgID, Public: o.Status == OppPublished,
		Title: o.TitleAr + "\n" + o.TitleEn, Body: o.DescriptionAr + "\n" + o.DescriptionEn, Tags: tags,
		PlaceID: o.PlaceID, Category: o.Category, StartsOn: from, EndsOn: to,
	}, nil
}

// opportunityDays are the local days from an opportunity's first scheduled
// shift to its last, for the search's date filter; "" when it has none.
func (s *Service) opportunityDays(ctx context.Context, q db.Querier, oppID string) (from, to string, err error) {
	first, err := db.Column[time.Time](ctx, q, `SELECT starts_at FROM shifts WHERE opportunity_id = $1 AND status = 'scheduled' ORDER BY starts_at LIMIT 1`, oppID)
	if err != nil {
		return "", "", fmt.Errorf("opportunity %s: first shift: %w", oppID, err)
	}
	last, err := db.Column[time.Time](ctx, q, `SELECT ends_at FROM shifts WHERE opportunity_id = $1 AND status = 'scheduled' ORDER BY ends_at DESC LIMIT 1`, oppID)
	if err != nil {
		return "", "", fmt.Errorf("opportunity %s: last shift: %w", oppID, err)
	}
	if len(first) == 0 || len(last) == 0 {
		return "", "", nil
	}
	// A shift ending at midnight ends on the day before.
	return first[0].In(s.zone).Format(time.DateOnly), last[0].Add(-time.Second).In(s.zone).Format(time.DateOnly), nil
}

// reindexOpportunityDays updates the days an opportunity spans in the
// search index after its shifts changed, in the caller's transaction.
func (s *Service) reindexOpportunityDays(ctx context.Context, tx db.Querier, oppID string) error {
	from, to, err := s.opportunityDays(ctx, tx, oppID)
	if err != nil {
		return err
	}
	return search.New(s.db).SetDates(ctx, tx, KindOpportunity, oppID, from, to)
}

// ReindexOpportunities writes every opportunity to the search index again,
// for `sharaka search reindex`, through the index's bulk loader (batches of
// 500, read while the last is written); it returns how many it wrote.
func (s *Service) ReindexOpportunities(ctx context.Context) (int, error) {
	ids, err := db.Column[string](ctx, s.db.R, `SELECT id FROM opportunities ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("reindex opportunities: %w", err)
	}
	n, err := search.New(s.db).Load(ctx, func(yield func([]search.Doc, error) bool) {
		for start := 0; start < len(ids); start += 500 {
			var docs []search.Doc
			for _, id := range ids[start:min(len(ids), start+500)] {
				o, err := loadOpportunity(ctx, s.db.R, id)
				if err == nil {
					var d search.Doc
					d, err = s.opportunityDoc(ctx, s.db.R, o)
					docs = append(docs, d)
				}
				if err != nil {
					yield(nil, err)
					return
				}
			}
			if !yield(docs, nil) {
				return
			}
		}
	})
	if err != nil {
		return n, fmt.Errorf("reindex opportunities: %w", err)
	}
	return n, nil
}

// listSearchLimit bounds the opportunities a words filter of the listing
// narrows to: the best matches, listed then by date.
const listSearchLimit = 100

// searchOpportunityIDs returns the published opportunities whose words
// match q, best first, for the listing's words filter.
func (s *Service) searchOpportunityIDs(ctx context.Context, q string) ([]string, error) {
	// Literal: the listing has no place to say it searched other words.
	res, err := s.searchIndex().Search(ctx, search.Query{Text: q, Kinds: []string{KindOpportunity}, Limit: listSearchLimit, Literal: true})
	if err != nil {
		return nil, err
	}
	return res.RefIDs(), nil
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
