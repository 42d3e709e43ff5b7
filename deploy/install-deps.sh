#!/usr/bin/env bash
# Installs the Debian 12 packages careerbot builds and tests with.
# Idempotent: when every package is already installed it returns in well under a second.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev catch2
  libboost-dev libboost-system-dev libssl-dev ca-certificates libcurl4-openssl-dev
  libhowardhinnant-date-dev libcli11-dev libtomlplusplus-dev tzdata python3
  libcairo2-dev clang-format clang-tidy libpq-dev postgresql
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Fresh images ship without package lists; refresh them once when they are absent or stale.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ] \
   || ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
