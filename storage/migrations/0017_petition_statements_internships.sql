-- Promotion petitions with a statement, and internships for learning (issue #16).
--
-- A petition carries the person's statement ("why now"), and the director records the outcome
-- of the quarterly discussion with a note. "Not yet" is stored as the status 'declined' that
-- 0006 already allows, so the petitions table keeps its CHECK and is not rebuilt.
ALTER TABLE petitions ADD COLUMN statement TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';

-- An internship for learning (GitLab handbook): a person spends a share of their time with a
-- host team for 6 weeks to 3 months. It is proposed by the person and takes effect only when
-- both their manager and the host manager agree; a refusal by either ends it.
CREATE TABLE internships (
    id               INTEGER PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    manager_id       TEXT NOT NULL REFERENCES people(id),  -- the person's manager when proposed
    host_manager_id  TEXT NOT NULL REFERENCES people(id),  -- the host team is their reports
    share_percent    INTEGER NOT NULL CHECK (share_percent BETWEEN 5 AND 50),
    starts_on        TEXT NOT NULL,                        -- YYYY-MM-DD
    ends_on          TEXT NOT NULL,                        -- YYYY-MM-DD, the last day
    goals            TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'proposed'
                     CHECK (status IN ('proposed', 'active', 'finished', 'declined',
                                       'cancelled')),
    manager_ok_at    INTEGER,                              -- when the manager approved
    host_ok_at       INTEGER,                              -- when the host manager approved
    closed_by        TEXT REFERENCES people(id),           -- who declined or cancelled it
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (starts_on <= ends_on)
);
-- One proposed or active internship per person at a time; an active one past its last day is
-- marked finished when the person proposes the next.
CREATE UNIQUE INDEX internships_one_live ON internships(person_id)
    WHERE status IN ('proposed', 'active');
CREATE INDEX internships_host ON internships(host_manager_id, status, ends_on);

-- The reminder outbox gains the kind 'internship_feedback' (the host manager is reminded at
-- the internship's end to give feedback). SQLite cannot alter a CHECK: the table is rebuilt
-- with the same columns and indexes.
ALTER TABLE reminders RENAME TO reminders_old;
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('one_on_one', 'task_due', 'task_overdue', 'checkin',
                                  'internship_feedback')),
    recipient_id  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    ref_id        INTEGER,
    occurs_at     INTEGER,
    due_at        INTEGER NOT NULL,
    useful_until  INTEGER NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'dropped')),
    reason        TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_at    INTEGER,
    payload       TEXT,
    message_ts    TEXT,
    sent_at       INTEGER,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
INSERT INTO reminders SELECT id, key, kind, recipient_id, subject_id, ref_id, occurs_at,
    due_at, useful_until, state, reason, attempts, claimed_at, payload, message_ts, sent_at,
    last_error, created_at, updated_at FROM reminders_old;
DROP TABLE reminders_old;
CREATE INDEX reminders_pending_due ON reminders(due_at) WHERE state = 'pending';
CREATE INDEX reminders_sending ON reminders(claimed_at) WHERE state = 'sending';
CREATE INDEX reminders_ref ON reminders(kind, ref_id, state);
CREATE INDEX reminders_subject ON reminders(subject_id, due_at);
