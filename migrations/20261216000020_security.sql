-- ログイン・セキュリティ設定 (issue 27): what ログイン中の端末 shows of a session, whether
-- a login from a new browser is mailed, and two-step verification (TOTP).

-- A session's face on the devices page: a random id for its buttons (never the
-- hash that finds it), the browser's User-Agent, the client address and how it
-- signed in (`password`, `two_step`, `passkey`).
ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client TEXT;
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';
CREATE UNIQUE INDEX sessions_public_idx ON sessions (public_id);

-- 1: a login from a browser the account has not used mails the contact address.
ALTER TABLE accounts ADD COLUMN new_browser_mail BIGINT NOT NULL DEFAULT 1;

-- The account's authenticator app: the secret sealed with the server's SEAL_KEY;
-- `enabled_at` NULL while it waits for its first code; `last_step` the newest time
-- step used (a code is never taken twice).
CREATE TABLE totp_factors (
    account_id      TEXT PRIMARY KEY REFERENCES accounts (id),
    secret          TEXT NOT NULL,
    enabled_at      BIGINT,
    last_step       BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    -- The new recovery codes, sealed with a key only the browser that made them holds,
    -- until their page has shown them once.
    codes_sealed    TEXT
);

-- Recovery codes: SHA-256 of account and code, each used once.
CREATE TABLE recovery_codes (
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    code_hash       TEXT NOT NULL,
    used_at         BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- A login whose password was right and that waits for its second step (its cookie's
-- SHA-256; five minutes).
CREATE TABLE login_challenges (
    id_hash         TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX login_challenges_account_idx ON login_challenges (account_id);
