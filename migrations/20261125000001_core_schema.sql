-- Core schema of My Page. Portable across SQLite and PostgreSQL (through sqlx's Any
-- driver): text ids, BIGINT integers (i64 on both), unix-second timestamps, calendar
-- dates as ISO 'YYYY-MM-DD' text, flags as BIGINT 0/1 (SQLite booleans cannot be
-- read back through Any). Append-only: never edit an applied migration.

-- A contract holder. One customer number per customer record; the same person may
-- hold two records (demo 100000004 / 100000005).
CREATE TABLE customers (
    customer_no     TEXT PRIMARY KEY,              -- 9 digits
    name            TEXT NOT NULL,                 -- 山田 太郎
    name_kana       TEXT NOT NULL,                 -- ヤマダ タロウ (display)
    kana_key        TEXT NOT NULL,                 -- ヤマダタロウ (normalised, no spaces)
    postal_code     TEXT NOT NULL,
    address         TEXT NOT NULL,
    contact_email   TEXT,                          -- 連絡先メールアドレス
    -- Registration must single the customer out with a second factor (追加認証情報).
    requires_additional_verification BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);
-- Contract holder verification looks customers up by kana + phone.
CREATE INDEX customers_kana_key_idx ON customers (kana_key);

-- Phones registered on the contract, digits only (hyphens removed).
CREATE TABLE customer_phones (
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    phone           TEXT NOT NULL,
    PRIMARY KEY (customer_no, phone)
);
CREATE INDEX customer_phones_phone_idx ON customer_phones (phone, customer_no);

-- Services under contract: internet, TV, phone. ended_on NULL while active.
CREATE TABLE services (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    kind            TEXT NOT NULL CHECK (kind IN ('internet', 'tv', 'phone')),
    plan_code       TEXT NOT NULL,
    plan_name       TEXT NOT NULL,
    monthly_fee     BIGINT NOT NULL,               -- yen, tax included
    installation_address TEXT NOT NULL,
    started_on      TEXT NOT NULL,
    ended_on        TEXT
);
CREATE INDEX services_customer_idx ON services (customer_no);

-- Subscription and change history (サービス加入・変更履歴).
CREATE TABLE service_changes (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    service_id      TEXT NOT NULL REFERENCES services (id),
    changed_on      TEXT NOT NULL,
    change_kind     TEXT NOT NULL CHECK (change_kind IN ('start', 'plan_change', 'end')),
    from_plan       TEXT,
    to_plan         TEXT
);
CREATE INDEX service_changes_customer_idx ON service_changes (customer_no, changed_on);

-- Equipment: set-top boxes and Hit pots. The ID is stored upper-case, half-width.
CREATE TABLE equipment (
    equipment_id    TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    service_id      TEXT REFERENCES services (id),
    kind            TEXT NOT NULL CHECK (kind IN ('stb', 'hitpot', 'modem')),
    model           TEXT NOT NULL
);
CREATE INDEX equipment_customer_idx ON equipment (customer_no);

-- How the customer pays. Never a full card number or security code: a payment
-- gateway token with brand, last 4 and expiry.
CREATE TABLE payment_methods (
    customer_no     TEXT PRIMARY KEY REFERENCES customers (customer_no),
    kind            TEXT NOT NULL CHECK (kind IN ('bank', 'card')),
    bank_name       TEXT,
    account_last4   TEXT,
    card_brand      TEXT,
    card_last4      TEXT,
    card_exp_month  BIGINT,
    card_exp_year   BIGINT,
    card_token      TEXT,
    updated_at      BIGINT NOT NULL,
    CHECK ((kind = 'bank' AND account_last4 IS NOT NULL)
        OR (kind = 'card' AND card_last4 IS NOT NULL AND card_token IS NOT NULL))
);

-- Monthly invoices and their lines. Amounts are tax-included yen; `tax` is the
-- consumption tax contained in `total` (内消費税).
CREATE TABLE invoices (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    billing_month   TEXT NOT NULL,                 -- 'YYYY-MM'
    issued_on       TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    total           BIGINT NOT NULL,
    tax             BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('unpaid', 'paid')),
    paid_on         TEXT,
    UNIQUE (customer_no, billing_month)
);

CREATE TABLE invoice_lines (
    invoice_id      TEXT NOT NULL REFERENCES invoices (id),
    line_no         BIGINT NOT NULL,
    description     TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

-- A customer's login account (one per customer number). The iTSCOM ID is unique
-- case-insensitively: itscom_id_key holds its lower-case form.
CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL UNIQUE REFERENCES customers (customer_no),
    itscom_id       TEXT NOT NULL,
    itscom_id_key   TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,                 -- argon2id PHC string
    recovery_method TEXT NOT NULL CHECK (recovery_method IN ('code', 'legacy_question')),
    state           TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    locale          TEXT NOT NULL DEFAULT 'ja',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Provider mailboxes (local@sub.domain). `address` is unique: the database decides
-- races between two customers wanting the same address.
CREATE TABLE mailboxes (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    service_id      TEXT NOT NULL REFERENCES services (id),
    local_part      TEXT NOT NULL,                 -- lower case
    subdomain       TEXT NOT NULL,                 -- e.g. a01
    address         TEXT NOT NULL UNIQUE,          -- lower case, with the domain
    password_hash   TEXT NOT NULL,
    virus_check     BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL
);
CREATE INDEX mailboxes_customer_idx ON mailboxes (customer_no);
CREATE INDEX mailboxes_local_part_idx ON mailboxes (local_part);

-- Add-on subscriptions (e.g. the internet security service).
CREATE TABLE addon_subscriptions (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    addon_code      TEXT NOT NULL,
    monthly_fee     BIGINT NOT NULL,
    device_limit    BIGINT NOT NULL,
    started_at      BIGINT NOT NULL,
    ended_at        BIGINT
);
CREATE INDEX addon_subscriptions_customer_idx ON addon_subscriptions (customer_no);

-- The outbox: mails to send and events for other systems (mail provisioning…),
-- written in the same transaction as the change that causes them, delivered by a
-- worker after commit. A worker claims a row by setting locked_until.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('mail', 'event')),
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,                 -- JSON
    created_at      BIGINT NOT NULL,
    available_at    BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_pending_idx ON outbox (sent_at, available_at);
