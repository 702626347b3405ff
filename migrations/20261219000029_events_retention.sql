-- The events of an account are kept 400 days (セキュリティ履歴 shows 12 months; a
-- month over for a case being looked at), then go with their client addresses, apart
-- from the two kinds ご契約内容の変更履歴 lists for as long as the contract lasts. The
-- maintenance tick deletes them along this index, which holds only the rows that can
-- go, so the rows kept for good are never read again (the predicate is the tick's own
-- words: SQLite uses a partial index only for a query that names its WHERE).
CREATE INDEX IF NOT EXISTS account_events_expiring_idx ON account_events (created_at)
    WHERE kind NOT IN ('account.id_changed', 'billing.payment_method_changed');
