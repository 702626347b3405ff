-- A recovery keeps the throttle row of the typed ID's login budget (a hash, not the
-- ID): a wrong code counts against it whether or not the ID has an account, so five
-- wrong codes followed by a login no longer tell a stranger which IDs exist. A flow
-- started before this column counts as before (known accounts only).
ALTER TABLE recovery_flows ADD COLUMN login_row TEXT;
