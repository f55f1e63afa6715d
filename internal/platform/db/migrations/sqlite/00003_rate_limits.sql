-- +goose Up
-- Fixed-window counters for public writes (sign-ups, reset requests, invitations…).
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start DATETIME NOT NULL,
    count        INTEGER NOT NULL
);

-- +goose Down
DROP TABLE rate_limits;
