-- Changing the iTSCOM ID (SPEC §1.5). A change is drafted by a logged-in session
-- (session_hash binds the draft steps to it), then mailed to the new address; it
-- takes effect when that address opens the single-use link (stored hashed). When the
-- new ID is held by another account the mail carries no link (link_hash NULL).
CREATE TABLE id_changes (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    session_hash    TEXT NOT NULL,
    new_itscom_id   TEXT NOT NULL,
    new_id_key      TEXT NOT NULL,
    sets_contact    BIGINT,
    step            TEXT NOT NULL CHECK (step IN ('confirm', 'mailed', 'done', 'cancelled')),
    link_hash       TEXT UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    completed_at    BIGINT
);
CREATE INDEX id_changes_account_idx ON id_changes (account_id);
