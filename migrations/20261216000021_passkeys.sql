-- パスキー (issue 27 §1): an account's WebAuthn credentials, and the ceremonies under
-- way (a start and its finish may reach different processes).

-- `passkey` is webauthn-rs's Passkey as JSON (public key, sign counter, backup state),
-- saved again after each use; `credential_id` (base64url) is unique across accounts.
CREATE TABLE passkeys (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    credential_id   TEXT NOT NULL UNIQUE,
    passkey         TEXT NOT NULL,
    name            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT
);
CREATE INDEX passkeys_account_idx ON passkeys (account_id);

-- A registration (of an account) or a login (of nobody yet) between its start and its
-- finish: the state webauthn-rs keeps (the challenge), by the SHA-256 of its cookie;
-- used once, five minutes.
CREATE TABLE webauthn_ceremonies (
    id_hash         TEXT PRIMARY KEY,
    account_id      TEXT,
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    expires_at      BIGINT NOT NULL
);

-- Step-up: when the session last proved its owner with a passkey (a sensitive change
-- asks for the password again 5 minutes after the later of this and the login).
ALTER TABLE sessions ADD COLUMN verified_at BIGINT;
