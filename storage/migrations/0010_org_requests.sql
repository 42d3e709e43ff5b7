-- Reporting lines that need consent (issue #12, "Who may change the org chart"). A manager who
-- is not an admin cannot give themselves (or anyone) visibility over a person's career data:
-- `/team add` stores a request here, and the line is drawn only when the person it concerns
-- accepts, or — when that person has reports of their own, whose records would become visible
-- too — when an admin approves. Rows are never deleted: with the audit log they are the history
-- of who asked, who answered and when.
CREATE TABLE org_requests (
    id            INTEGER PRIMARY KEY,
    requester_id  TEXT NOT NULL,                -- who asked (Slack id or console handle)
    subject_id    TEXT NOT NULL,                -- whose manager would change
    manager_id    TEXT NOT NULL,                -- the manager they would report to
    from_manager  TEXT,                         -- their manager when asked (stale if it changed)
    needs_admin   INTEGER NOT NULL DEFAULT 0,   -- 1: the subject has reports; an admin decides
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'accepted', 'approved', 'declined', 'withdrawn',
                                    'superseded')),
    created_at    INTEGER NOT NULL,             -- unix seconds
    decided_by    TEXT,                         -- who accepted, approved or declined
    decided_at    INTEGER,
    CHECK (subject_id <> manager_id)
);
CREATE INDEX org_requests_subject ON org_requests(subject_id) WHERE status = 'pending';
