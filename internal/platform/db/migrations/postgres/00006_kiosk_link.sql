-- +goose Up
-- A secret per shift for the check-in kiosk, so the screen at the door needs
-- no coordinator's session (which would open rosters and exports to passers-by).
ALTER TABLE shifts ADD COLUMN kiosk_key TEXT;
CREATE UNIQUE INDEX shifts_kiosk_key ON shifts(kiosk_key) WHERE kiosk_key IS NOT NULL;

-- +goose Down
DROP INDEX shifts_kiosk_key;
ALTER TABLE shifts DROP COLUMN kiosk_key;
