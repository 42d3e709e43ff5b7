-- Tags in the order the person typed them (issue #12): the brag document files a brag under
-- its first tag, and the CSV and JSON exports list the tags as typed. WITHOUT ROWID keeps no
-- insertion order, so the position is stored. Tags stored before this all have position 0 and
-- keep the alphabetical order they were always read in.
ALTER TABLE brag_tags ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
