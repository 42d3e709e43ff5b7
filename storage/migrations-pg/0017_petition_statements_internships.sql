-- PostgreSQL twin of storage/migrations/0017_petition_statements_internships.sql.
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
    id               BIGSERIAL PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    manager_id       TEXT NOT NULL REFERENCES people(id),  -- the person's manager when proposed
    host_manager_id  TEXT NOT NULL REFERENCES people(id),  -- the host team is their reports
    share_percent    BIGINT NOT NULL CHECK (share_percent BETWEEN 5 AND 50),
    starts_on        TEXT NOT NULL,                        -- YYYY-MM-DD
    ends_on          TEXT NOT NULL,                        -- YYYY-MM-DD, the last day
    goals            TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'proposed'
                     CHECK (status IN ('proposed', 'active', 'finished', 'declined',
                                       'cancelled')),
    manager_ok_at    BIGINT,                              -- when the manager approved
    host_ok_at       BIGINT,                              -- when the host manager approved
    closed_by        TEXT REFERENCES people(id),           -- who declined or cancelled it
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK (starts_on <= ends_on)
);
-- One proposed or active internship per person at a time; an active one past its last day is
-- marked finished when the person proposes the next.
CREATE UNIQUE INDEX internships_one_live ON internships(person_id)
    WHERE status IN ('proposed', 'active');
CREATE INDEX internships_host ON internships(host_manager_id, status, ends_on);

-- The reminder outbox gains the kind 'internship_feedback'; PostgreSQL alters the CHECK in place.
ALTER TABLE reminders DROP CONSTRAINT reminders_kind_check;
ALTER TABLE reminders ADD CONSTRAINT reminders_kind_check
    CHECK (kind IN ('one_on_one', 'task_due', 'task_overdue', 'checkin', 'internship_feedback'));
