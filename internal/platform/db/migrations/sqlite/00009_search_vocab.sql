-- +goose Up
-- The words the full-text index holds, with how many documents hold each:
-- typo tolerance looks for the nearest of them.
-- +goose StatementBegin
CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'row');
-- +goose StatementEnd

-- +goose Down
DROP TABLE search_vocab;
