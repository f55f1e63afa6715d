-- +goose Up
-- A volunteer's own phone number: imported from an organisation's volunteer list (CSV/XLSX) when the
-- import creates the profile, and given to the coordinators of the organisations they volunteer with in
-- roster exports. Text as people write it, digits made ASCII; '' when unknown.
ALTER TABLE volunteer_profiles ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE volunteer_profiles DROP COLUMN phone;
