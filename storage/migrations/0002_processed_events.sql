-- Events API deliveries already handled, so Slack's retries (at once, after 1 minute, after
-- 5 minutes) are acknowledged but not processed twice. Rows are written in the same transaction
-- as the handler's own writes and pruned once they are older than the retry window needs.
CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,            -- Slack's event_id (Ev…)
    received_at INTEGER NOT NULL             -- unix seconds
) WITHOUT ROWID;
CREATE INDEX processed_events_received ON processed_events(received_at);
