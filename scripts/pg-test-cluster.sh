#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#   bash scripts/pg-test-cluster.sh <command> [args...]
# initdb in a temp folder, the server on a free loopback port with its unix socket in that folder,
# MODU_TEST_PG=postgres://... exported to the command, and everything stopped and removed afterwards
# (even when the command fails or is interrupted). PostgreSQL refuses to run as root, so as root the
# cluster runs as the system user modu-pg (created when missing).
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && PG_BIN="$candidate"
  done
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "pg-test-cluster: no PostgreSQL server binaries found (set PG_BIN, or install postgresql-15)" >&2
  exit 1
fi
if [[ $# -eq 0 ]]; then
  echo "usage: bash scripts/pg-test-cluster.sh <command> [args...]" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/modu-pg-XXXXXX")"
chmod 755 "$work"
run_as=()
if [[ "$(id -u)" -eq 0 ]]; then
  id -u modu-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin modu-pg
  chown modu-pg "$work"
  run_as=(runuser -u modu-pg --)
fi

stop_cluster() {
  if [[ -f "$work/data/postmaster.pid" ]]; then
    "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

port="$(node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
"${run_as[@]}" "$PG_BIN/initdb" -D "$work/data" -U modu --auth=trust --encoding=UTF8 --no-instructions \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
# fsync off for a disposable test cluster on a shared 2-core machine; MODU_PG_DURABLE=1 keeps PostgreSQL's
# durable defaults (benchmarks compare it with a folder registry that fsyncs).
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ "${MODU_PG_DURABLE:-}" == "1" ]] && durability=""
"${run_as[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work $durability -c max_connections=200 -c shared_buffers=64MB" \
  start >/dev/null || { cat "$work/server.log" >&2; exit 1; }

export MODU_TEST_PG="postgres://modu@127.0.0.1:$port/postgres"
echo "pg-test-cluster: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $MODU_TEST_PG" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
