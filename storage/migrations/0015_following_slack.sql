-- Following Slack (issue #16): a Slack status that says "away" pauses nudges like `/away`, and
-- profiles (names, time zone) are refreshed periodically.
--
-- An absence made from a Slack status is an `away_periods` row with source 'slack_status'; the
-- status that made it is kept for `/away list`. Status changes touch only those rows, never the
-- ones typed with `/away`. A status with no expiration lasts until it is cleared: its `to_on`
-- is '9999-12-31' until then.
ALTER TABLE away_periods ADD COLUMN source TEXT NOT NULL DEFAULT 'command'
    CHECK (source IN ('command', 'slack_status'));
ALTER TABLE away_periods ADD COLUMN status TEXT NOT NULL DEFAULT '';  -- ":palm_tree: Vacationing"

-- When Slack last told careerbot this person's profile (users.info or user_change): the daily
-- refresh asks again about those not heard of for `[slack_status] profile_refresh_days`.
ALTER TABLE people ADD COLUMN profile_checked_at INTEGER;
CREATE INDEX people_profile_checked ON people(profile_checked_at);
