#!/usr/bin/env bash
# Crash consistency by hand: builds careerbot and the driver, then SIGKILLs the bot under /brag
# load (default 50 times) and checks that every acked brag is stored exactly once.
#   tests/crash/run.sh [--kills N] [--seed N] [--max-run-ms MS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCAREERBOT_TESTS=ON >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target careerbot crash_consistency >/dev/null
"$build/tests/crash/crash_consistency" "$@"
