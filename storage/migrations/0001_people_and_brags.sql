-- People: everyone careerbot knows, keyed by Slack user id, with their place in the org chart.
CREATE TABLE people (
    id          TEXT PRIMARY KEY,            -- Slack user id (U…); console handles in console mode
    name        TEXT NOT NULL,               -- display handle, refreshed from users.info
    real_name   TEXT NOT NULL DEFAULT '',
    tz          TEXT,                        -- IANA zone from Slack's `tz`; NULL = config default
    manager_id  TEXT REFERENCES people(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,            -- unix seconds
    updated_at  INTEGER NOT NULL,
    CHECK (manager_id IS NULL OR manager_id <> id)
);
CREATE INDEX people_manager ON people(manager_id);
CREATE INDEX people_name ON people(name);

-- Brags: the accomplishment log. `number` counts per author, so `/brag edit 3` always means
-- the author's own third brag and never reveals anything about other people's records.
CREATE TABLE brags (
    id          INTEGER PRIMARY KEY,
    author_id   TEXT NOT NULL REFERENCES people(id),
    number      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    impact      TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    happened_on TEXT NOT NULL,               -- YYYY-MM-DD in the author's time zone
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    source      TEXT NOT NULL DEFAULT 'slack',  -- slack, console, import
    deleted_at  INTEGER,                     -- soft delete; NULL while the brag is live
    UNIQUE (author_id, number)
);
CREATE INDEX brags_author_date ON brags(author_id, happened_on);

CREATE TABLE brag_tags (
    brag_id INTEGER NOT NULL REFERENCES brags(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (brag_id, tag)
) WITHOUT ROWID;
CREATE INDEX brag_tags_tag ON brag_tags(tag);
