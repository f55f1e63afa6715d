-- +goose Up
-- An address is verified when its owner follows a link sent to it (or resets
-- the password through it); until then the address proves nothing, so
-- invitations sent to it cannot be accepted with it.
ALTER TABLE users ADD COLUMN email_verified_at DATETIME;

CREATE TABLE email_verifications (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME
);
CREATE INDEX email_verifications_user ON email_verifications(user_id);

-- +goose Down
DROP TABLE email_verifications;
ALTER TABLE users DROP COLUMN email_verified_at;
