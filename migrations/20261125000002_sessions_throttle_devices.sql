-- Login: server-side sessions, attempt throttling, known browsers.

-- A session lives in the database so several server processes share it. The cookie
-- carries a random token; only its SHA-256 is stored. expires_at is the absolute
-- limit; last_seen_at drives the idle timeout.
CREATE TABLE sessions (
    id_hash         TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- Attempt throttling, one row a subject (an account, a client address, a name+phone…),
-- keyed by a SHA-256 of scope and subject so typed IDs are not stored. Updated with
-- one atomic upsert an attempt, so it holds across processes and parallel requests.
CREATE TABLE throttle (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL,
    window_start    BIGINT NOT NULL,
    blocked_until   BIGINT NOT NULL
);

-- Browsers an account has logged in from (a random cookie, stored hashed): a login
-- from a browser not on this list mails a notice to the contact address.
CREATE TABLE known_devices (
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    device_hash     TEXT NOT NULL,
    first_seen_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, device_hash)
);
