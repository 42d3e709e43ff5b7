-- Every 1:1 occurrence skipped on purpose (`/1on1 skip`). `one_on_ones.skip_until` only
-- remembers the latest skip, but the 1:1 preparation must know which past occurrences actually
-- took place: "brags since the last 1:1" starts at the last one that was not skipped.
CREATE TABLE one_on_one_skips (
    schedule_id  INTEGER NOT NULL REFERENCES one_on_ones(id),
    occurs_at    INTEGER NOT NULL,              -- the skipped occurrence (unix s)
    skipped_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (schedule_id, occurs_at)
) WITHOUT ROWID;
-- The skips made before this table existed: the latest one of each cadence, and every
-- occurrence whose reminder was skipped for that reason.
INSERT OR IGNORE INTO one_on_one_skips (schedule_id, occurs_at, skipped_by, created_at)
    SELECT id, skip_until, manager_id, updated_at FROM one_on_ones WHERE skip_until IS NOT NULL;
INSERT OR IGNORE INTO one_on_one_skips (schedule_id, occurs_at, skipped_by, created_at)
    SELECT r.ref_id, r.occurs_at, s.manager_id, r.updated_at FROM reminders r
    JOIN one_on_ones s ON s.id = r.ref_id
    WHERE r.kind = 'one_on_one' AND r.state = 'skipped' AND r.reason = 'skip'
    AND r.occurs_at IS NOT NULL;
-- Every cadence a pair has had, cancelled ones too (the preparation walks their history): the
-- pair indexes of 0005 cover running cadences only.
CREATE INDEX one_on_ones_pair ON one_on_ones(manager_id, report_id, created_at);
