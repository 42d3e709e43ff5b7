-- Envelopes whose handler needs an answer from Slack (a message to save as feedback, a
-- person's profile) that was not fetched yet. No Web API call may run inside a write: the
-- envelope is stored here and acked, Slack is asked outside the transaction, and the handler
-- runs again with the answers; the row goes in the same transaction as the handler's writes.
-- A restart resumes every row left.
CREATE TABLE envelope_inbox (
    envelope_id  TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,              -- slash_command | event | interactive
    item         TEXT NOT NULL,              -- the request, event or interaction (JSON)
    answers      TEXT NOT NULL DEFAULT '{}', -- what Slack answered so far (JSON object)
    question     TEXT NOT NULL,              -- what it waits for (JSON)
    rounds       INTEGER NOT NULL DEFAULT 0, -- questions asked so far
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
-- The envelope ids of each committed batch of commands and interactions, kept an hour: after a
-- crash, an envelope acked before its batch committed is looked up here to tell its user
-- whether it was stored (see the ack journal in src/slack/ack_journal.hpp).
CREATE TABLE committed_envelopes (
    committed_at INTEGER NOT NULL,           -- unix s
    ids          TEXT NOT NULL               -- JSON array of envelope ids
);
CREATE INDEX committed_envelopes_at ON committed_envelopes(committed_at);
-- The DM channel of each person with the bot, learnt from conversations.open: kept so that a
-- restart does not open every DM again (Tier 3, ~50 a minute) before the reminders go out.
ALTER TABLE people ADD COLUMN dm_channel TEXT;
-- DMs decided by a handler, written in the same transaction as the handler's writes and sent
-- afterwards: a row leaves only when Slack has the message (or refused it for good), so a DM is
-- neither lost to a crash, a SIGTERM during a 429 wait or an outage, nor sent twice (each
-- carries its random key in its message metadata, looked for before any resend; ids alone
-- would repeat after a delete or a restored backup).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL,               -- "outbox-" + 16 random hex digits
    user_id     TEXT NOT NULL,
    message     TEXT NOT NULL,               -- {"text": …, "blocks": […]}
    created_at  INTEGER NOT NULL             -- unix s
);
