#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for the integration tests (test/integration) on a unix socket
# and a loopback port, as the `postgres` user (initdb refuses root), in INITAUDIT_PG_DIR (default
# /tmp/initaudit-pg), and prints the connection URL. Idempotent: a cluster already running there is
# reused; otherwise the first free port from INITAUDIT_PG_PORT (default 55432) on is taken.
#   eval "$(scripts/ci/start-postgres.sh --export)"   # sets INITAUDIT_TEST_PG and INITAUDIT_PG_DIR
#   scripts/ci/start-postgres.sh --stop
set -euo pipefail

DIR="${INITAUDIT_PG_DIR:-/tmp/initaudit-pg}"

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "start-postgres: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DIR"; fi
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if as_postgres "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1 && [ -f "$DIR/port" ]; then
  PORT="$(cat "$DIR/port")"
else
  PORT="${INITAUDIT_PG_PORT:-55432}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off" start >/dev/null
  echo "$PORT" > "$DIR/port"
fi
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
if [ "${1:-}" = "--export" ]; then
  echo "export INITAUDIT_TEST_PG=$URL INITAUDIT_PG_DIR=$DIR"
else
  echo "$URL"
fi
