#!/usr/bin/env bash
# Runs a test binary with CAREERBOT_TEST_DATABASE_URL pointing at a throwaway PostgreSQL
# cluster on 127.0.0.1 (deploy/pg-test-cluster.sh: initdb + pg_ctl in a temporary directory, as
# an unprivileged user; no system service), then stops and removes the cluster.
#   tests/run-on-postgresql.sh build/tests/unit_tests [catch2 arguments...]
# The unit tests' TestApp (tests/unit/fixture.hpp) then gives each test a fresh schema there.
# The cluster runs with fsync off: these tests check behaviour, not the server's disk (the
# benchmarks and the several-instances tests keep it on).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/careerbot-pg.XXXXXX)
cleanup() {
  "$here/deploy/pg-test-cluster.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
url=""
for _ in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  if url=$(PG_TEST_FSYNC=off "$here/deploy/pg-test-cluster.sh" start "$dir" "$port" 2>"$dir.err"); then
    break
  fi
  url=""
done
if [ -z "$url" ]; then
  cat "$dir.err" >&2
  rm -f "$dir.err"
  exit 1
fi
rm -f "$dir.err"
CAREERBOT_TEST_DATABASE_URL="$url" "$@"
