-- Issue 10: guessing budgets that end, guarded re-registration, cancellable ID
-- changes, and a security event log.

-- Throttle counters may be consecutive (never reset by time, only by a success);
-- noticed_at is when the subject's owner was last told of its failures (at most once
-- a day).
ALTER TABLE throttle ADD COLUMN noticed_at BIGINT;
-- When the maintenance task may delete the row: a window's end for rates; 90 days
-- after the last attempt for failures in a row (a budget, not a rate).
ALTER TABLE throttle ADD COLUMN purge_after BIGINT;

-- Re-registration of a customer who already has an account (SPEC §1.3) is held:
-- account_id is that account; the account's contact address gets two single-use
-- links (stored hashed): `これは自分です` (owner_confirm_hash) and `心当たりがない`
-- (owner_cancel_hash). Without the confirmation the replacement takes effect no
-- sooner than hold_until. New steps: 'waiting' (the new address opened its link and
-- chose `contact`; the hold is not over) and 'cancelled'. A CHECK cannot be altered
-- portably, so the table is rebuilt and its rows copied.
CREATE TABLE registration_flows_v2 (
    id_hash             TEXT PRIMARY KEY,
    step                TEXT NOT NULL
                        CHECK (step IN ('additional', 'credentials', 'mail_sent', 'waiting', 'done', 'cancelled')),
    customer_no         TEXT REFERENCES customers (customer_no),
    candidates          TEXT,
    factor_used         TEXT NOT NULL,
    itscom_id           TEXT,
    password_hash       TEXT,
    confirm_token_hash  TEXT UNIQUE,
    confirm_expires_at  BIGINT,
    account_id          TEXT REFERENCES accounts (id),
    hold_until          BIGINT,
    owner_confirm_hash  TEXT UNIQUE,
    owner_cancel_hash   TEXT UNIQUE,
    owner_confirmed_at  BIGINT,
    requested_from      TEXT,
    contact             TEXT,
    created_at          BIGINT NOT NULL,
    expires_at          BIGINT NOT NULL,
    completed_at        BIGINT
);
INSERT INTO registration_flows_v2
    (id_hash, step, customer_no, candidates, factor_used, itscom_id, password_hash, confirm_token_hash,
     confirm_expires_at, created_at, expires_at, completed_at)
    SELECT id_hash, step, customer_no, candidates, factor_used, itscom_id, password_hash, confirm_token_hash,
           confirm_expires_at, created_at, expires_at, completed_at
    FROM registration_flows;
DROP TABLE registration_flows;
ALTER TABLE registration_flows_v2 RENAME TO registration_flows;
CREATE INDEX registration_flows_expires_idx ON registration_flows (expires_at);
CREATE INDEX registration_flows_customer_idx ON registration_flows (customer_no, step);
CREATE INDEX registration_flows_waiting_idx ON registration_flows (step, hold_until);

-- A recovery remembers the SHA-256 of the typed ID's key: the per-ID daily budget of
-- codes is counted by it, for an unknown ID as for an account (no difference shows).
ALTER TABLE recovery_flows ADD COLUMN id_key_hash TEXT;

-- An ID change tells the old contact address at submit time, with a link that
-- cancels it (stored hashed).
ALTER TABLE id_changes ADD COLUMN cancel_hash TEXT;
CREATE UNIQUE INDEX id_changes_cancel_idx ON id_changes (cancel_hash);

-- Security events of an account (failed login, throttled, recovery, reset,
-- re-registration requested / confirmed / cancelled / done, ID change…), for the
-- customer's activity log and for operators. Never a secret: `detail` is JSON with
-- the client's address and non-secret facts; the typed ID is not stored.
CREATE TABLE account_events (
    id              TEXT PRIMARY KEY,
    account_id      TEXT REFERENCES accounts (id),
    customer_no     TEXT REFERENCES customers (customer_no),
    kind            TEXT NOT NULL,
    client          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL
);
CREATE INDEX account_events_account_idx ON account_events (account_id, created_at);
CREATE INDEX account_events_customer_idx ON account_events (customer_no, created_at);
