-- +goose Up
-- FTS5 writes the words of a transaction as one segment, but only up to its
-- hash size (1 MB, about 2,000 documents); bulk loads write 10,000 per
-- transaction (search.Index.Load), and larger segments need less merging:
-- indexing a million documents went from about 15,700 to 19,000–21,000 a
-- second with this alone.
--
-- From this version on, the full-text rows are given each word of a
-- document once, and deleted the same way. Rows written before, with
-- repeats, are deleted correctly that way too (FTS5's count of all words
-- only ends higher than it should, and nothing reads it).
INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 16777216);

-- +goose Down
-- Older versions delete a row with its repeats: rewrite the full-text rows
-- with them, or FTS5's count of all words could fall below zero, which it
-- reports as a malformed database.
INSERT INTO search_fts (search_fts) VALUES ('delete-all');
INSERT INTO search_fts (rowid, terms) SELECT seq, title_tokens || ' ' || body_tokens FROM search_docs ORDER BY seq;
INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 1048576);
