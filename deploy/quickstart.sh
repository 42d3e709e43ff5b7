#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running careerbot:
# installs the packages, builds, then runs the bot — connected to Slack when SLACK_BOT_TOKEN
# and SLACK_APP_TOKEN are set, otherwise in console mode on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh -DCAREERBOT_TESTS=OFF
BIN=build/careerbot
if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -n "${SLACK_APP_TOKEN:-}" ]; then
  exec "$BIN" run "$@"
fi
ME=${CAREERBOT_AS:-${USER:-me}}
cat <<MSG

careerbot is built. No SLACK_BOT_TOKEN/SLACK_APP_TOKEN in the environment, so here is the
console: the same commands as in Slack, on the database ${CAREERBOT_DB:-careerbot.db}.
You are @$ME (set CAREERBOT_AS=name to be someone else). Try:
  /brag shipped the billing migration #infra impact: cut p99 by 40%
  /brag yesterday paired with @bob on the flaky tests
  /brag list
  /brag export md
  /brag help
Type quit (or Ctrl-D) to leave.

MSG
exec "$BIN" --db "${CAREERBOT_DB:-careerbot.db}" "$@" console --as "$ME"
