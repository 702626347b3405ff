-- iTSCOM ID registration (SPEC §1.3): the flow's state lives on the server.
--
-- A flow starts at contract verification and is bound to one browser by a random
-- cookie (only its SHA-256 is kept here). `step` says what the browser may do next;
-- a server function refuses any other step. The confirmation link carries a second
-- random token (hashed here), valid 24 hours and once: completing sets completed_at
-- with a conditional UPDATE, so two simultaneous openings complete it once.
CREATE TABLE registration_flows (
    id_hash             TEXT PRIMARY KEY,
    step                TEXT NOT NULL CHECK (step IN ('additional', 'credentials', 'mail_sent', 'done')),
    customer_no         TEXT REFERENCES customers (customer_no),
    -- While more than one customer matches (additional verification): their numbers,
    -- comma-separated, and which detail was already used.
    candidates          TEXT,
    factor_used         TEXT NOT NULL,
    itscom_id           TEXT,
    password_hash       TEXT,
    confirm_token_hash  TEXT UNIQUE,
    confirm_expires_at  BIGINT,
    created_at          BIGINT NOT NULL,
    expires_at          BIGINT NOT NULL,
    completed_at        BIGINT
);
CREATE INDEX registration_flows_expires_idx ON registration_flows (expires_at);
