-- Whether a month's billing run has begun (any invoice of that month): a charge for a
-- customer it passed over (no service that month) goes to the next month instead, where
-- it is billed (billing::store::open_month).
CREATE INDEX IF NOT EXISTS invoices_month_idx ON invoices (billing_month);
