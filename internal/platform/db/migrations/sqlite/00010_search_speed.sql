-- +goose Up
-- The full-text table keeps only which documents hold a word (detail=none):
-- ranking reads the words from search_docs, so positions and columns would
-- only make the index larger and slower to write, and nothing reads the
-- documents' lengths (columnsize=0). A row is deleted with FTS5's 'delete'
-- command and the words search_docs keeps (contentless_delete=1 would need
-- the lengths). The words arrive already
-- cut and folded by internal/arabic, so the ascii tokenizer (every non-ASCII
-- byte is part of a word) splits them at the spaces, as unicode61 did, in a
-- fraction of the time. ends_on closes a record's
-- date range for the date filter.
DROP TABLE search_vocab;
DROP TABLE search_fts;
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_fts USING fts5(
    terms,
    content='', detail=none, columnsize=0,
    tokenize="ascii tokenchars '#+.,_'"
);
-- +goose StatementEnd
INSERT INTO search_fts (rowid, terms) SELECT seq, title_tokens || ' ' || body_tokens FROM search_docs;
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'row');
-- +goose StatementEnd
ALTER TABLE search_docs ADD COLUMN ends_on TEXT NOT NULL DEFAULT '';
-- Nothing looks documents up by organisation; the index only slowed writes.
DROP INDEX search_docs_org;

-- +goose Down
CREATE INDEX search_docs_org ON search_docs(org_id);
ALTER TABLE search_docs DROP COLUMN ends_on;
DROP TABLE search_vocab;
DROP TABLE search_fts;
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_tokens, body_tokens,
    content='', contentless_delete=1,
    tokenize="unicode61 remove_diacritics 0 tokenchars '#+.,_'"
);
-- +goose StatementEnd
INSERT INTO search_fts (rowid, title_tokens, body_tokens) SELECT seq, title_tokens, body_tokens FROM search_docs;
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'row');
-- +goose StatementEnd
