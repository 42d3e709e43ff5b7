-- Career levels: each person's current level id from config/levels.toml ("L3"); NULL until a
-- manager or an admin sets it with `/promo level @person L3`.
ALTER TABLE people ADD COLUMN level TEXT;

-- Training and certifications a person completed (`/cert add`); promotion readiness checks
-- them against the levels' requirements. `number` counts per person, like brags.
CREATE TABLE certs (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people(id),
    number      INTEGER NOT NULL,
    name        TEXT NOT NULL,
    earned_on   TEXT NOT NULL,                       -- YYYY-MM-DD
    link        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,                    -- unix seconds
    UNIQUE (person_id, number)
);

-- Promotion petitions: the evidence packet as it was compiled, who it went to, and its state.
-- At most one open petition per person, so the director never sees two for the same step.
CREATE TABLE petitions (
    id           INTEGER PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people(id),
    from_level   TEXT,                               -- the level when petitioning, if known
    target_level TEXT NOT NULL,
    director_id  TEXT NOT NULL REFERENCES people(id), -- who received it
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'withdrawn', 'approved', 'declined')),
    packet       TEXT NOT NULL,                      -- Markdown evidence packet
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    closed_by    TEXT REFERENCES people(id)
);
CREATE UNIQUE INDEX petitions_one_open ON petitions(person_id) WHERE status = 'open';
CREATE INDEX petitions_person ON petitions(person_id, created_at);

-- The quarter summary counts over a whole org at once: these let each per-kind GROUP BY read
-- only index pages (live brags by date, feedback by time, tasks by completion).
CREATE INDEX brags_author_live_date ON brags(author_id, happened_on, growth)
    WHERE deleted_at IS NULL;
CREATE INDEX tasks_assignee_done ON tasks(assignee_id, done_at);
