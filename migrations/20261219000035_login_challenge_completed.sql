-- A login's second step, once passed, is kept a moment rather than deleted: the same
-- code sent again by the same browser (a double click before the page's script runs,
-- an autofill that submits) logs that browser in too, where it was told the login had
-- expired. What the code spent is kept (`completed_proof`: the app's time step, or the
-- recovery code's digest): only that, within 30 seconds and once (`replayed_at`), is
-- taken again. A completed row's id becomes `done:` and its hash, so a process of the
-- release before, which looks a waiting login up by its hash alone, finds none during
-- a rolling deploy. Completed rows go with the others when they expire (five minutes).
ALTER TABLE login_challenges ADD COLUMN completed_at BIGINT;
ALTER TABLE login_challenges ADD COLUMN completed_proof TEXT;
ALTER TABLE login_challenges ADD COLUMN replayed_at BIGINT;
