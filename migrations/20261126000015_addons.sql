-- Issue 14: add-ons. The catalogue (インターネットセキュリティサービス for internet
-- subscribers, オプションチャンネル for TV subscribers), and each customer's
-- subscriptions: in force from `started_on` to `ended_on` (NULL while not cancelled),
-- billed by the monthly run for those days. A cancel takes effect at the end of the
-- month, or at the end of the minimum term when that is later.
-- The core schema's placeholder `addon_subscriptions` (never written: no add-on existed)
-- is replaced by the table below, which bills by day and keeps the flow's step.
DROP INDEX addon_subscriptions_customer_idx;
DROP TABLE addon_subscriptions;

CREATE TABLE addons (
    code            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('security', 'channel')),
    name            TEXT NOT NULL,
    genre           TEXT NOT NULL DEFAULT '',
    monthly_fee     BIGINT NOT NULL,               -- yen, tax included
    min_months      BIGINT NOT NULL DEFAULT 0,     -- 最低利用期間 (0: none)
    requires        TEXT NOT NULL CHECK (requires IN ('internet', 'tv')),
    devices         BIGINT NOT NULL DEFAULT 0      -- devices a licence covers (security)
);

CREATE TABLE addon_subscriptions (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    account_id      TEXT REFERENCES accounts (id),
    addon_code      TEXT NOT NULL REFERENCES addons (code),
    step            TEXT NOT NULL CHECK (step IN ('active', 'cancelled')),
    started_on      TEXT NOT NULL,                 -- YYYY-MM-DD
    ended_on        TEXT,                          -- the last day in force
    licence_key     TEXT,                          -- security: shown to its owner only
    -- The confirmation page's one-time key: a double submit finds what it made.
    submit_key      TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    cancelled_at    BIGINT
);
-- One subscription in force per add-on and customer (a cancelled one keeps its row).
CREATE UNIQUE INDEX addon_subscriptions_active_idx ON addon_subscriptions (customer_no, addon_code)
    WHERE step = 'active';
CREATE INDEX addon_subscriptions_customer_idx ON addon_subscriptions (customer_no, started_on);
