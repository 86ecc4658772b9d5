#!/usr/bin/env bash
# A private PostgreSQL cluster under a folder of this repository (never the machine's own cluster).
# Sourced by run.sh and test.sh. Usage: pg_cluster_start DIR PORT (exports PGPASSWORD) ; pg_cluster_stop DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as the "postgres" system user.

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_ensure_installed() {
  if pg_bin_dir >/dev/null; then return 0; fi
  if [ "$(id -u)" = "0" ]; then
    echo "Installing PostgreSQL from Debian's packages..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # The package starts the machine's own cluster; we never use it.
  else
    echo "PostgreSQL is not installed: run as root once, or: sudo apt-get install postgresql" >&2
    return 1
  fi
}

pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cluster_start() {
  local dir="$1" port="$2" bin
  bin="$(pg_bin_dir)" || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; fi
  # A random superuser password, kept beside the cluster (git-ignored), never committed.
  if [ ! -f "$dir.password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir.password")
  fi
  export PGPASSWORD; PGPASSWORD="$(cat "$dir.password")"
  if [ ! -f "$dir/PG_VERSION" ]; then
    local pwfile; pwfile="$(mktemp)"; cp "$dir.password" "$pwfile"; chmod 644 "$pwfile"
    pg_as_owner "$bin/initdb" -D "$dir" -U vendorportal --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
      || { rm -f "$pwfile"; echo "initdb failed" >&2; return 1; }
    rm -f "$pwfile"
    cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
CONF
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then return 0; fi
  pg_as_owner "$bin/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { echo "PostgreSQL did not start; see $dir/server.log" >&2; tail -n 20 "$dir/server.log" >&2; return 1; }
}

pg_cluster_stop() {
  local dir="$1" bin
  bin="$(pg_bin_dir)" || return 0
  [ -f "$dir/PG_VERSION" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

pg_create_db() {
  local port="$1" name="$2" bin
  bin="$(pg_bin_dir)"
  "$bin/psql" -h 127.0.0.1 -p "$port" -U vendorportal -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || "$bin/createdb" -h 127.0.0.1 -p "$port" -U vendorportal "$name"
}
