-- brags_author_date (author_id, happened_on) of 0001 has served no query since 0008: every read
-- of brags filters on `deleted_at IS NULL` and uses brags_author_day, brags_author_impact or the
-- (author_id, number) key. Each index is one more b-tree insert per /brag, the hottest write.
DROP INDEX IF EXISTS brags_author_date;
