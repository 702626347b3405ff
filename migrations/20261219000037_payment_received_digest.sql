-- The digest of the gateway's result a card setup received (SHA-256 of the outcome as
-- kept): the same result posted again goes on to the setup's return, which says how
-- the change went; a different one for it (the gateway's page used again with another
-- card) is a late card, told as such. NULL: received by a process of the release
-- before, or not received.
ALTER TABLE payment_setups ADD COLUMN received_digest TEXT;
