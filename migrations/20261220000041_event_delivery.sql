-- Events for other systems (outbox rows of kind 'event') are taken by them through
-- `server events`: listed while waiting (sent_at NULL), oldest first, then marked taken
-- (sent_at set) and deleted 30 days later, as sent mails are. The waiting ones, along
-- their own index.
CREATE INDEX IF NOT EXISTS outbox_events_waiting_idx ON outbox (created_at) WHERE kind = 'event' AND sent_at IS NULL;
