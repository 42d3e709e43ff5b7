-- 1:1 cadences. Times are kept as a local wall-clock time in the manager's IANA zone (never an
-- offset), so a 10:00 New York 1:1 stays at 10:00 local across daylight-saving changes.
CREATE TABLE one_on_ones (
    id           INTEGER PRIMARY KEY,
    manager_id   TEXT NOT NULL REFERENCES people(id),
    report_id    TEXT NOT NULL REFERENCES people(id),
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Sunday
    minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    tz           TEXT NOT NULL,                 -- the manager's zone when it was scheduled
    every_weeks  INTEGER NOT NULL DEFAULT 1 CHECK (every_weeks BETWEEN 1 AND 12),
    anchor_on    TEXT NOT NULL,                 -- YYYY-MM-DD local date of the first occurrence
    skip_until   INTEGER,                       -- skip occurrences at or before (unix s)
    created_by   TEXT NOT NULL REFERENCES people(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    cancelled_at INTEGER,                       -- NULL while the cadence runs
    CHECK (manager_id <> report_id)
);
CREATE UNIQUE INDEX one_on_ones_active_pair ON one_on_ones(manager_id, report_id)
    WHERE cancelled_at IS NULL;
CREATE INDEX one_on_ones_report ON one_on_ones(report_id) WHERE cancelled_at IS NULL;

-- Absences: nudges and 1:1 reminders that fall inside are skipped (and recorded as such).
CREATE TABLE away_periods (
    id           INTEGER PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    from_on      TEXT NOT NULL,                 -- YYYY-MM-DD, inclusive, the person's zone
    to_on        TEXT NOT NULL,                 -- YYYY-MM-DD, inclusive
    created_at   INTEGER NOT NULL,
    cancelled_at INTEGER,
    CHECK (from_on <= to_on)
);
CREATE INDEX away_periods_person ON away_periods(person_id, to_on);

-- The reminder outbox: one row per occurrence of every scheduled message. `key` names the
-- occurrence, so planning the same occurrence twice is a no-op and it can be found again in
-- Slack (it travels as message metadata). See src/scheduler/README.md for the state machine.
CREATE TABLE reminders (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('one_on_one', 'task_due', 'task_overdue', 'checkin')),
    recipient_id  TEXT NOT NULL,                -- who gets the DM
    subject_id    TEXT NOT NULL,                -- whom it is about (report, assignee, person)
    ref_id        INTEGER,                      -- one_on_ones.id, tasks.id or checkins.id
    occurs_at     INTEGER,                      -- the 1:1 or due moment it is about (unix s)
    due_at        INTEGER NOT NULL,             -- when to send (unix s)
    useful_until  INTEGER NOT NULL,             -- past this a missed one is dropped, not sent
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'dropped')),
    reason        TEXT,                         -- why skipped/dropped: away:<id>, skip, done, …
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_at    INTEGER,                      -- when it last went to `sending`
    payload       TEXT,                         -- the rendered pages while sending (JSON)
    message_ts    TEXT,                         -- Slack ts of the first page once sent
    sent_at       INTEGER,
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- next_due() is MIN(due_at) over this partial index: O(log n) whatever the history holds.
CREATE INDEX reminders_pending_due ON reminders(due_at) WHERE state = 'pending';
CREATE INDEX reminders_sending ON reminders(claimed_at) WHERE state = 'sending';
CREATE INDEX reminders_ref ON reminders(kind, ref_id, state);
CREATE INDEX reminders_subject ON reminders(subject_id, due_at);

-- What changed in tasks and check-ins since the scheduler last planned: written by triggers in
-- the same transaction as the change, so the scheduler's sync() reads exactly the changes
-- (O(changes)) without the commands knowing about reminders, and deletes them once planned.
CREATE TABLE reminder_changes (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('task', 'checkin')),
    ref  TEXT NOT NULL                          -- tasks.id, or the check-in's person_id
);
CREATE TRIGGER tasks_reminder_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(NEW.id AS TEXT));
END;
CREATE TRIGGER tasks_reminder_update AFTER UPDATE OF due_on, done_at, assignee_id ON tasks BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(NEW.id AS TEXT));
END;
CREATE TRIGGER checkins_reminder_insert AFTER INSERT ON checkins BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', NEW.person_id);
END;
CREATE TRIGGER checkins_reminder_update AFTER UPDATE OF held_on, next_due_on ON checkins BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', NEW.person_id);
END;
-- What existed before this migration gets planned by the first sync.
INSERT INTO reminder_changes (kind, ref)
    SELECT 'task', CAST(id AS TEXT) FROM tasks WHERE done_at IS NULL;
INSERT INTO reminder_changes (kind, ref)
    SELECT DISTINCT 'checkin', person_id FROM checkins WHERE held_on IS NOT NULL;
