-- Forgotten password (SPEC §1.4), path B: a 6-digit code by mail.
--
-- A recovery starts when someone types an iTSCOM ID; a flow row is written whether or
-- not the ID exists (account_id NULL then), so the screens and timing are the same.
-- The flow is bound to the browser by a random cookie (hashed here). The code is
-- stored as an HMAC-SHA-256 keyed by that cookie token: the row alone does not give
-- it away. 10 minutes, 5 attempts (counted atomically), single use.
CREATE TABLE recovery_flows (
    id_hash         TEXT PRIMARY KEY,
    account_id      TEXT REFERENCES accounts (id),
    step            TEXT NOT NULL CHECK (step IN ('code', 'password', 'done', 'failed')),
    code_hash       TEXT,
    code_expires_at BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX recovery_flows_account_idx ON recovery_flows (account_id);
