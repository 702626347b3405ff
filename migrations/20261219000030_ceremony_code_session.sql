-- A passkey registration started with a code keeps the session that proved it: a retry
-- from that session while the ceremony is open (the browser's prompt cancelled) goes
-- on without asking for the code again (taken once, it would be refused); a ceremony
-- started without a code never does.
ALTER TABLE webauthn_ceremonies ADD COLUMN code_session TEXT;
