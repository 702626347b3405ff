-- Issue 13: plan change requests (プラン変更のお申し込み). A request is received (受付)
-- from the customer, taken up by the back office (処理中) and completed (完了), or
-- cancelled (取消) by the customer while it is still 受付. Completing it writes the
-- change into service_changes on `effective_on` (the 1st of the month after the
-- request) and the new plan onto the service, which the billing run then bills.
CREATE TABLE plan_requests (
    id              TEXT PRIMARY KEY,              -- 受付番号, shown to the customer
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    service_id      TEXT NOT NULL REFERENCES services (id),
    from_plan       TEXT NOT NULL REFERENCES plans (code),
    to_plan         TEXT NOT NULL REFERENCES plans (code),
    monthly_fee     BIGINT NOT NULL,               -- the new plan's fee when requested
    effective_on    TEXT NOT NULL,                 -- YYYY-MM-DD
    termination_fee BIGINT NOT NULL DEFAULT 0,     -- 契約解除料 quoted in the preview
    step            TEXT NOT NULL CHECK (step IN ('received', 'processing', 'done', 'cancelled')),
    -- The confirmation page's one-time key: a double submit finds the request it made.
    submit_key      TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- One open request per service.
CREATE UNIQUE INDEX plan_requests_open_idx ON plan_requests (service_id) WHERE step IN ('received', 'processing');
CREATE INDEX plan_requests_customer_idx ON plan_requests (customer_no, created_at);
