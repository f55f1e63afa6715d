-- +goose Up
-- Volunteering: profiles, skills, opportunities, shifts, sign-ups, attendance, hours, certificates.
-- Dates without a time of day (birth dates, worked-on days, availability exceptions) are TEXT 'YYYY-MM-DD' on both
-- databases so they compare the same way everywhere; instants are timestamps in UTC.

CREATE TABLE skills (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE TABLE volunteer_profiles (
    user_id              TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    gender               TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male')),
    birth_date           TEXT NOT NULL DEFAULT '',
    home_place_id        TEXT REFERENCES places(id),
    lat                  REAL,
    lon                  REAL,
    travel_radius_km     INTEGER NOT NULL DEFAULT 10,
    max_hours_week       INTEGER NOT NULL DEFAULT 0,
    max_shifts_week      INTEGER NOT NULL DEFAULT 0,
    languages            TEXT NOT NULL DEFAULT 'ar',
    interests            TEXT NOT NULL DEFAULT '',
    emergency_name       TEXT NOT NULL DEFAULT '',
    emergency_phone      TEXT NOT NULL DEFAULT '',
    reminders_opt_out    BOOLEAN NOT NULL DEFAULT FALSE,
    calendar_key         TEXT NOT NULL UNIQUE,
    charter_version      TEXT NOT NULL,
    charter_accepted_at  DATETIME NOT NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);

CREATE TABLE volunteer_skills (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill_id    TEXT NOT NULL REFERENCES skills(id),
    verified_by TEXT REFERENCES organisations(id),
    verified_at DATETIME,
    PRIMARY KEY (user_id, skill_id)
);

-- Weekly availability: minutes from midnight, local time of the platform's zone.
CREATE TABLE availability (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute)
);
CREATE INDEX availability_user ON availability(user_id);

