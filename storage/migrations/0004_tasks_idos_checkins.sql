-- Individual Development Objectives: one per person per fiscal quarter, with the quarter's
-- mentor. `quarter` is the label quarter_of() gives ("2026Q4"), so a change of fiscal-year start
-- never silently re-files an existing IDO.
CREATE TABLE idos (
    id           INTEGER PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    quarter      TEXT NOT NULL,                      -- e.g. 2026Q4
    objective    TEXT NOT NULL,
    mentor_id    TEXT NOT NULL REFERENCES people(id),
    set_by       TEXT NOT NULL REFERENCES people(id),  -- the person or a manager above them
    created_at   INTEGER NOT NULL,                   -- unix seconds
    updated_at   INTEGER NOT NULL,
    achieved_at  INTEGER,                            -- NULL until `/ido done`
    UNIQUE (person_id, quarter),
    CHECK (mentor_id <> person_id)
);
CREATE INDEX idos_mentor ON idos(mentor_id, quarter);

-- Weekly progress notes on an IDO, each optionally tagged with a 70-20-10 category.
CREATE TABLE ido_progress (
    id          INTEGER PRIMARY KEY,
    ido_id      INTEGER NOT NULL REFERENCES idos(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES people(id),
    note        TEXT NOT NULL,
    growth      TEXT CHECK (growth IN ('job', 'others', 'training')),
    noted_on    TEXT NOT NULL,                       -- YYYY-MM-DD in the author's time zone
    created_at  INTEGER NOT NULL
);
CREATE INDEX ido_progress_ido ON ido_progress(ido_id, created_at);

-- SMART tasks from career check-ins. `number` counts per assignee, so `/task done 3` always
-- means the assignee's own third task and never reveals anything about other people's tasks.
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    assignee_id  TEXT NOT NULL REFERENCES people(id),
    number       INTEGER NOT NULL,
    text         TEXT NOT NULL,
    due_on       TEXT NOT NULL,                      -- YYYY-MM-DD
    creator_id   TEXT NOT NULL REFERENCES people(id),
    ido_id       INTEGER REFERENCES idos(id) ON DELETE SET NULL,
    source       TEXT NOT NULL DEFAULT 'slack',      -- slack, console, import
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    done_at      INTEGER,                            -- NULL while open
    done_by      TEXT REFERENCES people(id),
    UNIQUE (assignee_id, number)
);
CREATE INDEX tasks_assignee_due ON tasks(assignee_id, due_on);
-- Reminders scan open tasks by due date across everyone.
CREATE INDEX tasks_open_due ON tasks(due_on) WHERE done_at IS NULL;

-- Career check-ins. A row with held_on NULL is the person's draft for their next check-in
-- (at most one); `/checkin done` stamps it with the day it was held and the next due date.
CREATE TABLE checkins (
    id           INTEGER PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    goals_6m     TEXT NOT NULL DEFAULT '',
    goals_1y     TEXT NOT NULL DEFAULT '',
    goals_3y     TEXT NOT NULL DEFAULT '',
    reality      TEXT NOT NULL DEFAULT '',
    plan         TEXT NOT NULL DEFAULT '',
    held_on      TEXT,                               -- YYYY-MM-DD; NULL = draft
    recorded_by  TEXT REFERENCES people(id),         -- the person or a manager above them
    next_due_on  TEXT,                               -- YYYY-MM-DD, set when held
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK ((held_on IS NULL) = (next_due_on IS NULL))
);
CREATE UNIQUE INDEX checkins_one_draft ON checkins(person_id) WHERE held_on IS NULL;
CREATE INDEX checkins_person_held ON checkins(person_id, held_on);
