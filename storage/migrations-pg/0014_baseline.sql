-- The PostgreSQL baseline: the schema SQLite's migrations 0001-0014 produce
-- (storage/schema.sql at version 14), in PostgreSQL's dialect. A new PostgreSQL database
-- starts here; later migrations come as a pair with the same number, one in
-- storage/migrations/ and one in this directory.
-- INTEGER becomes BIGINT (unix seconds and ids), SQLite's rowid primary keys BIGSERIAL,
-- triggers become PL/pgSQL functions; WITHOUT ROWID has no equivalent and is not needed.
-- table audit_log
CREATE TABLE audit_log (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,           -- unix seconds
    actor    TEXT NOT NULL,              -- Slack user id, or "cli:<os user>" for the CLI
    action   TEXT NOT NULL,              -- quarter_summary, brag_export, brag_list,
                                         -- promo_packet, cli_export
    subject  TEXT NOT NULL,              -- whose data: a person id, or "all" for an org
    scope    TEXT NOT NULL DEFAULT '',   -- what was covered: "person", "org:<root id>", …
    detail   TEXT NOT NULL DEFAULT ''    -- quarter, format, recipient: free text for people
);

-- index audit_log_actor_at
CREATE INDEX audit_log_actor_at ON audit_log(actor, at);

-- index audit_log_at
CREATE INDEX audit_log_at ON audit_log(at);

-- index audit_log_subject_at
CREATE INDEX audit_log_subject_at ON audit_log(subject, at);

-- table people
CREATE TABLE people (
    id          TEXT PRIMARY KEY,            -- Slack user id (U…); console handles in console mode
    name        TEXT NOT NULL,               -- display handle, refreshed from users.info
    real_name   TEXT NOT NULL DEFAULT '',
    tz          TEXT,                        -- IANA zone from Slack's `tz`; NULL = config default
    manager_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,            -- unix seconds
    updated_at  BIGINT NOT NULL, role TEXT CHECK (role IN ('manager', 'director')), level TEXT, dm_channel TEXT,
    CHECK (manager_id IS NULL OR manager_id <> id)
);

-- index people_manager
CREATE INDEX people_manager ON people(manager_id);

-- index people_name
CREATE INDEX people_name ON people(name);

-- table away_periods
CREATE TABLE away_periods (
    id           BIGSERIAL PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    from_on      TEXT NOT NULL,                 -- YYYY-MM-DD, inclusive, the person's zone
    to_on        TEXT NOT NULL,                 -- YYYY-MM-DD, inclusive
    created_at   BIGINT NOT NULL,
    cancelled_at BIGINT,
    CHECK (from_on <= to_on)
);

-- index away_periods_person
CREATE INDEX away_periods_person ON away_periods(person_id, to_on);

-- table brags
CREATE TABLE brags (
    id          BIGSERIAL PRIMARY KEY,
    author_id   TEXT NOT NULL REFERENCES people(id),
    number      BIGINT NOT NULL,
    text        TEXT NOT NULL,
    impact      TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    happened_on TEXT NOT NULL,               -- YYYY-MM-DD in the author's time zone
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'slack',  -- slack, console, import
    deleted_at  BIGINT, growth TEXT CHECK (growth IN ('job', 'others', 'training')),                     -- soft delete; NULL while the brag is live
    UNIQUE (author_id, number)
);

-- index brags_author_day
CREATE INDEX brags_author_day ON brags(author_id, deleted_at, happened_on, number, growth);

-- index brags_author_impact
CREATE INDEX brags_author_impact ON brags(author_id, happened_on, number)
    WHERE deleted_at IS NULL AND impact <> '';

