-- Roles that the tree alone does not say (a director with a single manager below, say).
-- Managers are otherwise anyone with reports; directors anyone whose reports have reports.
ALTER TABLE people ADD COLUMN role TEXT CHECK (role IN ('manager', 'director'));

-- 70-20-10: where a brag's growth came from (job, others, training); NULL when untagged.
ALTER TABLE brags ADD COLUMN growth TEXT CHECK (growth IN ('job', 'others', 'training'));

-- Feedback that outlives Slack's retention: the text with mentions already resolved to names,
-- who wrote it, where and when it was posted, and a permalink.
CREATE TABLE feedback (
    id            INTEGER PRIMARY KEY,
    subject_id    TEXT NOT NULL REFERENCES people(id),   -- whom it is about / for
    number        INTEGER NOT NULL,                      -- per subject: #1, #2, …
    author_id     TEXT NOT NULL REFERENCES people(id),   -- who wrote it
    saved_by      TEXT NOT NULL REFERENCES people(id),   -- who saved it (author, subject, …)
    text          TEXT NOT NULL,
    source        TEXT NOT NULL,                         -- command, shortcut, reaction, console
    channel_id    TEXT NOT NULL DEFAULT '',
    channel_name  TEXT NOT NULL DEFAULT '',
    message_ts    TEXT,                                  -- Slack ts of the original message
    permalink     TEXT NOT NULL DEFAULT '',
    posted_at     INTEGER NOT NULL,                      -- when the original was written
    created_at    INTEGER NOT NULL,
    UNIQUE (subject_id, number)
);
CREATE INDEX feedback_subject ON feedback(subject_id, posted_at);
CREATE INDEX feedback_author ON feedback(author_id);
-- Saving the same Slack message twice for the same person keeps one record.
CREATE UNIQUE INDEX feedback_message ON feedback(subject_id, channel_id, message_ts)
    WHERE message_ts IS NOT NULL;

-- A message someone chose to save (shortcut), held while they pick whom it is for in a modal.
CREATE TABLE pending_feedback (
    id           INTEGER PRIMARY KEY,
    saved_by     TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    text         TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    channel_name TEXT NOT NULL DEFAULT '',
    message_ts   TEXT NOT NULL,
    permalink    TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
