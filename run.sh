#!/usr/bin/env bash
# Runs VendorPortal with demo data on http://127.0.0.1:${PORT:-5080}.
# Installs PostgreSQL from Debian's packages if missing (as root), starts a private cluster under .data/
# (or uses ConnectionStrings__Default if set), applies migrations, loads demo data once, and serves.
# Ctrl-C stops the portal and the cluster.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
PORT="${PORT:-5080}"
PG_PORT="${VP_PG_PORT:-5433}"
mkdir -p .data/outbox
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

STARTED_PG=""
if [ -z "${ConnectionStrings__Default:-}" ]; then
  pg_ensure_installed
  pg_cluster_start "$ROOT/.data/pg" "$PG_PORT"
  STARTED_PG=1
  pg_create_db "$PG_PORT" vendorportal
  export ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Database=vendorportal;Username=vendorportal;Password=$PGPASSWORD"
fi

if ! dotnet build src/VendorPortal.Web/VendorPortal.Web.csproj -c Release -nologo -v q > .data/build.log 2>&1; then
  cat .data/build.log >&2
  [ -n "$STARTED_PG" ] && pg_cluster_stop "$ROOT/.data/pg"
  exit 1
fi

APP_PID=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    # Background jobs of a script ignore SIGINT; the host shuts down gracefully on SIGTERM.
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  [ -n "$STARTED_PG" ] && pg_cluster_stop "$ROOT/.data/pg"
  echo "VendorPortal stopped."
}
trap cleanup INT TERM EXIT

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Account__PublicBaseUrl="http://127.0.0.1:$PORT"
export Email__OutboxPath="$ROOT/.data/outbox"
export Inspection__BundleDirectory="${Inspection__BundleDirectory:-$ROOT/.data/inspection-bundles}"
export Seed__DemoData=true
export Seed__DemoDataPath="$ROOT/seed-data/demo.json"
dotnet src/VendorPortal.Web/bin/Release/net10.0/VendorPortal.Web.dll --contentRoot "$ROOT/src/VendorPortal.Web" --urls "http://127.0.0.1:$PORT" > .data/portal.log 2>&1 &
APP_PID=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "The portal did not start; last lines of .data/portal.log:" >&2
    tail -n 30 .data/portal.log >&2
    exit 1
  fi
  sleep 1
done

echo "VendorPortal: http://127.0.0.1:$PORT  —  demo sign-ins (password Demo-Portal-2026!): vendor admin@emr-vendor.example, hospital admin@chuo-hospital.example, all roles in README.md  —  Ctrl-C stops"
wait "$APP_PID"