-- table brag_tags
CREATE TABLE brag_tags (
    brag_id BIGINT NOT NULL REFERENCES brags(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL, position BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (brag_id, tag)
);

-- index brag_tags_tag
CREATE INDEX brag_tags_tag ON brag_tags(tag);

-- table certs
CREATE TABLE certs (
    id          BIGSERIAL PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people(id),
    number      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    earned_on   TEXT NOT NULL,                       -- YYYY-MM-DD
    link        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,                    -- unix seconds
    UNIQUE (person_id, number)
);

-- table checkins
CREATE TABLE checkins (
    id           BIGSERIAL PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    goals_6m     TEXT NOT NULL DEFAULT '',
    goals_1y     TEXT NOT NULL DEFAULT '',
    goals_3y     TEXT NOT NULL DEFAULT '',
    reality      TEXT NOT NULL DEFAULT '',
    plan         TEXT NOT NULL DEFAULT '',
    held_on      TEXT,                               -- YYYY-MM-DD; NULL = draft
    recorded_by  TEXT REFERENCES people(id),         -- the person or a manager above them
    next_due_on  TEXT,                               -- YYYY-MM-DD, set when held
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CHECK ((held_on IS NULL) = (next_due_on IS NULL))
);

-- index checkins_one_draft
CREATE UNIQUE INDEX checkins_one_draft ON checkins(person_id) WHERE held_on IS NULL;

-- index checkins_person_held
CREATE INDEX checkins_person_held ON checkins(person_id, held_on);




-- table committed_envelopes
CREATE TABLE committed_envelopes (
    committed_at BIGINT NOT NULL,           -- unix s
    ids          TEXT NOT NULL               -- JSON array of envelope ids
);

-- index committed_envelopes_at
CREATE INDEX committed_envelopes_at ON committed_envelopes(committed_at);

-- table envelope_inbox
CREATE TABLE envelope_inbox (
    envelope_id  TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,              -- slash_command | event | interactive
    item         TEXT NOT NULL,              -- the request, event or interaction (JSON)
    answers      TEXT NOT NULL DEFAULT '{}', -- what Slack answered so far (JSON object)
    question     TEXT NOT NULL,              -- what it waits for (JSON)
    rounds       BIGINT NOT NULL DEFAULT 0, -- questions asked so far
    created_at   BIGINT NOT NULL
);

-- table feedback
CREATE TABLE feedback (
    id            BIGSERIAL PRIMARY KEY,
    subject_id    TEXT NOT NULL REFERENCES people(id),   -- whom it is about / for
    number        BIGINT NOT NULL,                      -- per subject: #1, #2, …
    author_id     TEXT NOT NULL REFERENCES people(id),   -- who wrote it
    saved_by      TEXT NOT NULL REFERENCES people(id),   -- who saved it (author, subject, …)
    text          TEXT NOT NULL,
    source        TEXT NOT NULL,                         -- command, shortcut, reaction, console
    channel_id    TEXT NOT NULL DEFAULT '',
    channel_name  TEXT NOT NULL DEFAULT '',
    message_ts    TEXT,                                  -- Slack ts of the original message
    permalink     TEXT NOT NULL DEFAULT '',
    posted_at     BIGINT NOT NULL,                      -- when the original was written
    created_at    BIGINT NOT NULL, edited_at BIGINT, hidden_at BIGINT,
    UNIQUE (subject_id, number)
);

-- index feedback_author
CREATE INDEX feedback_author ON feedback(author_id);

-- index feedback_message
CREATE UNIQUE INDEX feedback_message ON feedback(subject_id, channel_id, message_ts)
    WHERE message_ts IS NOT NULL;

-- index feedback_subject
CREATE INDEX feedback_subject ON feedback(subject_id, posted_at);

-- table feedback_retired
CREATE TABLE feedback_retired (
    subject_id TEXT NOT NULL,
    number     BIGINT NOT NULL,
    PRIMARY KEY (subject_id, number)
);

-- table idos
CREATE TABLE idos (
    id           BIGSERIAL PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    quarter      TEXT NOT NULL,                      -- e.g. 2026Q4
    objective    TEXT NOT NULL,
    mentor_id    TEXT NOT NULL REFERENCES people(id),
    set_by       TEXT NOT NULL REFERENCES people(id),  -- the person or a manager above them
    created_at   BIGINT NOT NULL,                   -- unix seconds
    updated_at   BIGINT NOT NULL,
    achieved_at  BIGINT,                            -- NULL until `/ido done`
    UNIQUE (person_id, quarter),
    CHECK (mentor_id <> person_id)
);

-- index idos_mentor
CREATE INDEX idos_mentor ON idos(mentor_id, quarter);

-- table ido_progress
CREATE TABLE ido_progress (
    id          BIGSERIAL PRIMARY KEY,
    ido_id      BIGINT NOT NULL REFERENCES idos(id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL REFERENCES people(id),
    note        TEXT NOT NULL,
    growth      TEXT CHECK (growth IN ('job', 'others', 'training')),
    noted_on    TEXT NOT NULL,                       -- YYYY-MM-DD in the author's time zone
    created_at  BIGINT NOT NULL
);

-- index ido_progress_ido
CREATE INDEX ido_progress_ido ON ido_progress(ido_id, created_at);

-- table one_on_ones
CREATE TABLE one_on_ones (
    id           BIGSERIAL PRIMARY KEY,
    manager_id   TEXT NOT NULL REFERENCES people(id),
    report_id    TEXT NOT NULL REFERENCES people(id),
    weekday      BIGINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Sunday
    minute_of_day BIGINT NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
    tz           TEXT NOT NULL,                 -- the manager's zone when it was scheduled
    every_weeks  BIGINT NOT NULL DEFAULT 1 CHECK (every_weeks BETWEEN 1 AND 12),
    anchor_on    TEXT NOT NULL,                 -- YYYY-MM-DD local date of the first occurrence
    skip_until   BIGINT,                       -- skip occurrences at or before (unix s)
    created_by   TEXT NOT NULL REFERENCES people(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    cancelled_at BIGINT,                       -- NULL while the cadence runs
    CHECK (manager_id <> report_id)
);

-- index one_on_ones_active_pair
CREATE UNIQUE INDEX one_on_ones_active_pair ON one_on_ones(manager_id, report_id)
    WHERE cancelled_at IS NULL;

-- index one_on_ones_pair
CREATE INDEX one_on_ones_pair ON one_on_ones(manager_id, report_id, created_at);

-- index one_on_ones_report
CREATE INDEX one_on_ones_report ON one_on_ones(report_id) WHERE cancelled_at IS NULL;

-- table one_on_one_skips
CREATE TABLE one_on_one_skips (
    schedule_id  BIGINT NOT NULL REFERENCES one_on_ones(id),
    occurs_at    BIGINT NOT NULL,              -- the skipped occurrence (unix s)
    skipped_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, occurs_at)
);

-- table org_requests
CREATE TABLE org_requests (
    id            BIGSERIAL PRIMARY KEY,
    requester_id  TEXT NOT NULL,                -- who asked (Slack id or console handle)
    subject_id    TEXT NOT NULL,                -- whose manager would change
    manager_id    TEXT NOT NULL,                -- the manager they would report to
    from_manager  TEXT,                         -- their manager when asked (stale if it changed)
    needs_admin   BIGINT NOT NULL DEFAULT 0,   -- 1: the subject has reports; an admin decides
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'accepted', 'approved', 'declined', 'withdrawn',
                                    'superseded')),
    created_at    BIGINT NOT NULL,             -- unix seconds
    decided_by    TEXT,                         -- who accepted, approved or declined
    decided_at    BIGINT,
    CHECK (subject_id <> manager_id)
);

