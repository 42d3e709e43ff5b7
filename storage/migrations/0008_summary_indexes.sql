-- The quarter summary of a whole org (benchmark B4) reads each kind of record for every member
-- through one index range per person, from the index alone. SQLite (3.40) counts a partial index
-- as covering only when the columns of its WHERE clause are also index columns, so the partial
-- brag index of 0006 sent every row back to the table to check `deleted_at`; the task index of
-- 0006 lacked `due_on`. These replace them.

-- Live brags by author and date, covering the counts, the 70-20-10 mix, the chart and the
-- evidence join (the rowid is the brag id); `number` breaks ties for the top brag.
DROP INDEX IF EXISTS brags_author_live_date;
CREATE INDEX brags_author_day ON brags(author_id, deleted_at, happened_on, number, growth);

-- The most impactful brag (see top_brag_rule()): the newest live brag that has an impact is one
-- step from the end of its author's range here, which holds only the brags with an impact.
CREATE INDEX brags_author_impact ON brags(author_id, happened_on, number)
    WHERE deleted_at IS NULL AND impact <> '';

-- Tasks done in a period and open tasks overdue, per assignee, from the index alone.
DROP INDEX IF EXISTS tasks_assignee_done;
CREATE INDEX tasks_assignee_done_due ON tasks(assignee_id, done_at, due_on);
