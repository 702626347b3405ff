-- Issue 14: お問い合わせ・サポート and イッツコム 通信速度測定.

-- A speed test: started behind the session (a ticket, stored hashed, opens the
-- measuring endpoints until `expires_at`), finished with the browser's figures.
-- One running test per account (the partial unique index); an abandoned one
-- (`running` past `expires_at`) no longer counts and is marked `expired` by the next
-- start. Speeds in kbps, times in microseconds: integers, no floats.
CREATE TABLE speed_tests (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    session_hash    TEXT NOT NULL,
    ticket_hash     TEXT NOT NULL UNIQUE,
    step            TEXT NOT NULL CHECK (step IN ('running', 'done', 'expired')),
    started_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    finished_ms     BIGINT,                        -- the same in ms: the history's order
    -- The internet plan in force when it ran (for the comparison): its name and
    -- nominal speed (NULL: no internet service).
    plan_name       TEXT,
    plan_mbps       BIGINT,
    download_kbps   BIGINT,
    upload_kbps     BIGINT,
    ping_us         BIGINT,
    jitter_us       BIGINT,
    loaded_us       BIGINT
);
CREATE UNIQUE INDEX speed_tests_running_idx ON speed_tests (account_id) WHERE step = 'running';
CREATE INDEX speed_tests_customer_idx ON speed_tests (customer_no, finished_ms);

-- An inquiry from the form: its reference number (in the receipt mail), category,
-- message and, when the customer attached one, a speed test of theirs.
CREATE TABLE inquiries (
    id              TEXT PRIMARY KEY,
    reference_no    TEXT NOT NULL UNIQUE,
    customer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    category        TEXT NOT NULL,
    message         TEXT NOT NULL,
    speed_test_id   TEXT REFERENCES speed_tests (id),
    -- 受付済み until the support centre answers (by mail or phone, outside My Page).
    step            TEXT NOT NULL CHECK (step IN ('received', 'answered')),
    created_at      BIGINT NOT NULL,
    -- The same instant in milliseconds: the list's order (two in one second).
    created_ms      BIGINT NOT NULL
);
CREATE INDEX inquiries_customer_idx ON inquiries (customer_no, created_ms);
