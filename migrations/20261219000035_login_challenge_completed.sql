-- A login's second step, once passed, is marked rather than deleted: the same code
-- sent again at once (a double click before the page's script runs, an autofill that
-- submits) finds the login completed by the other request and logs its browser in with
-- the same proof, where it found nothing and was told the login had expired. Completed
-- rows go with the others when they expire (five minutes). NULL: still waiting.
ALTER TABLE login_challenges ADD COLUMN completed_at BIGINT;
