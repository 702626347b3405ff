-- The maintenance task deletes the speed tests that never reported (abandoned, or
-- replaced by the next start) a day after their ticket ended; along this index, so a
-- tick costs what it deletes. Partial: finished tests (the customer's history) stay.
CREATE INDEX IF NOT EXISTS speed_tests_unfinished_idx ON speed_tests (expires_at) WHERE step <> 'done';
-- A deleted test is looked up among the inquiries that may name it (their foreign key):
-- along this index, not a walk of every inquiry.
CREATE INDEX IF NOT EXISTS inquiries_speed_test_idx ON inquiries (speed_test_id);
