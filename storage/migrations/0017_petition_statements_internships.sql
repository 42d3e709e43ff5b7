-- Promotion petitions with a statement, and internships for learning (issue #16).
--
-- A petition carries the person's statement ("why now"), and the director records the outcome
-- of the quarterly discussion with a note. "Not yet" is stored as the status 'declined' that
-- 0006 already allows, so the petitions table keeps its CHECK and is not rebuilt.
ALTER TABLE petitions ADD COLUMN statement TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