-- index org_requests_subject
CREATE INDEX org_requests_subject ON org_requests(subject_id) WHERE status = 'pending';

-- table outbox
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    key         TEXT NOT NULL,               -- "outbox-" + 16 random hex digits
    user_id     TEXT NOT NULL,
    message     TEXT NOT NULL,               -- {"text": …, "blocks": […]}
    created_at  BIGINT NOT NULL             -- unix s
);

-- table pending_feedback
CREATE TABLE pending_feedback (
    id           BIGSERIAL PRIMARY KEY,
    saved_by     TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    text         TEXT NOT NULL,
    channel_id   TEXT NOT NULL,
    channel_name TEXT NOT NULL DEFAULT '',
    message_ts   TEXT NOT NULL,
    permalink    TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL
);

-- table petitions
CREATE TABLE petitions (
    id           BIGSERIAL PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    from_level   TEXT,                               -- the level when petitioning, if known
    target_level TEXT NOT NULL,
    director_id  TEXT NOT NULL REFERENCES people(id), -- who received it
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'withdrawn', 'approved', 'declined')),
    packet       TEXT NOT NULL,                      -- Markdown evidence packet
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    closed_by    TEXT REFERENCES people(id)
);

-- index petitions_one_open
CREATE UNIQUE INDEX petitions_one_open ON petitions(person_id) WHERE status = 'open';

-- index petitions_person
CREATE INDEX petitions_person ON petitions(person_id, created_at);

-- table processed_events
CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,            -- Slack's event_id (Ev…)
    received_at BIGINT NOT NULL             -- unix seconds
);

-- index processed_events_received
CREATE INDEX processed_events_received ON processed_events(received_at);

-- table reminder_changes
CREATE TABLE reminder_changes (
    seq  BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('task', 'checkin')),
    ref  TEXT NOT NULL                          -- tasks.id, or the check-in's person_id
);

