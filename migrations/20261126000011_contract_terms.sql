-- Issue 13: contract terms. A plan with a term runs `term_months` from the month its
-- service started; the month after each full term is its 更新月 (no fee to end or
-- change it then); any other month costs `early_termination_fee` (yen, tax
-- included, 不課税: not part of the monthly invoice's taxable lines).
ALTER TABLE plans ADD COLUMN term_months BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN early_termination_fee BIGINT NOT NULL DEFAULT 0;
-- The catalogue already loaded: internet and TV are 2-year contracts.
UPDATE plans SET term_months = 24, early_termination_fee = 11000 WHERE kind = 'internet';
UPDATE plans SET term_months = 24, early_termination_fee = 5500 WHERE kind = 'tv';
