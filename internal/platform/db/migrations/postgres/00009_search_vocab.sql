-- +goose Up
-- PostgreSQL reads the indexed words with ts_stat over search_docs.tsv; this
-- migration keeps the two dialects' numbers in step.
SELECT 1;

-- +goose Down
SELECT 1;
