-- Issue 13: お客さま情報の変更. A new contact address that is not one of the
-- customer's own mailboxes takes effect only when it confirms by a mailed single-use
-- link (24 hours): 'mailed' → 'done' by the link, or 'cancelled' when a newer request
-- replaces it. The contact address before the change is told at the request.
CREATE TABLE contact_changes (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    new_email       TEXT NOT NULL,
    link_hash       TEXT UNIQUE,
    step            TEXT NOT NULL CHECK (step IN ('mailed', 'done', 'cancelled')),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX contact_changes_account_idx ON contact_changes (account_id, step);
