-- +goose Up
-- Distribution runs: a coordinator asks the engine (internal/assign) to place the organisation's volunteers
-- into an opportunity's shifts; a background job fills in the result, which the coordinator previews, adjusts
-- (pins and exclusions, carried to the next run) and applies. settings, pins, exclusions and result are JSON.
CREATE TABLE distribution_runs (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    created_by     TEXT NOT NULL REFERENCES users(id),
    status         TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'done', 'failed', 'applied', 'discarded')),
    progress       DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    settings       TEXT NOT NULL,
    pins           TEXT NOT NULL DEFAULT '[]',
    exclusions     TEXT NOT NULL DEFAULT '[]',
    result         TEXT,
    error          TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    applied_at     TIMESTAMPTZ,
    applied_by     TEXT REFERENCES users(id)
);
CREATE INDEX distribution_runs_opportunity ON distribution_runs(opportunity_id, id);

-- Teams of a shift, as a distribution formed them; 0 for sign-ups made any other way.
ALTER TABLE signups ADD COLUMN team INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signups ADD COLUMN team_leader BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE signups DROP COLUMN team_leader;
ALTER TABLE signups DROP COLUMN team;
DROP TABLE distribution_runs;
