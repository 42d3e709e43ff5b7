#!/usr/bin/env bash
# Builds careerbot and its benchmarks in Release and runs them; one JSON line per result.
#   bench/run.sh                 B1, B2, B3 with a 100,000-envelope soak, then B4 and B5
#   BENCH_SOAK=1 bench/run.sh    B3 over the full 1,000,000 envelopes (several minutes)
#   BENCH_BUILD_DIR=… JOBS=…     where to build and how many compile jobs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
jobs="${JOBS:-2}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAREERBOT_BENCH=ON \
      -DCAREERBOT_TESTS=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target careerbot bench_slack bench_summary bench_scheduler \
      >/dev/null

# The bot refuses to start without a career ladder; the benchmarks use the example one.
export CAREERBOT_LEVELS="$root/config/levels.example.toml"
args=()
if [[ "${BENCH_SOAK:-0}" == "1" ]]; then args+=(--soak-million); fi
"$build/bench/bench_slack" "${args[@]}" "$@"
"$build/bench/bench_summary"
"$build/bench/bench_scheduler"
