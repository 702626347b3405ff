-- A double click, or a post sent again after no answer came, sends one inquiry: the
-- key of the form it came from, once an account (none for inquiries written before).
ALTER TABLE inquiries ADD COLUMN submit_key TEXT;
CREATE UNIQUE INDEX inquiries_submit_key_idx ON inquiries (account_id, submit_key) WHERE submit_key IS NOT NULL;
