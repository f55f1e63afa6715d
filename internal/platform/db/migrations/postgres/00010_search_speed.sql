-- +goose Up
-- The tsvector holds the index words themselves, without positions or
-- weights (ranking reads the words from title_tokens and body_tokens), and is
-- written by the application rather than generated: PostgreSQL's parser never
-- sees the text, so both databases index exactly the same words. ends_on
-- closes a record's date range for the date filter.
DROP INDEX search_docs_tsv;
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv tsvector NOT NULL DEFAULT '';
UPDATE search_docs SET tsv = array_to_tsvector(array_remove(string_to_array(title_tokens || ' ' || body_tokens, ' '), ''));
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
ALTER TABLE search_docs ADD COLUMN ends_on TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE search_docs DROP COLUMN ends_on;
DROP INDEX search_docs_tsv;
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', body_tokens), 'B')
) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
