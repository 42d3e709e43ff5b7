-- Correcting records (issue #16): tasks can be cancelled or deleted, feedback edited, deleted
-- or hidden from the brag document, check-ins undone.
--
-- A cancelled or deleted task leaves `tasks` for `task_history`, so every reader of `tasks`
-- (status, 1:1 preparation, the App Home, the quarter summary's overdue count, reminders)
-- stops counting it without having to know about cancellation. A cancelled task keeps its
-- text and is listed as cancelled; a deleted one keeps only its number (text and due date
-- are wiped), so that number is never given to another task of the same person.
CREATE TABLE task_history (
    id           INTEGER PRIMARY KEY,                -- the id it had in `tasks`
    assignee_id  TEXT NOT NULL REFERENCES people(id),
    number       INTEGER NOT NULL,
    text         TEXT NOT NULL,                      -- '' once deleted
    due_on       TEXT NOT NULL,                      -- '' once deleted
    creator_id   TEXT NOT NULL REFERENCES people(id),
    ido_id       INTEGER REFERENCES idos(id) ON DELETE SET NULL,
    source       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('cancelled', 'deleted')),
    closed_at    INTEGER NOT NULL,                   -- when it was cancelled or deleted
    closed_by    TEXT NOT NULL REFERENCES people(id),
    UNIQUE (assignee_id, number)
);

-- A task leaving `tasks` re-plans its reminders like any other change: the scheduler finds it
-- gone and skips what was pending for it.
CREATE TRIGGER tasks_reminder_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(OLD.id AS TEXT));
END;

-- An undone check-in is deleted (or turned back into the draft); its person's check-in
-- reminders are re-planned from the check-in before it.
CREATE TRIGGER checkins_reminder_delete AFTER DELETE ON checkins BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', OLD.person_id);
END;

-- Feedback its author edited, and feedback its recipient left out of their brag document.
ALTER TABLE feedback ADD COLUMN edited_at INTEGER;
ALTER TABLE feedback ADD COLUMN hidden_at INTEGER;

-- Numbers of feedback its author deleted: never given to another item of the same person.
CREATE TABLE feedback_retired (
    subject_id TEXT NOT NULL,
    number     INTEGER NOT NULL,
    PRIMARY KEY (subject_id, number)
) WITHOUT ROWID;
