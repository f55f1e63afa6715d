-- +goose Up
CREATE TABLE places (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES places(id),
    level      TEXT NOT NULL CHECK (level IN ('country','region','city','district','neighbourhood')),
    code       TEXT NOT NULL UNIQUE,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    lat        DOUBLE PRECISION,
    lon        DOUBLE PRECISION,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX places_parent ON places(parent_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    locale        TEXT NOT NULL DEFAULT 'ar',
    digits        TEXT NOT NULL DEFAULT 'latn',
    time_zone     TEXT NOT NULL DEFAULT 'Asia/Riyadh',
    home_place_id TEXT REFERENCES places(id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_service_areas (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    place_id TEXT NOT NULL REFERENCES places(id),
    PRIMARY KEY (user_id, place_id)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE organisations (
    id            TEXT PRIMARY KEY,
    name_ar       TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    type          TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','verified','rejected')),
    description   TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    home_place_id TEXT REFERENCES places(id),
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    verified_at   TIMESTAMPTZ,
    verified_by   TEXT REFERENCES users(id)
);
CREATE INDEX organisations_status ON organisations(status, created_at);

CREATE TABLE org_service_areas (
    org_id   TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    place_id TEXT NOT NULL REFERENCES places(id),
    PRIMARY KEY (org_id, place_id)
);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner','admin','coordinator','case_worker','member')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner','admin','coordinator','case_worker','member')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    accepted_by TEXT REFERENCES users(id)
);
CREATE INDEX invitations_org ON invitations(org_id);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    org_id      TEXT,
    ip          TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_org ON audit_log(org_id, at);

CREATE TABLE mail_outbox (
    id         TEXT PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE audit_log;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE org_service_areas;
DROP TABLE organisations;
DROP TABLE api_tokens;
DROP TABLE login_failures;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE user_service_areas;
DROP TABLE users;
DROP TABLE places;
