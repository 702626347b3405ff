-- When each browser an account knows last logged in: its device cookie lives 400 days
-- from its last login, and the maintenance tick forgets a browser unseen for longer
-- (its cookie is gone; the row was kept for good before). Rows from before this count
-- from when they were first seen.
ALTER TABLE known_devices ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE known_devices SET last_seen_at = first_seen_at;
CREATE INDEX IF NOT EXISTS known_devices_last_seen_idx ON known_devices (last_seen_at);
