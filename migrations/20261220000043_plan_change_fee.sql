-- The fee the plan before a change was billed at (the one quoted when it was requested):
-- a month before the change is billed at it, not at the catalogue's fee of the day
-- (NULL, for changes recorded before: the catalogue's, as before).
ALTER TABLE service_changes ADD COLUMN from_fee BIGINT;
