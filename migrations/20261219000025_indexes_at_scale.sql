-- Indexes for what every process reads each minute or on every page, at 100,000
-- customers and a year of events: without them each of these reads its whole table.
-- On a PostgreSQL database that is already large, build them first by hand with
-- CREATE INDEX CONCURRENTLY (same names): this migration then finds them there.

-- Maintenance: the noise events purged after 30 days, idle throttle rows, expired
-- sessions and the flows a stranger can start without logging in.
CREATE INDEX IF NOT EXISTS account_events_kind_idx ON account_events (kind, created_at);
CREATE INDEX IF NOT EXISTS throttle_purge_idx ON throttle (purge_after);
CREATE INDEX IF NOT EXISTS sessions_expires_idx ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS sessions_last_seen_idx ON sessions (last_seen_at);
CREATE INDEX IF NOT EXISTS recovery_flows_expires_idx ON recovery_flows (expires_at);
CREATE INDEX IF NOT EXISTS webauthn_ceremonies_expires_idx ON webauthn_ceremonies (expires_at);
CREATE INDEX IF NOT EXISTS login_challenges_expires_idx ON login_challenges (expires_at);

-- The mails sent are purged after a month along their own index, and the stand-in rows
-- after a day (the mail worker's claim gets its index in migration 26).
CREATE INDEX IF NOT EXISTS outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS outbox_decoy_idx ON outbox (created_at) WHERE topic = 'decoy';

-- Pages: an account's events of some kinds (ご契約内容の変更履歴 reads two kinds of
-- them; logins are most of the rest), a contract's mailboxes, the hour's inquiries of an account, an account's
-- speed tests, and the operator's list of inquiries waiting for an answer.
CREATE INDEX IF NOT EXISTS account_events_account_kind_idx ON account_events (account_id, kind, created_at);
CREATE INDEX IF NOT EXISTS mailboxes_service_idx ON mailboxes (service_id, created_at);
CREATE INDEX IF NOT EXISTS inquiries_account_idx ON inquiries (account_id, created_at);
CREATE INDEX IF NOT EXISTS speed_tests_account_idx ON speed_tests (account_id, step);
CREATE INDEX IF NOT EXISTS inquiries_step_idx ON inquiries (step, created_ms);
