-- Mailbox registration (SPEC §3): the wizard's state, one row a draft, bound to the
-- session that started it. `offered` holds the sub-domain candidates on screen and
-- `shown` every candidate shown so far (comma-separated), so none repeats. When the
-- mailbox is created the draft keeps its id (a retried 登録 finds it: idempotent) and,
-- until the completion screen has shown it once, the initial password sealed with a
-- key that only the customer's browser holds (a cookie): never the password itself.
CREATE TABLE mailbox_drafts (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    session_hash    TEXT NOT NULL,
    service_id      TEXT NOT NULL REFERENCES services (id),
    step            TEXT NOT NULL CHECK (step IN ('subdomain', 'terms', 'confirm', 'done', 'cancelled')),
    local_part      TEXT NOT NULL,
    offered         TEXT NOT NULL DEFAULT '',
    shown           TEXT NOT NULL DEFAULT '',
    subdomain       TEXT,
    virus_check     BIGINT,
    mailbox_id      TEXT REFERENCES mailboxes (id),
    sealed_password TEXT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX mailbox_drafts_account_idx ON mailbox_drafts (account_id);
