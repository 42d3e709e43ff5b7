-- The audit log: who read whose career data outside their own records (security review,
-- issue #7). One row per read: a /quarter-summary (one row for the whole org, not one per
-- person), a /brag export, a /brag list of someone else, a promotion packet compiled by
-- /promo petition, and `careerbot export` on the command line. Append-only; nothing in
-- careerbot updates or deletes these rows.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,           -- unix seconds
    actor    TEXT NOT NULL,              -- Slack user id, or "cli:<os user>" for the CLI
    action   TEXT NOT NULL,              -- quarter_summary, brag_export, brag_list,
                                         -- promo_packet, cli_export
    subject  TEXT NOT NULL,              -- whose data: a person id, or "all" for an org
    scope    TEXT NOT NULL DEFAULT '',   -- what was covered: "person", "org:<root id>", …
    detail   TEXT NOT NULL DEFAULT ''    -- quarter, format, recipient: free text for people
);
-- `careerbot audit --subject U` and `--actor U` read newest first from these; plain
-- `careerbot audit [--since]` reads by time.
CREATE INDEX audit_log_subject_at ON audit_log(subject, at);
CREATE INDEX audit_log_actor_at ON audit_log(actor, at);
CREATE INDEX audit_log_at ON audit_log(at);
