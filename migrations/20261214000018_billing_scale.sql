-- Issue 26: the billing run at a provider's scale, and synthetic customers for load
-- tests and the billing benchmark.

-- The run reads the plan changes of a batch's services by service: without this index
-- each look-up scanned the whole table (the run's time grew with the square of the
-- number of customers).
CREATE INDEX service_changes_service_idx ON service_changes (service_id, changed_on);

-- Customers written by `server seed-load` (1), never real ones (0, the default): it
-- refuses a database that holds any customer not marked so. Their numbers are
-- 800000001 onward (the README's operator section).
ALTER TABLE customers ADD COLUMN synthetic BIGINT NOT NULL DEFAULT 0;
