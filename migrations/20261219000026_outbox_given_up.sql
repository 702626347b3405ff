-- A mail the SMTP server refused for good (no such recipient, say), or could not send
-- for three days, is given up: failed_at is set, last_error says why, and no worker
-- tries it again (before, it was tried every hour for ever). The row stays 30 days for
-- the operator, who can send it again by clearing failed_at.
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;

-- The mail worker's claim walks the mails still to send oldest first and stops at its
-- batch (a billing run queues one a customer: the index it had, on (sent_at,
-- available_at), made it sort every one of them on each claim).
DROP INDEX IF EXISTS outbox_pending_idx;
CREATE INDEX IF NOT EXISTS outbox_mail_due_idx ON outbox (created_at)
    WHERE kind = 'mail' AND sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_failed_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL;
