#!/usr/bin/env bash
# The code habits CI holds every change to (README "Code habits"):
#   1. every tracked C++ file is formatted as .clang-format says (the whole tree, a few seconds);
#   2. clang-tidy (.clang-tidy) reports nothing in the C++ files changed since the commit named in
#      .ci/tidy-base (the last one that landed; move it forward when a change lands), or since
#      $CAREERBOT_TIDY_BASE when set.
# Needs a configured build with compile_commands.json in ${BUILD_DIR:-build} (deploy/build.sh
# writes one). Exit status 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash deploy/install-deps.sh

status=0
mapfile -t all < <(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run --Werror "${all[@]}" 2>/tmp/careerbot-format.log; then
  { grep -E '^[^ ].*: (error|warning):' /tmp/careerbot-format.log || true; } | cut -d: -f1 |
    sort -u | sed 's/^/not formatted: /'
  echo "Run: clang-format -i <file> (or git ls-files '*.cpp' '*.hpp' | xargs clang-format -i)"
  status=1
else
  echo "clang-format: ${#all[@]} files formatted"
fi

base=${CAREERBOT_TIDY_BASE:-$(tr -d '[:space:]' < .ci/tidy-base)}
if git cat-file -e "${base}^{commit}" 2>/dev/null; then
  list=(git diff --name-only --diff-filter=AMR "$base" HEAD --)
else
  # A shallow clone without that commit: check every source file rather than none.
  echo "clang-tidy: base commit ${base} not in this clone; checking every source file"
  list=(git ls-files --)
fi
# Translation units only (headers are checked through them, see HeaderFilterRegex), and only
# those the build knows: generated or deleted files are skipped.
mapfile -t changed < <("${list[@]}" 'src/*.cpp' 'commands/*.cpp' 'storage/*.cpp' |
  while read -r f; do
    grep -q "\"file\": \"$(pwd)/$f\"" "$BUILD_DIR/compile_commands.json" && echo "$f"; done)
if [ ${#changed[@]} -eq 0 ]; then
  echo "clang-tidy: no source file changed since ${base:0:12}"
else
  echo "clang-tidy: ${#changed[@]} files changed since ${base:0:12}"
  if ! run-clang-tidy -p "$BUILD_DIR" -j"${JOBS:-2}" -quiet "${changed[@]/#/$(pwd)/}" \
        >/tmp/careerbot-tidy.log 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' /tmp/careerbot-tidy.log | grep -E '(warning|error):' | sort -u || true
    echo "clang-tidy found the above (full log: /tmp/careerbot-tidy.log)"
    status=1
  fi
fi
exit $status
