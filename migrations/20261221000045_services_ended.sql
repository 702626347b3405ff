-- The add-on maintenance job (addons::store::outliving) runs each minute and starts
-- from the services that have ended, not from every live subscription: at 100,000
-- customers that walk took 180-220 ms a run, with sequential scans of services and
-- subscriptions. Partial: a service running on (no end) is not in it. Covering the
-- job's grouping (customer, kind).
CREATE INDEX IF NOT EXISTS services_ended_idx ON services (ended_on, customer_no, kind) WHERE ended_on IS NOT NULL;
