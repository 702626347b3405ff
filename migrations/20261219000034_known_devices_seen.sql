-- When each browser an account knows last logged in: its device cookie lives 400 days
-- from its last login, and the maintenance tick forgets a browser unseen for longer
-- (its cookie is gone; the row was kept for good before). 0 is "not stamped yet": the
-- rows from before this migration, and those a process of the release before writes
-- during a rolling deploy; the tick stamps them with its own time (their 400 days
-- start then), and never deletes one unstamped. Nothing is rewritten here, so the
-- migration holds no long lock on the table.
ALTER TABLE known_devices ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS known_devices_last_seen_idx ON known_devices (last_seen_at);
