-- Issue 12: how each invoice is paid, and the change of payment method to a card
-- through the payment gateway's hosted page.

-- The payment method in force when the invoice was issued (the run copies it): what
-- the statement and the PDF print. Never a card number: kind, brand or bank, last 4.
ALTER TABLE invoices ADD COLUMN pay_kind TEXT;
ALTER TABLE invoices ADD COLUMN pay_name TEXT;
ALTER TABLE invoices ADD COLUMN pay_last4 TEXT;
ALTER TABLE invoices ADD COLUMN pay_exp_month BIGINT;
ALTER TABLE invoices ADD COLUMN pay_exp_year BIGINT;

-- A change to a card, from お支払い方法の確認・変更 to the gateway's page and back.
-- Bound to the session that started it; `done` once, whatever the browser replays.
-- The gateway's result is redeemed for a token; only brand, last 4, expiry and the
-- token reach payment_methods.
CREATE TABLE payment_setups (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    session_hash    TEXT NOT NULL,
    step            TEXT NOT NULL CHECK (step IN ('at_gateway', 'done', 'declined', 'cancelled')),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX payment_setups_account_idx ON payment_setups (account_id, created_at);

-- The built-in test gateway's own records (a real gateway keeps these on its side):
-- a hosted-page session per setup, then its single-use result. No card number and no
-- security code: the page checks them and keeps brand, last 4 and expiry.
CREATE TABLE test_gateway_sessions (
    id              TEXT PRIMARY KEY,
    merchant_ref    TEXT NOT NULL UNIQUE,
    return_url      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    outcome         TEXT CHECK (outcome IN ('approved', 'declined', 'cancelled')),
    result_code     TEXT UNIQUE,
    card_brand      TEXT,
    card_last4      TEXT,
    card_exp_month  BIGINT,
    card_exp_year   BIGINT,
    token           TEXT UNIQUE,
    redeemed_at     BIGINT
);
