-- +goose Up
-- The search index: one row per searchable record of any area, written in
-- the same transaction as the record. title_tokens and body_tokens hold the
-- normalised, lightly stemmed words (internal/arabic); the tsvector reads
-- them with the 'simple' configuration, so PostgreSQL adds no stemming of its
-- own; title and body keep the original text for snippets.
CREATE TABLE search_docs (
    seq          BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    org_id       TEXT,
    public       BOOLEAN NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    place_id     TEXT,
    category     TEXT NOT NULL DEFAULT '',
    starts_on    TEXT NOT NULL DEFAULT '',
    title_tokens TEXT NOT NULL,
    body_tokens  TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    tsv          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', body_tokens), 'B')
    ) STORED,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_org ON search_docs(org_id);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

-- +goose Down
DROP TABLE search_docs;
