-- The streams a running speed test has open, in every server process together (the
-- limit of 8 was counted per process: behind a balancer of N processes a ticket could
-- hold 8 in each). A place is taken and given back by one statement each; a process
-- killed mid-stream leaves its places taken only until the ticket expires, after which
-- the ticket opens nothing anyway.
ALTER TABLE speed_tests ADD COLUMN streams_open BIGINT NOT NULL DEFAULT 0;
