-- +goose Up
-- The search index: one row per searchable record of any area, written in
-- the same transaction as the record. title_tokens and body_tokens hold the
-- normalised, lightly stemmed words (internal/arabic), which FTS5 indexes as
-- they are; title and body keep the original text for snippets.
CREATE TABLE search_docs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    updated_at   DATETIME NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_org ON search_docs(org_id);
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_tokens, body_tokens,
    content='', contentless_delete=1,
    tokenize="unicode61 remove_diacritics 0 tokenchars '#+.,_'"
);
-- +goose StatementEnd

-- +goose Down
DROP TABLE search_fts;
DROP TABLE search_docs;
