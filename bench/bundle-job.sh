#!/usr/bin/env bash
# The inspection bundle's export JOB inside a running portal, on the data set bench/bundle.sh left behind
# (run `BENCH_KEEP_DATA=1 bench/bundle.sh` or `bench/bundle.sh` first: it keeps .data/bench-bundle/files and the
# database in .data/bench-bundle-pg).
#
#   private cluster (.data/bench-bundle-pg, port 5448) -> the portal (Release, Production) on 127.0.0.1:5449 with the
#   export sweeper every 5 s -> one Queued row in inspection_exports for the data set's hospital and Auditor (what the
#   page's 「出力」 button inserts) -> the sweeper schedules it on Quartz, the runner writes the ZIP -> the portal's
#   resident memory is sampled every 0.2 s from /proc (VmRSS; VmHWM at the end) -> Completed: the job's own
#   started_at → completed_at, the ZIP verified with verify-bundle -> portal and cluster stopped.
#
# Settings: VP_BENCH_BUNDLE_PG_PORT (5448), VP_BENCH_BUNDLE_APP_PORT (5449), BENCH_BUNDLE_FISCAL_YEAR (2026).
# Prints one line per figure; bench/bundle.sh's results file explains the data set.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PG_PORT="${VP_BENCH_BUNDLE_PG_PORT:-5448}"
APP_PORT="${VP_BENCH_BUNDLE_APP_PORT:-5449}"
PG_DIR="$ROOT/.data/bench-bundle-pg"
WORK="$ROOT/.data/bench-bundle"
DB=vendorportal_bundle
FISCAL_YEAR="${BENCH_BUNDLE_FISCAL_YEAR:-2026}"
PORTAL_DLL="$ROOT/src/VendorPortal.Web/bin/Release/net10.0/VendorPortal.Web.dll"
# shellcheck source=../scripts/pg-cluster.sh
source scripts/pg-cluster.sh

[ -d "$PG_DIR" ] || { echo "No data set: run bench/bundle.sh first (it keeps $PG_DIR)." >&2; exit 1; }
echo "Building (Release)..."
dotnet build "$ROOT/src/VendorPortal.Web" -c Release -nologo -v q >/dev/null

APP_PID=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK/jobs"
  pg_cluster_stop "$PG_DIR"
}
trap cleanup INT TERM EXIT
pg_cluster_start "$PG_DIR" "$PG_PORT"
PG_BIN="$(pg_bin_dir)"
CS="Host=127.0.0.1;Port=$PG_PORT;Database=$DB;Username=vendorportal;Password=$PGPASSWORD"
psql_db() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d "$DB" -tA "$@"; }

HOSPITAL=$(psql_db -c "SELECT id FROM organizations WHERE kind = 'Hospital' ORDER BY name LIMIT 1")
AUDITOR=$(psql_db -c "SELECT id FROM users WHERE normalized_email = 'AUDITOR@BENCH-BUNDLE.EXAMPLE'")
[ -n "$HOSPITAL" ] && [ -n "$AUDITOR" ] || { echo "The data set has no hospital/auditor; rerun bench/bundle.sh." >&2; exit 1; }
EXPORT_ID=$(cat /proc/sys/kernel/random/uuid)
rm -rf "$WORK/jobs" && mkdir -p "$WORK/jobs"

echo "Starting the portal (Release, Production) on 127.0.0.1:$APP_PORT..."
env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Default="$CS" Seed__DemoData=false \
  Email__Mode=Outbox Email__OutboxPath="$WORK/outbox" Account__PublicBaseUrl="https://127.0.0.1:$APP_PORT" \
  Inspection__BundleDirectory="$WORK/jobs" Scheduling__InspectionExportSweepCron="0/5 * * * * ?" \
  dotnet "$PORTAL_DLL" --contentRoot "$ROOT/src/VendorPortal.Web" --urls "http://127.0.0.1:$APP_PORT" > "$WORK/job-portal.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$WORK/job-portal.log" >&2; exit 1; }
  sleep 0.5
done
IDLE_RSS=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$APP_PID/status")
echo "Portal up; resident memory at rest: $IDLE_RSS MB. Queuing export $EXPORT_ID..."
psql_db -c "INSERT INTO inspection_exports (id, hospital_id, fiscal_year, state, requested_by_user_id, requested_by_name, requested_at,
  attempts, progress_percent, files_written, bytes_written, revision)
  VALUES ('$EXPORT_ID', '$HOSPITAL', $FISCAL_YEAR, 0, '$AUDITOR', 'bench', now(), 0, 0, 0, 0, 0)"

PEAK=0
STATE=0
while [ "$STATE" -lt 2 ]; do
  RSS=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$APP_PID/status")
  [ "$RSS" -gt "$PEAK" ] && PEAK=$RSS
  STATE=$(psql_db -c "SELECT state FROM inspection_exports WHERE id = '$EXPORT_ID'")
  kill -0 "$APP_PID" 2>/dev/null || { echo "The portal died; see $WORK/job-portal.log" >&2; exit 1; }
  sleep 0.2
done
HWM=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$APP_PID/status")
read -r FINAL SECONDS_RUN FILES SIZE < <(psql_db -F ' ' -c "SELECT state, round(extract(epoch FROM completed_at - started_at)::numeric, 2), file_count, zip_size FROM inspection_exports WHERE id = '$EXPORT_ID'")
[ "$FINAL" = "2" ] || { echo "The export did not complete (state $FINAL): $(psql_db -c "SELECT error FROM inspection_exports WHERE id = '$EXPORT_ID'")" >&2; exit 1; }
ZIP="$WORK/jobs/$EXPORT_ID.zip"
VERIFY=$(dotnet "$PORTAL_DLL" verify-bundle "$ZIP" | tail -n 1)
ATTACH_MB=$(du -sm "$WORK/files" | cut -f1)
echo "export job: $SECONDS_RUN s from started_at to completed_at, $FILES files, $((SIZE / 1024 / 1024)) MB ZIP, $(awk -v mb="$ATTACH_MB" -v s="$SECONDS_RUN" 'BEGIN { printf "%.1f", mb / s }') MB/s of attachments"
echo "portal memory: $IDLE_RSS MB at rest, peak $PEAK MB sampled (VmHWM $HWM MB) while the job ran"
echo "verify: $VERIFY"
