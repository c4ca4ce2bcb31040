#!/usr/bin/env bash
# A private PostgreSQL cluster for this checkout, under .data/postgres (git-ignored).
#
#   scripts/postgres.sh start   install PostgreSQL if missing, create the cluster once, start it, create the database
#   scripts/postgres.sh stop    stop it
#   scripts/postgres.sh url [DB]      print the administrator's connection string (to DB, default croydon_audit)
#   scripts/postgres.sh service-url   print the service's connection string: croydon_audit, granted only what it uses
#   scripts/postgres.sh owner-url     print the tables' owner's connection string, for migrations only
#   scripts/postgres.sh recreate DB   drop and create an empty database DB (for benchmarks)
#
# The cluster listens on 127.0.0.1 only, port $CROYDON_PG_PORT (default 55432), keeps its data in
# $CROYDON_PG_DATA (default .data/postgres), and trusts local connections: it is a developer's and CI's
# database, holds no secrets, and no password is stored. ./test.sh runs a second cluster of its own
# (port 55433, .data/postgres-test), so tests never restart the one ./run.sh serves from.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${CROYDON_PG_DATA:-$root/.data/postgres}"
port="${CROYDON_PG_PORT:-55432}"
database="croydon_audit"
url() { echo "Host=127.0.0.1;Port=$port;Username=${2:-postgres};Database=${1:-$database}"; }
# Commits stay durable (synchronous_commit on); fewer checkpoints mean fewer full-page images in the WAL.
# CROYDON_PG_SHARED_BUFFERS (512MB) sets PostgreSQL's cache when the cluster starts (e.g. 4GB to hold a million revisions).
tuning="-c shared_buffers=${CROYDON_PG_SHARED_BUFFERS:-512MB} -c wal_buffers=32MB -c max_wal_size=4GB -c checkpoint_timeout=15min"

say() { echo "postgres: $*" >&2; }

bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_postgres() {
  say "PostgreSQL is not installed; installing it from the distribution's packages"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install PostgreSQL: apt-get install postgresql"; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

# initdb and postgres refuse to run as root: as root, the cluster belongs to the 'postgres' user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

start() {
  local bin
  bin="$(bin_dir)" || { install_postgres; bin="$(bin_dir)"; }
  mkdir -p "$root/.data"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$root/.data"; then
    # The checkout is not reachable by the postgres user (e.g. under /root): keep the cluster where
    # it is, and point .data/postgres at it.
    local outside="/var/lib/croydon-audit/$(echo "$data" | md5sum | cut -c1-12)"
    mkdir -p "$outside" && chown postgres: "$outside"
    [ -L "$data" ] || ln -s "$outside" "$data"
  fi
  mkdir -p "$data"
  local pgdata
  pgdata="$(readlink -f "$data")"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    say "creating a cluster in $data"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$pgdata"
    chmod 700 "$pgdata"
    as_owner "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      say "port $port is taken by another PostgreSQL (another checkout's cluster?): stop it, or set CROYDON_PG_PORT"
      exit 1
    fi
    say "starting on 127.0.0.1:$port"
    as_owner "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$pgdata' -c max_connections=200 $tuning" start >/dev/null
  fi
  # The database, its owner and the service's role, as a deployment has them (deploy/database-roles.sql); no
  # passwords: the cluster trusts local connections.
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v database="$database" -v owner_password= \
    -v service_password= -f "$root/deploy/database-roles.sql" >/dev/null
}

recreate() {
  local bin
  bin="$(bin_dir)"
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
}

stop() {
  local bin
  bin="$(bin_dir)" || exit 0
  [ -s "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$(readlink -f "$data")" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) url "${2:-}" ;;
  service-url) url "$database" croydon_audit ;;
  owner-url) url "$database" croydon_audit_owner ;;
  recreate) [ -n "${2:-}" ] || { echo "usage: $0 recreate DATABASE" >&2; exit 2; }; recreate "$2" ;;
  *) echo "usage: $0 start|stop|url [DATABASE]|service-url|owner-url|recreate DATABASE" >&2; exit 2 ;;
esac