-- table reminders
CREATE TABLE reminders (
    id            BIGSERIAL PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL
                  CHECK (kind IN ('one_on_one', 'task_due', 'task_overdue', 'checkin')),
    recipient_id  TEXT NOT NULL,                -- who gets the DM
    subject_id    TEXT NOT NULL,                -- whom it is about (report, assignee, person)
    ref_id        BIGINT,                      -- one_on_ones.id, tasks.id or checkins.id
    occurs_at     BIGINT,                      -- the 1:1 or due moment it is about (unix s)
    due_at        BIGINT NOT NULL,             -- when to send (unix s)
    useful_until  BIGINT NOT NULL,             -- past this a missed one is dropped, not sent
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'dropped')),
    reason        TEXT,                         -- why skipped/dropped: away:<id>, skip, done, …
    attempts      BIGINT NOT NULL DEFAULT 0,
    claimed_at    BIGINT,                      -- when it last went to `sending`
    payload       TEXT,                         -- the rendered pages while sending (JSON)
    message_ts    TEXT,                         -- Slack ts of the first page once sent
    sent_at       BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- index reminders_pending_due
CREATE INDEX reminders_pending_due ON reminders(due_at) WHERE state = 'pending';

-- index reminders_ref
CREATE INDEX reminders_ref ON reminders(kind, ref_id, state);

-- index reminders_sending
CREATE INDEX reminders_sending ON reminders(claimed_at) WHERE state = 'sending';

-- index reminders_subject
CREATE INDEX reminders_subject ON reminders(subject_id, due_at);

-- table task_history
CREATE TABLE task_history (
    id           BIGINT PRIMARY KEY,                -- the id it had in `tasks`
    assignee_id  TEXT NOT NULL REFERENCES people(id),
    number       BIGINT NOT NULL,
    text         TEXT NOT NULL,                      -- '' once deleted
    due_on       TEXT NOT NULL,                      -- '' once deleted
    creator_id   TEXT NOT NULL REFERENCES people(id),
    ido_id       BIGINT REFERENCES idos(id) ON DELETE SET NULL,
    source       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('cancelled', 'deleted')),
    closed_at    BIGINT NOT NULL,                   -- when it was cancelled or deleted
    closed_by    TEXT NOT NULL REFERENCES people(id),
    UNIQUE (assignee_id, number)
);

-- table tasks
CREATE TABLE tasks (
    id           BIGSERIAL PRIMARY KEY,
    assignee_id  TEXT NOT NULL REFERENCES people(id),
    number       BIGINT NOT NULL,
    text         TEXT NOT NULL,
    due_on       TEXT NOT NULL,                      -- YYYY-MM-DD
    creator_id   TEXT NOT NULL REFERENCES people(id),
    ido_id       BIGINT REFERENCES idos(id) ON DELETE SET NULL,
    source       TEXT NOT NULL DEFAULT 'slack',      -- slack, console, import
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    done_at      BIGINT,                            -- NULL while open
    done_by      TEXT REFERENCES people(id),
    UNIQUE (assignee_id, number)
);

-- index tasks_assignee_done_due
CREATE INDEX tasks_assignee_done_due ON tasks(assignee_id, done_at, due_on);

-- index tasks_assignee_due
CREATE INDEX tasks_assignee_due ON tasks(assignee_id, due_on);

-- index tasks_open_due
CREATE INDEX tasks_open_due ON tasks(due_on) WHERE done_at IS NULL;




-- trigger checkins_reminder_delete
CREATE FUNCTION checkins_reminder_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', OLD.person_id);
    RETURN NULL;
END $$;
CREATE TRIGGER checkins_reminder_delete AFTER DELETE ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_reminder_delete_fn();

-- trigger checkins_reminder_insert
CREATE FUNCTION checkins_reminder_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', NEW.person_id);
    RETURN NULL;
END $$;
CREATE TRIGGER checkins_reminder_insert AFTER INSERT ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_reminder_insert_fn();

-- trigger checkins_reminder_update
CREATE FUNCTION checkins_reminder_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('checkin', NEW.person_id);
    RETURN NULL;
END $$;
CREATE TRIGGER checkins_reminder_update AFTER UPDATE OF held_on, next_due_on ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_reminder_update_fn();

-- trigger tasks_reminder_delete
CREATE FUNCTION tasks_reminder_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(OLD.id AS TEXT));
    RETURN NULL;
END $$;
CREATE TRIGGER tasks_reminder_delete AFTER DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_reminder_delete_fn();

-- trigger tasks_reminder_insert
CREATE FUNCTION tasks_reminder_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(NEW.id AS TEXT));
    RETURN NULL;
END $$;
CREATE TRIGGER tasks_reminder_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_reminder_insert_fn();

-- trigger tasks_reminder_update
CREATE FUNCTION tasks_reminder_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_changes (kind, ref) VALUES ('task', CAST(NEW.id AS TEXT));
    RETURN NULL;
END $$;
CREATE TRIGGER tasks_reminder_update AFTER UPDATE OF due_on, done_at, assignee_id ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_reminder_update_fn();
