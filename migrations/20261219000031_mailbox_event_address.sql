-- A mailbox's creation no longer copies its address into the security events (the
-- browser instead, as every entry of セキュリティ履歴): the earlier ones lose it too.
UPDATE account_events SET detail = '{}' WHERE kind = 'mailbox.created';
