#!/usr/bin/env bash
# The whole test suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer (GCC).
# Any sanitizer report fails the run: UBSan is made fatal, ASan is fatal by nature, and the
# bots started by the e2e tests are instrumented too (their reports end up in their logs and
# in a non-zero exit, which the tests check).
#   deploy/test-sanitizers.sh          build in build-asan and run ctest
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
# -O1 keeps the instrumented suite fast enough; frame pointers give readable reports, and line
# tables (-g1, about 30% quicker to compile than -g) give their file:line.
BUILD_TYPE=RelWithDebInfo bash deploy/build.sh -DCAREERBOT_SANITIZE=ON -DCAREERBOT_TESTS=ON \
    -DCAREERBOT_WERROR=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}
# fontconfig (loaded with Cairo for charts) keeps a process-lifetime cache LeakSanitizer reports.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD_DIR"
ctest --output-on-failure -j"${JOBS:-2}" --timeout 400
