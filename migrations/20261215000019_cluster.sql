-- Work that one process of the cluster does at a time (the maintenance tick): whoever
-- holds the lease does it; a lease past `until_at` may be taken by anyone, so a process
-- killed while holding one holds it no longer than that.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    until_at    BIGINT NOT NULL
);
