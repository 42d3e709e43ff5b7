#!/usr/bin/env bash
# Builds careerbot and its benchmarks in Release and runs them; one JSON line per result.
#   bench/run.sh                 B1, B2, B3 with a 100,000-envelope soak, B7 (B1 and B2 again on
#                                a throwaway PostgreSQL on 127.0.0.1), then B4, B5 and B6
#   BENCH_SOAK=1 bench/run.sh    B3 over the full 1,000,000 envelopes (several minutes)
#   BENCH_PG=0 bench/run.sh      without B7 (no PostgreSQL cluster)
#   BENCH_BUILD_DIR=… JOBS=…     where to build and how many compile jobs
#   BENCH_DATA_DIR=…             where B6 keeps its 1 GB database (default $build/bench-data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
jobs="${JOBS:-2}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAREERBOT_BENCH=ON \
      -DCAREERBOT_TESTS=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target careerbot bench_slack bench_summary bench_scheduler \
      bench_startup \
      >/dev/null

# The bot refuses to start without a career ladder; the benchmarks use the example one.
export CAREERBOT_LEVELS="$root/config/levels.example.toml"
args=()
if [[ "${BENCH_SOAK:-0}" == "1" ]]; then args+=(--soak-million); fi
# B7: a throwaway PostgreSQL cluster on loopback (deploy/pg-test-cluster.sh), removed at exit.
if [[ "${BENCH_PG:-1}" == "1" ]]; then
  pg_dir="$(mktemp -d /tmp/careerbot-bench-pg.XXXXXX)"
  pg_port="${BENCH_PG_PORT:-55499}"
  trap '"$root/deploy/pg-test-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
  pg_url="$("$root/deploy/pg-test-cluster.sh" start "$pg_dir" "$pg_port")"
  args+=(--database-url "$pg_url")
fi
# A benchmark that misses its target exits 1; the others still run, and so does this script.
status=0
"$build/bench/bench_slack" "${args[@]}" "$@" || status=1
"$build/bench/bench_summary" || status=1
"$build/bench/bench_scheduler" || status=1
"$build/bench/bench_startup" || status=1
exit $status
