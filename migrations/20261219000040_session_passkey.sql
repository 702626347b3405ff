-- The passkey a session was opened with (passkeys.id; NULL: another way in, or a
-- login by the release before): removing a passkey ends the sessions it opened on
-- other devices (a lost phone's), as removing it is what the owner does about them.
ALTER TABLE sessions ADD COLUMN passkey_id TEXT;