-- Days a volunteer is away, overriding the weekly pattern.
CREATE TABLE availability_exceptions (
    id        TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX availability_exceptions_user ON availability_exceptions(user_id);

-- Per organisation: how it runs volunteering.
CREATE TABLE org_volunteer_settings (
    org_id                TEXT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    hours_approval        TEXT NOT NULL DEFAULT 'review' CHECK (hours_approval IN ('auto', 'review')),
    no_show_limit         INTEGER NOT NULL DEFAULT 3,
    no_show_window_days   INTEGER NOT NULL DEFAULT 90,
    checkin_grace_minutes INTEGER NOT NULL DEFAULT 30,
    updated_at            DATETIME NOT NULL
);

-- An organisation's vetting of a volunteer (needed for work with children or the elderly).
CREATE TABLE vettings (
    org_id    TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    vetted_by TEXT NOT NULL REFERENCES users(id),
    vetted_at DATETIME NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE opportunities (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title_ar       TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',
    description_ar TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL,
    place_id       TEXT REFERENCES places(id),
    lat            REAL,
    lon            REAL,
    gender_rule    TEXT NOT NULL DEFAULT 'any' CHECK (gender_rule IN ('any', 'women', 'men')),
    min_age        INTEGER NOT NULL DEFAULT 0,
    vetted_only    BOOLEAN NOT NULL DEFAULT FALSE,
    languages      TEXT NOT NULL DEFAULT '',
    approval       TEXT NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto', 'review')),
    status         TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
    created_by     TEXT NOT NULL REFERENCES users(id),
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX opportunities_org ON opportunities(org_id);
CREATE INDEX opportunities_status ON opportunities(status, id);

CREATE TABLE opportunity_skills (
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    skill_id       TEXT NOT NULL REFERENCES skills(id),
    PRIMARY KEY (opportunity_id, skill_id)
);

-- A weekly rule that generates shifts ahead of time; roles is the JSON list of role templates.
CREATE TABLE shift_series (
    id                  TEXT PRIMARY KEY,
    opportunity_id      TEXT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    weekdays            TEXT NOT NULL,
    start_minute        INTEGER NOT NULL,
    duration_minutes    INTEGER NOT NULL,
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL DEFAULT '',
    skip_dates          TEXT NOT NULL DEFAULT '',
    roles               TEXT NOT NULL,
    team_size           INTEGER NOT NULL DEFAULT 0,
    signup_opens_days   INTEGER NOT NULL DEFAULT 30,
    signup_closes_hours INTEGER NOT NULL DEFAULT 0,
    cancel_cutoff_hours INTEGER NOT NULL DEFAULT 0,
    generated_until     TEXT NOT NULL DEFAULT '',
    created_at          DATETIME NOT NULL
);

CREATE TABLE shifts (
    id                  TEXT PRIMARY KEY,
    opportunity_id      TEXT NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    series_id           TEXT REFERENCES shift_series(id) ON DELETE SET NULL,
    starts_at           DATETIME NOT NULL,
    ends_at             DATETIME NOT NULL,
    team_size           INTEGER NOT NULL DEFAULT 0,
    signup_opens_days   INTEGER NOT NULL DEFAULT 30,
    signup_closes_hours INTEGER NOT NULL DEFAULT 0,
    cancel_cutoff_hours INTEGER NOT NULL DEFAULT 0,
    checkin_code        TEXT NOT NULL UNIQUE,
    status              TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_at          DATETIME NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX shifts_opportunity ON shifts(opportunity_id, starts_at);
CREATE INDEX shifts_starts ON shifts(starts_at);
-- Generating a series twice never makes a second shift at the same time.
CREATE UNIQUE INDEX shifts_series_start ON shifts(series_id, starts_at) WHERE series_id IS NOT NULL;

CREATE TABLE shift_roles (
    id       TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    name_ar  TEXT NOT NULL,
    name_en  TEXT NOT NULL DEFAULT '',
    skill_id TEXT REFERENCES skills(id),
    slots    INTEGER NOT NULL CHECK (slots > 0)
);
CREATE INDEX shift_roles_shift ON shift_roles(shift_id);

CREATE TABLE signups (
    id              TEXT PRIMARY KEY,
    shift_id        TEXT NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    role_id         TEXT NOT NULL REFERENCES shift_roles(id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'pending', 'withdrawn', 'declined')),
    party_size      INTEGER NOT NULL DEFAULT 1 CHECK (party_size >= 1),
    no_show         BOOLEAN NOT NULL DEFAULT FALSE,
    no_show_comment TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    decided_by      TEXT REFERENCES users(id)
);
-- One live sign-up per person per shift; withdrawn and declined ones stay as history.
CREATE UNIQUE INDEX signups_live ON signups(shift_id, user_id) WHERE status IN ('confirmed', 'waitlisted', 'pending');
CREATE INDEX signups_shift ON signups(shift_id, status, created_at);
CREATE INDEX signups_user ON signups(user_id, status);

-- Named people who come with the one who signed up (family or team members).
CREATE TABLE signup_members (
    signup_id TEXT NOT NULL REFERENCES signups(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    user_id   TEXT REFERENCES users(id),
    PRIMARY KEY (signup_id, position)
);

CREATE TABLE attendance (
    signup_id         TEXT PRIMARY KEY REFERENCES signups(id) ON DELETE CASCADE,
    checked_in_at     DATETIME NOT NULL,
    checked_out_at    DATETIME,
    method            TEXT NOT NULL CHECK (method IN ('qr', 'code', 'manual')),
    auto_closed       BOOLEAN NOT NULL DEFAULT FALSE,
    corrected_by      TEXT REFERENCES users(id),
    correction_reason TEXT NOT NULL DEFAULT '',
    corrected_at      DATETIME
);

CREATE TABLE hours (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id         TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    signup_id      TEXT UNIQUE REFERENCES signups(id) ON DELETE SET NULL,
    category       TEXT NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0),
    worked_on      TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL CHECK (source IN ('attendance', 'self')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decided_by     TEXT REFERENCES users(id),
    decided_at     DATETIME,
    decline_reason TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL
);
CREATE INDEX hours_user ON hours(user_id, status);
CREATE INDEX hours_org ON hours(org_id, status, id);

CREATE TABLE certificates (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id        TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    minutes       INTEGER NOT NULL,
    from_date     TEXT NOT NULL,
    to_date       TEXT NOT NULL,
    issued_by     TEXT NOT NULL REFERENCES users(id),
    issued_at     DATETIME NOT NULL,
    revoked_at    DATETIME,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_user ON certificates(user_id);

-- Reminder emails scheduled per sign-up; a withdrawal cancels them.
CREATE TABLE reminders (
    signup_id    TEXT NOT NULL REFERENCES signups(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('24h', '2h')),
    due_at       DATETIME NOT NULL,
    sent_at      DATETIME,
    cancelled_at DATETIME,
    PRIMARY KEY (signup_id, kind)
);

-- The shared skills taxonomy; the id is the stable code.
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('first_aid', 'first_aid', 'إسعافات أولية', 'First aid', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('nursing', 'nursing', 'تمريض', 'Nursing', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('driving', 'driving', 'قيادة السيارة', 'Driving', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('cooking', 'cooking', 'طبخ', 'Cooking', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('teaching', 'teaching', 'تدريس', 'Teaching', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('childcare', 'childcare', 'رعاية الأطفال', 'Childcare', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('elderly_care', 'elderly_care', 'رعاية كبار السن', 'Elderly care', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('sign_language', 'sign_language', 'لغة الإشارة', 'Sign language', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('leader', 'leader', 'قيادة فريق', 'Team leading', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('logistics', 'logistics', 'تنظيم وتوزيع', 'Logistics', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('computer', 'computer', 'مهارات الحاسب', 'Computer skills', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('photography', 'photography', 'تصوير', 'Photography', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('translation', 'translation', 'ترجمة', 'Translation', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('carpentry', 'carpentry', 'نجارة', 'Carpentry', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('electrical', 'electrical', 'أعمال كهربائية', 'Electrical work', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('counselling', 'counselling', 'إرشاد نفسي واجتماعي', 'Counselling', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('gardening', 'gardening', 'زراعة وتشجير', 'Gardening', CURRENT_TIMESTAMP);
INSERT INTO skills (id, code, name_ar, name_en, created_at) VALUES ('events', 'events', 'تنظيم فعاليات', 'Event organising', CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE reminders;
DROP TABLE certificates;
DROP TABLE hours;
DROP TABLE attendance;
DROP TABLE signup_members;
DROP TABLE signups;
DROP TABLE shift_roles;
DROP TABLE shifts;
DROP TABLE shift_series;
DROP TABLE opportunity_skills;
DROP TABLE opportunities;
DROP TABLE vettings;
DROP TABLE org_volunteer_settings;
DROP TABLE availability_exceptions;
DROP TABLE availability;
DROP TABLE volunteer_skills;
DROP TABLE volunteer_profiles;
DROP TABLE skills;
