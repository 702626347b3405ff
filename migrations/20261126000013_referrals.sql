-- Issue 13: お友だち紹介. Each customer has one personal referral code (made on first
-- use); a referral is a friend who applied with it, moving 申込受付 (applied) → 開通
-- (connected) → 特典付与 (rewarded). Only what the referrer may see is kept here: the
-- friend's name as a mask (ス**** 様), never their contact details.
CREATE TABLE referral_codes (
    customer_no     TEXT PRIMARY KEY REFERENCES customers (customer_no),
    code            TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL
);

CREATE TABLE referrals (
    id              TEXT PRIMARY KEY,
    referrer_no     TEXT NOT NULL REFERENCES customers (customer_no),
    friend_mask     TEXT NOT NULL,
    service_kind    TEXT NOT NULL CHECK (service_kind IN ('internet', 'tv', 'phone')),
    applied_on      TEXT NOT NULL,                 -- YYYY-MM-DD
    connected_on    TEXT,
    rewarded_on     TEXT,
    reward          BIGINT NOT NULL,               -- yen, to the referrer
    state           TEXT NOT NULL CHECK (state IN ('applied', 'connected', 'rewarded'))
);
CREATE INDEX referrals_referrer_idx ON referrals (referrer_no, applied_on);
