#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, on 127.0.0.1 only, owned by an unprivileged user
# (initdb refuses root): no system service, nothing outside DIR.
#   deploy/pg-test-cluster.sh start DIR [PORT]   initdb (first time) + pg_ctl start; prints the URL
#   deploy/pg-test-cluster.sh stop DIR           pg_ctl stop -m fast (the files stay until rm -rf)
#   deploy/pg-test-cluster.sh url DIR            the URL of a started cluster
# Uses Debian's postgresql package (deploy/install-deps.sh installs it). As root, the cluster
# runs as the system user `careerbot-pg`, created on first use.
# PG_TEST_FSYNC=off skips the server's flushes, for suites that test logic, not durability
# (tests/run-on-postgresql.sh); the default (on) is what benchmarks and crash tests need.
set -euo pipefail
cmd=${1:?usage: pg-test-cluster.sh start|stop|url DIR [PORT]}
dir=$(realpath -m "${2:?cluster directory}")
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found; run deploy/install-deps.sh" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u careerbot-pg -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    if [ "$(id -u)" -eq 0 ] && ! id careerbot-pg >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin careerbot-pg
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown careerbot-pg "$dir"
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U careerbot --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Sockets in DIR (not /var/run/postgresql, which needs root); TCP on loopback only.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PG_TEST_FSYNC:-on} -c max_connections=200" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgresql://careerbot@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  url)
    echo "postgresql://careerbot@127.0.0.1:$(cat "$dir/port")/postgres"
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
