-- Issue 12: invoices computed from the contracts by the monthly run (`server bill
-- --month YYYY-MM`). An issued month is never rewritten: a correction is an adjustment
-- on a later month.

-- The plan catalogue: what each plan costs a month (yen, tax included). The run bills
-- the plan in force on each day (services.plan_code now, service_changes before).
CREATE TABLE plans (
    code            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('internet', 'tv', 'phone')),
    name            TEXT NOT NULL,
    monthly_fee     BIGINT NOT NULL
);

-- Equipment rental a month (STBレンタル料), tax included; 0 when the plan includes it.
ALTER TABLE equipment ADD COLUMN monthly_fee BIGINT NOT NULL DEFAULT 0;

-- Amounts for a billing month that do not come from the contract: charges measured
-- elsewhere (通話料, from the phone system) and corrections (調整). Tax-included, at
-- `rate` percent.
CREATE TABLE billing_items (
    id              TEXT PRIMARY KEY,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    billing_month   TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('usage', 'adjustment')),
    description     TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    rate            BIGINT NOT NULL DEFAULT 10
);
CREATE INDEX billing_items_month_idx ON billing_items (customer_no, billing_month);

-- Each line's tax rate; the service it bills and, when prorated (日割り), the days
-- billed of the month's days.
ALTER TABLE invoice_lines ADD COLUMN rate BIGINT NOT NULL DEFAULT 10;
ALTER TABLE invoice_lines ADD COLUMN service_id TEXT;
ALTER TABLE invoice_lines ADD COLUMN days BIGINT;
ALTER TABLE invoice_lines ADD COLUMN of_days BIGINT;
