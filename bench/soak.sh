#!/usr/bin/env bash
# The soak of B3 (shared/BENCHMARKS.md): 1,000,000 /brag envelopes through the in-repo Slack
# test server at the real bot (Release build), RSS sampled every 100,000 envelopes; one JSON
# line per sample and the B1/B2/B3 lines. Bounded: the run stops after the million (a few
# minutes on two cores) or when acks stall for 30 s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BENCH_BUILD_DIR:-$root/build-bench}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAREERBOT_BENCH=ON \
      -DCAREERBOT_TESTS=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target careerbot bench_slack >/dev/null
exec "$build/bench/bench_slack" --soak-million "$@"
