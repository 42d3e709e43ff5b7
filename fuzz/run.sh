#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a while on a copy of the committed
# seed corpus. Exits non-zero when any fuzzer finds a crash (or fails to build or start).
#
#   fuzz/run.sh [seconds]        default 60 seconds per target (what CI runs)
#   FUZZ_BUILD_DIR=dir           build directory (default build-fuzz)
#   FUZZ_TARGETS="fuzz_envelope" only these targets (default: all three)
#   FUZZ_JOBS=N                  parallel build jobs (default 2)
#
# Crashing inputs are copied to $FUZZ_BUILD_DIR/fuzz-artifacts/<target>/; keep each as a
# regression test under fuzz/regressions/<target>/ (see fuzz/README.md).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-60}
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${FUZZ_JOBS:-2}
read -r -a TARGETS <<<"${FUZZ_TARGETS:-fuzz_envelope fuzz_command_text fuzz_csv_import}"

if ! [[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_TARGET" -lt 1 ]; then
  echo "usage: fuzz/run.sh [seconds per target]" >&2
  exit 2
fi

# --- packages: the project's build dependencies plus clang and its sanitizer runtimes ---------
bash deploy/install-deps.sh
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
missing=()
for p in "${FUZZ_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Fresh images ship without package lists; refresh them once when they are absent or stale
  # (the same test as deploy/install-deps.sh).
  # shellcheck disable=SC2010,SC2143
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ] \
     || ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# --- build ------------------------------------------------------------------------------------
# A separate build directory: the sanitizer and coverage flags must not leak into the GCC build.
# Line tables only (-gline-tables-only, see fuzz/CMakeLists.txt): crash reports keep file:line.
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only -DNDEBUG" \
  -DCAREERBOT_FUZZ=ON -DCAREERBOT_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target "${TARGETS[@]}"

# --- run --------------------------------------------------------------------------------------
# Slack slash-command and message texts reach 40 KB (SPEC "Bad input"), so text-shaped inputs
# may be 64 KiB; an org chart CSV of a few thousand people fits in 256 KiB.
max_len_of() {
  case "$1" in
    fuzz_csv_import) echo 262144 ;;
    *) echo 65536 ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}

ARTIFACTS="$BUILD_DIR/fuzz-artifacts"
status=0
for t in "${TARGETS[@]}"; do
  name=${t#fuzz_}
  bin="$BUILD_DIR/fuzz/$t"
  # Work on a copy: what libFuzzer adds to its corpus stays out of the committed seeds.
  work=$(mktemp -d "${TMPDIR:-/tmp}/careerbot-$name.XXXXXX")
  cp -R "$ROOT/fuzz/corpus/$name/." "$work/"
  mkdir -p "$ARTIFACTS/$name"
  # Past findings are read too (libFuzzer only ever writes to the first directory), so a
  # regression fails the run at once.
  extra=()
  if [ -d "$ROOT/fuzz/regressions/$name" ]; then extra=("$ROOT/fuzz/regressions/$name"); fi
  dict=()
  if [ -f "$ROOT/fuzz/dict/$name.dict" ]; then dict=(-dict="$ROOT/fuzz/dict/$name.dict"); fi
  echo "=== $t: ${SECONDS_PER_TARGET}s on $(find "$work" -type f | wc -l) seeds"
  log="$ARTIFACTS/$name/fuzz.log"
  # -timeout: one input taking this long is reported as a hang. -rss_limit_mb: a runaway
  # allocation is a finding too.
  # The harness keeps its SQLite file in $TMPDIR; libFuzzer exits without running destructors,
  # so give each run its own directory and remove it afterwards.
  dbtmp=$(mktemp -d "${TMPDIR:-/tmp}/careerbot-$name-db.XXXXXX")
  if TMPDIR="$dbtmp" "$bin" "$work" "${extra[@]}" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" \
       -max_len="$(max_len_of "$t")" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
       -artifact_prefix="$ARTIFACTS/$name/" >"$log" 2>&1; then
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  else
    status=1
    echo "!!! $t found a problem; the input is in $ARTIFACTS/$name/ (crash-*, timeout-*, oom-*)"
    tail -n 60 "$log"
  fi
  rm -rf "$work" "$dbtmp"
done
exit $status
