-- A two-step setup under way belongs to the session that started it: its key is shown,
-- and its first code taken, in that session only. Before, any session of the account
-- could read the key and confirm it (a stolen session kept a copy of the new factor).
-- A setup started before this column waits for no session: it is started again.
ALTER TABLE totp_factors ADD COLUMN pending_session TEXT;
