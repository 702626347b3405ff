-- A mailbox password issued again (メールパスワードの再発行): the new password waits
-- for its screen, sealed, in a row of mailbox_drafts at 'done' as a registration's
-- does, marked 1 here so that the registration wizard never takes it for its draft.
-- 0: a registration's draft (every row written by the release before).
ALTER TABLE mailbox_drafts ADD COLUMN reissue BIGINT NOT NULL DEFAULT 0;
