-- A card change's result is kept as it arrives, before it is settled: the gateway
-- keeps the card from the moment it sends its verified result, so My Page writes that
-- result first, in one statement (the outcome, when and from where), and settles it in
-- a transaction of its own: by the same request, by the customer's return, or by the
-- maintenance task's next run if both failed (the database away a moment, the process
-- killed between). Before, a failure between the two left the card at the gateway and
-- not in the portal. A setup `at_gateway` with `received_at` set is received and not
-- settled. `outcome` holds what payment_methods takes (token, brand, last 4, expiry;
-- never a card number) and is cleared when settled. Only added columns: the release
-- still serving during a rolling deploy settles results as it did.
ALTER TABLE payment_setups ADD COLUMN outcome TEXT;
ALTER TABLE payment_setups ADD COLUMN received_at BIGINT;
ALTER TABLE payment_setups ADD COLUMN received_from TEXT;
-- The maintenance task's look for results received and not settled: few rows, if any.
CREATE INDEX payment_setups_received_idx ON payment_setups (received_at) WHERE outcome IS NOT NULL;
