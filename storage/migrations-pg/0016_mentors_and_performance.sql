-- PostgreSQL twin of storage/migrations/0016_mentors_and_performance.sql.
-- Mentors outside an IDO, mentor notes, and the performance factor per review (issue #16).
--
-- A standing mentorship is not tied to a quarter: one mentor per mentee at a time, set by the
-- mentee's manager chain or an admin. It gives the mentor no sight of the mentee's records
-- (SPEC: only an IDO's own mentor sees that IDO); it lets them add mentor notes. Ended
-- mentorships stay as history.
CREATE TABLE mentorships (
    id         BIGSERIAL PRIMARY KEY,
    mentee_id  TEXT NOT NULL REFERENCES people(id),
    mentor_id  TEXT NOT NULL REFERENCES people(id),
    set_by     TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    ended_by   TEXT,
    CHECK (mentee_id <> mentor_id)
);
CREATE UNIQUE INDEX mentorships_current ON mentorships (mentee_id) WHERE ended_at IS NULL;
CREATE INDEX mentorships_mentor ON mentorships (mentor_id) WHERE ended_at IS NULL;

-- A note a mentor (the quarter's IDO mentor or a standing mentor) adds about the mentee's IDO
-- for a quarter. Kept by person and quarter, not by IDO, so a note never depends on (or
-- reveals) whether an IDO exists. Visible to the mentee, their chain and its author.
CREATE TABLE mentor_notes (
    id         BIGSERIAL PRIMARY KEY,
    mentee_id  TEXT NOT NULL REFERENCES people(id),
    quarter    TEXT NOT NULL,
    author_id  TEXT NOT NULL REFERENCES people(id),
    note       TEXT NOT NULL,
    noted_on   TEXT NOT NULL,                       -- YYYY-MM-DD, the mentee's calendar
    created_at BIGINT NOT NULL
);
CREATE INDEX mentor_notes_mentee ON mentor_notes (mentee_id, quarter, created_at);

-- The performance factor of the quarterly review (GitLab handbook): one per person per
-- quarter, recorded by their manager chain; re-recording replaces it (the audit log keeps
-- what it was).
CREATE TABLE performance_factors (
    person_id   TEXT NOT NULL REFERENCES people(id),
    quarter     TEXT NOT NULL,
    factor      TEXT NOT NULL CHECK (factor IN ('developing', 'performing', 'exceeding')),
    note        TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES people(id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, quarter)
);
