-- The session that asked for a contact address change (its hash, as id_changes keeps
-- it): 他の端末をすべてログアウト ends the changes the other sessions started, and ending
-- one session ends its own, so that a change someone started on a session signed out
-- does not complete by its mailed link after it. NULL: written by the release before
-- (ended with every other session's).
ALTER TABLE contact_changes ADD COLUMN session_hash TEXT;
