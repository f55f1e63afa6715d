//go:build bleve

package eval

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar" // registers the "ar" analyser
)

// NewBleve returns Bleve's engine; it is built only with -tags bleve, so the
// shipped binary does not carry Bleve (11 MB) for a comparison.
func NewBleve() Engine { return &Bleve{} }

// Bleve is Bleve's in-memory index with its "ar" analyser on title and
// body, queried with a match query (any word may match; the more, the
// better), as Bleve's documentation shows.
type Bleve struct{ idx bleve.Index }

func (e *Bleve) Name() string { return "bleve-ar" }

func (e *Bleve) Index(ctx context.Context, docs []Doc) error {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = "ar"
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return err
	}
	e.idx = idx
	b := idx.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.ID, map[string]string{"title": d.Title + " " + d.TitleEn, "body": d.Body}); err != nil {
			return err
		}
	}
	return idx.Batch(b)
}

func (e *Bleve) Search(ctx context.Context, q string, k int) ([]string, error) {
	res, err := e.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q), k, 0, false))
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}
