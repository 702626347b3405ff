-- Issue 24: the second trust review.

-- A lock (100 failures in a row) is kept until it is opened: rows written before
-- reserve() marked locks as never to be purged.
UPDATE throttle SET purge_after = 1000000000000 WHERE failures >= 100;

-- Every change of a customer's contact address: the address before it is mailed a
-- single-use `変更を取り消す` link (stored hashed) that restores it and ends every
-- session, and for 7 days (expires_at) recovery codes, re-registration links and
-- security notices also go to it. 'open' until used ('reverted').
CREATE TABLE contact_reverts (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    previous_email  TEXT NOT NULL,
    new_email       TEXT NOT NULL,
    revert_hash     TEXT UNIQUE,
    step            TEXT NOT NULL CHECK (step IN ('open', 'reverted')),
    created_at      BIGINT NOT NULL,
    -- The same instant in ms: a revert ends the changes made after it (two in one
    -- second keep their order).
    created_ms      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX contact_reverts_customer_idx ON contact_reverts (customer_no, expires_at);

-- When the account's owner answered `心当たりがない` to a re-registration, no new one
-- may start for the customer until then (the screen names the support centre).
ALTER TABLE customers ADD COLUMN reregistration_blocked_until BIGINT;

-- A first registration (no account before) mails the contact address on record, if
-- any, with a single-use `この登録に心当たりがない` link (stored hashed) that stops the
-- new account (disabled: the support centre opens it again), ends its sessions and
-- puts that address back as the contact address (`on_record`).
CREATE TABLE account_stops (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    on_record       TEXT NOT NULL,
    stop_hash       TEXT UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);

-- The speed test's bytes as the server counted them, per test (every stream of every
-- process adds its own when it ends) and when the first and last of each direction
-- ran (ms): a reported speed the server's own count contradicts is unverified
-- (verified = 0) and cannot be attached to an inquiry. NULL: not checked (results
-- from before this count).
ALTER TABLE speed_tests ADD COLUMN bytes_down BIGINT NOT NULL DEFAULT 0;
ALTER TABLE speed_tests ADD COLUMN bytes_up BIGINT NOT NULL DEFAULT 0;
ALTER TABLE speed_tests ADD COLUMN down_first_ms BIGINT;
ALTER TABLE speed_tests ADD COLUMN down_last_ms BIGINT;
ALTER TABLE speed_tests ADD COLUMN up_first_ms BIGINT;
ALTER TABLE speed_tests ADD COLUMN up_last_ms BIGINT;
ALTER TABLE speed_tests ADD COLUMN verified BIGINT;
