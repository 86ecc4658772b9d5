#!/usr/bin/env bash
# The scale benchmark of docs/performance.md, in one command:
#   private PostgreSQL cluster (.data/bench-pg, port 5445) -> Release build -> scale data set (bench/VendorPortal.Bench)
#   -> portal in Production on http://127.0.0.1:5446 -> sign-in through the real login + TOTP pages -> wrk per URL
#   -> table in bench/results/latest.md. The portal and the cluster are stopped on exit.
# Installs PostgreSQL, wrk and curl from Debian's packages when missing (as root). Load goes to 127.0.0.1 only.
#
# Settings (environment): BENCH_DURATION (20s), BENCH_WARMUP (5s), BENCH_THREADS (2), BENCH_CONNECTIONS (4),
# VP_BENCH_PG_PORT (5445), VP_BENCH_PORT (5446), BENCH_RESULTS (bench/results/latest.md), BENCH_NOTE (a remark
# for the results header), BENCH_KEEP_DATA=1 (reuse the database seeded by the previous run instead of seeding again),
# BENCH_REMINDER_SCALE=1 (also seed the reminder-scale database and time BENCH_REMINDER_CMD against it; see below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PG_PORT="${VP_BENCH_PG_PORT:-5445}"
APP_PORT="${VP_BENCH_PORT:-5446}"
PG_DIR="$ROOT/.data/bench-pg"
WORK="$ROOT/.data/bench"
DB=vendorportal_bench
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-5s}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-4}"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/results/latest.md}"
BASE="http://127.0.0.1:$APP_PORT"
BENCH_DLL="$ROOT/bench/VendorPortal.Bench/bin/Release/net10.0/VendorPortal.Bench.dll"
PORTAL_DLL="$ROOT/src/VendorPortal.Web/bin/Release/net10.0/VendorPortal.Web.dll"
# shellcheck source=../scripts/pg-cluster.sh
source scripts/pg-cluster.sh

missing=()
pg_bin_dir >/dev/null || missing+=(postgresql)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing from Debian's packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]} (run as root once, or apt-get install them)" >&2
    exit 1
  fi
fi

mkdir -p "$WORK" "$(dirname "$RESULTS")"
chmod 700 "$WORK"
APP_PID=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  pg_cluster_stop "$PG_DIR"
  echo "Benchmark portal and cluster stopped."
}
trap cleanup INT TERM EXIT

pg_cluster_start "$PG_DIR" "$PG_PORT"
PG_BIN="$(pg_bin_dir)"
CS="Host=127.0.0.1;Port=$PG_PORT;Database=$DB;Username=vendorportal;Password=$PGPASSWORD"
psql_bench() { "$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d "$DB" -tAq "$@"; }

echo "Building (Release)..."
if ! dotnet build bench/VendorPortal.Bench/VendorPortal.Bench.csproj -c Release -nologo -v q > "$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  exit 1
fi

db_exists() { "$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; }
if [ "${BENCH_KEEP_DATA:-0}" = 1 ] && [ -f "$WORK/seed.env" ] && db_exists; then
  echo "Reusing the data set of the previous run (BENCH_KEEP_DATA=1)."
else
  "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal --if-exists "$DB"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal "$DB"
  echo "Seeding the scale data set..."
  dotnet "$BENCH_DLL" seed --connection "$CS" --content-root "$ROOT/src/VendorPortal.Web" --out "$WORK/seed.env" | tee "$WORK/seed.log"
fi
# shellcheck disable=SC1091
source "$WORK/seed.env"

# Production, demo data off, behind a pretend TLS-terminating proxy: every client request below says
# X-Forwarded-Proto: https, which the portal trusts from loopback (Network:BehindProxy), so Secure cookies and
# antiforgery behave as they do in a real deployment.
echo "Starting the portal (Release, Production) on $BASE..."
env ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Default="$CS" \
  Seed__DemoData=false \
  Network__BehindProxy=true \
  Email__Mode=Outbox Email__OutboxPath="$WORK/outbox" \
  Account__PublicBaseUrl="https://127.0.0.1:$APP_PORT" \
  dotnet "$PORTAL_DLL" --contentRoot "$ROOT/src/VendorPortal.Web" --urls "$BASE" > "$WORK/portal.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "The portal did not start; last lines of $WORK/portal.log:" >&2
    tail -n 30 "$WORK/portal.log" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS "$BASE/healthz" >/dev/null

HID="$BENCH_HOSPITAL_ID"
ROWS=()
WRK_ARGS=(-t"$THREADS" -c"$CONNECTIONS" --timeout 30s)

to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.1f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.1f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.1f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.1f", v * 1000 }
    else printf "?" }'
}

# Adds a table row from one wrk --latency output: label, auth, file, body size, target (ms).
add_row() {
  local label="$1" auth="$2" file="$3" size="$4" target="$5" p50 p90 p99 rps total non2xx errors verdict
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
  p90=$(to_ms "$(awk '$1 == "90%" { print $2 }' "$file")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  total=$(awk '/requests in/ { print $1 }' "$file")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
  errors=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$file")
  non2xx="${non2xx:-0}"
  verdict=$(awk -v p="$p50" -v t="$target" 'BEGIN { print (p + 0 < t + 0) ? "yes" : "**no**" }')
  load=$(cut -d' ' -f1 /proc/loadavg)
  ROWS+=("| \`$label\` | $auth | $p50 | $p90 | $p99 | $rps | $total | $non2xx${errors:+ ($errors)} | $size | $load | < $target ms: $verdict |")
  printf '  median %s ms, p90 %s ms, p99 %s ms, %s req/s, %s non-2xx\n' "$p50" "$p90" "$p99" "$rps" "$non2xx"
}

signin() {
  dotnet "$BENCH_DLL" signin --base "$BASE" --email "$BENCH_REVIEWER_EMAIL" --password "$BENCH_PASSWORD" --totp-key "$BENCH_REVIEWER_TOTP_KEY"
}

# One URL: a checked request (must be 200), a warm-up run, then the measured run.
bench_get() {
  local label="$1" path="$2" auth="$3" slug headers=(-H "X-Forwarded-Proto: https") probe
  slug=$(echo "$label" | tr -c 'A-Za-z0-9' '_')
  if [ "$auth" = session ]; then
    # A fresh session per URL: wrk does not keep the cookie the portal renews after each security-stamp check
    # (Account:SecurityStampValidationMinutes, 1), so an older cookie would be re-validated on every request.
    headers+=(-H "Cookie: $(signin)")
  else
    headers+=(-H "X-Api-Key: $BENCH_HOSPITAL_API_KEY")
  fi
  echo "$label ($auth)"
  probe=$(curl -s -o "$WORK/probe.body" -w '%{http_code} %{size_download}' "${headers[@]}" "$BASE$path")
  if [ "${probe%% *}" != 200 ]; then
    echo "  GET $path answered ${probe%% *}, not 200; see $WORK/probe.body" >&2
    exit 1
  fi
  wrk "${WRK_ARGS[@]}" -d"$WARMUP" "${headers[@]}" "$BASE$path" > /dev/null
  wrk "${WRK_ARGS[@]}" -d"$DURATION" --latency "${headers[@]}" "$BASE$path" > "$WORK/wrk-$slug.txt"
  add_row "$label" "$auth" "$WORK/wrk-$slug.txt" "$(awk -v b="${probe#* }" 'BEGIN { printf "%.0f KB", b / 1024 }')" 200
}

# A first pass over every URL, so that the first one measured does not pay for the portal's start-up
# (JIT tiering, first queries, connection pool).
echo "Warming up every URL for $WARMUP..."
WARM_COOKIE="$(signin)"
for path in "/Reviews" "/Hospitals/$HID/Gaps" "/Hospitals/$HID/Gaps?minSeverity=Medium&actor=Hospital" "/Hospitals/$HID/Checklists" "/Hospitals/$HID/Subcontractors"; do
  wrk "${WRK_ARGS[@]}" -d"$WARMUP" -H "X-Forwarded-Proto: https" -H "Cookie: $WARM_COOKIE" "$BASE$path" > /dev/null
done
for path in "/api/v1/submissions?hospitalId=$HID" "/api/v1/hospitals/$HID/gaps" "/api/v1/hospitals/$HID/gaps?severity=High&actor=Vendor" "/api/v1/hospitals/$HID/subcontractors"; do
  wrk "${WRK_ARGS[@]}" -d"$WARMUP" -H "X-Forwarded-Proto: https" -H "X-Api-Key: $BENCH_HOSPITAL_API_KEY" "$BASE$path" > /dev/null
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Measuring: wrk ${WRK_ARGS[*]} -d$DURATION --latency (after a $WARMUP warm-up), load average now $LOAD_BEFORE"
bench_get "/Reviews" "/Reviews" session
bench_get "/Hospitals/{hospitalId}/Gaps" "/Hospitals/$HID/Gaps" session
bench_get "/Hospitals/{hospitalId}/Checklists" "/Hospitals/$HID/Checklists" session
bench_get "/api/v1/submissions?hospitalId={hospitalId}" "/api/v1/submissions?hospitalId=$HID" "API key"
bench_get "/api/v1/hospitals/{hospitalId}/gaps" "/api/v1/hospitals/$HID/gaps" "API key"
# The one gap view filtered (issue 5: 400 systems, 6,000 components, 20,000 patch statuses, 150 vendors; 300 ms).
bench_get "/Hospitals/{hospitalId}/Gaps?minSeverity=Medium&actor=Hospital" "/Hospitals/$HID/Gaps?minSeverity=Medium&actor=Hospital" session
bench_get "/api/v1/hospitals/{hospitalId}/gaps?severity=High&actor=Vendor" "/api/v1/hospitals/$HID/gaps?severity=High&actor=Vendor" "API key"
# The ledger, patch list and 責任分界 list of the same hospital (issue 5: 400 systems, 6,000 components, 300 advisories).
bench_get "/Hospitals/{hospitalId}/Ledger" "/Hospitals/$HID/Ledger" session
bench_get "/Hospitals/{hospitalId}/Patches" "/Hospitals/$HID/Patches" session
bench_get "/Hospitals/{hospitalId}/Responsibility" "/Hospitals/$HID/Responsibility" session
# The 再委託 register: 150 vendors, 600 approved subcontractor relationships (issue 4's target, 200 ms).
bench_get "/Hospitals/{hospitalId}/Subcontractors" "/Hospitals/$HID/Subcontractors" session
bench_get "/api/v1/hospitals/{hospitalId}/subcontractors" "/api/v1/hospitals/$HID/subcontractors" "API key"

# Excel import: only when this build has both the export (to get a real workbook) and the import endpoint.
UPLOAD_NOTE=""
XLSX_URL="$BASE/api/v1/submissions/$BENCH_DRAFT_ID/xlsx"
VENDOR_HEADERS=(-H "X-Forwarded-Proto: https" -H "X-Api-Key: $BENCH_VENDOR_API_KEY")
echo "POST /api/v1/submissions/{draftId}/xlsx (API key of the vendor)"
export_code=$(curl -s -o "$WORK/checklist.xlsx" -w '%{http_code}' "${VENDOR_HEADERS[@]}" "$XLSX_URL")
if [ "$export_code" != 200 ]; then
  UPLOAD_NOTE="Skipped the import benchmark: GET /api/v1/submissions/{id}/xlsx answered $export_code, so this build has no Excel export to produce the 100-item workbook."
else
  import_code=$(curl -s -o "$WORK/upload-probe.body" -w '%{http_code}' "${VENDOR_HEADERS[@]}" \
    -F "file=@$WORK/checklist.xlsx;type=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;filename=checklist.xlsx" "$XLSX_URL")
  case "$import_code" in
    2??)
      UPLOAD_FILE="$WORK/checklist.xlsx" UPLOAD_API_KEY="$BENCH_VENDOR_API_KEY" \
        wrk "${WRK_ARGS[@]}" -d"$WARMUP" -s bench/upload.lua "$XLSX_URL" > /dev/null
      UPLOAD_FILE="$WORK/checklist.xlsx" UPLOAD_API_KEY="$BENCH_VENDOR_API_KEY" \
        wrk "${WRK_ARGS[@]}" -d"$DURATION" --latency -s bench/upload.lua "$XLSX_URL" > "$WORK/wrk-upload.txt"
      add_row "POST /api/v1/submissions/{draftId}/xlsx" "API key" "$WORK/wrk-upload.txt" \
        "$(awk -v b="$(stat -c %s "$WORK/checklist.xlsx")" 'BEGIN { printf "%.0f KB sent", b / 1024 }')" 300 ;;
    404|405)
      UPLOAD_NOTE="Skipped the import benchmark: POST /api/v1/submissions/{id}/xlsx answered $import_code, so this build has no Excel import." ;;
    *)
      UPLOAD_NOTE="Skipped the import benchmark: the probe upload answered $import_code (see .data/bench/upload-probe.body)." ;;
  esac
fi
[ -n "$UPLOAD_NOTE" ] && echo "  $UPLOAD_NOTE"

# --- The daily reminder run at scale (issue 5), only with BENCH_REMINDER_SCALE=1 -----------------------------------
# A separate database (vendorportal_reminders) seeded by `VendorPortal.Bench reminder-scale`: BENCH_REMINDER_HOSPITALS
# (1000) hospitals × 6,000 components with support dates and BENCH_REMINDER_PATCHES (20000) patch statuses each.
# BENCH_REMINDER_CMD is the command timed against it (default: the portal's `remind` verb for today in JST); it gets
# ConnectionStrings__Default of that database. Each step runs under /usr/bin/time -v: elapsed time and max RSS go to
# the results (target: the run under 60 s, memory flat as the row count grows).
REMINDER_ROWS=()
# timed LABEL COMMAND...: runs COMMAND under /usr/bin/time -v (report in $WORK/time-<label>.txt, output in .log) and
# adds a row "label | exit | elapsed s | max RSS MB".
timed() {
  local label="$1" slug log rc elapsed rss
  shift
  slug=$(echo "$label" | tr -c 'A-Za-z0-9' '_')
  log="$WORK/time-$slug.txt"
  echo "$label: $*"
  set +e
  /usr/bin/time -v -o "$log" "$@" > "$WORK/time-$slug.log" 2>&1
  rc=$?
  set -e
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
  REMINDER_ROWS+=("| $label | $rc | $elapsed | $rss |")
  printf '  exit %s, %s s, max RSS %s MB (log: %s)\n' "$rc" "$elapsed" "$rss" "$WORK/time-$slug.log"
}
if [ "${BENCH_REMINDER_SCALE:-0}" = 1 ]; then
  REMINDER_DB=vendorportal_reminders
  REMINDER_CS="Host=127.0.0.1;Port=$PG_PORT;Database=$REMINDER_DB;Username=vendorportal;Password=$PGPASSWORD"
  if [ "${BENCH_KEEP_DATA:-0}" = 1 ] && "$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$REMINDER_DB'" | grep -q 1; then
    echo "Reusing the reminder-scale database of the previous run (BENCH_KEEP_DATA=1)."
  else
    "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal --if-exists "$REMINDER_DB"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal "$REMINDER_DB"
    timed "seed reminder-scale" dotnet "$BENCH_DLL" reminder-scale --connection "$REMINDER_CS" --content-root "$ROOT/src/VendorPortal.Web" \
      --hospitals "${BENCH_REMINDER_HOSPITALS:-1000}" --patches-per-hospital "${BENCH_REMINDER_PATCHES:-20000}"
  fi
  read -r -a REMINDER_CMD <<< "${BENCH_REMINDER_CMD:-dotnet $PORTAL_DLL remind --date $(TZ=Asia/Tokyo date +%F) --contentRoot $ROOT/src/VendorPortal.Web}"
  timed "reminder run" env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Default="$REMINDER_CS" Seed__DemoData=false \
    Email__Mode=Outbox Email__OutboxPath="$WORK/reminder-outbox" "${REMINDER_CMD[@]}"
fi

COUNTS=$(psql_bench -F' ' -c "SELECT
  (SELECT count(*) FROM organizations WHERE kind = 'Hospital'),
  (SELECT count(*) FROM organizations WHERE kind = 'Vendor'),
  (SELECT count(*) FROM engagements),
  (SELECT count(*) FROM form_submissions WHERE latest_version > 0),
  (SELECT count(*) FROM form_submissions WHERE latest_version > 0 AND hospital_id = '$HID'),
  (SELECT count(*) FROM form_submission_versions),
  (SELECT round(avg(length(answers)) / 1024.0, 1) FROM form_submission_versions),
  (SELECT count(*) FROM form_review_events)")
read -r N_HOSP N_VEND N_ENG N_SUB N_SUB_T N_VER AVG_KB N_EV <<< "$COUNTS"
if COMMIT="$(git rev-parse --short HEAD 2>/dev/null)"; then
  git diff --quiet HEAD -- src bench || COMMIT="$COMMIT + local changes"
else
  COMMIT="not a git checkout"
fi

{
  echo "# Benchmark results (latest run)"
  echo
  echo "Written by \`bench/run.sh\`; see [docs/performance.md](../../docs/performance.md) for the method and the history."
  echo
  echo "- Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$COMMIT\`${BENCH_NOTE:+ — $BENCH_NOTE}"
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM; load average before the runs: $LOAD_BEFORE"
  echo "- Portal: Release, \`ASPNETCORE_ENVIRONMENT=Production\`, demo data off, behind a pretend TLS proxy (\`X-Forwarded-Proto: https\`); PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') private cluster on the same machine"
  echo "- Data: $N_HOSP hospitals, $N_VEND vendors, $N_ENG engagements, $N_SUB submitted 事業者確認用 checklists ($N_SUB_T for the measured hospital), $N_VER submitted versions (100 items per checked round, ${AVG_KB} KB of answers on average), $N_EV review events"
  echo "- Load: \`wrk ${WRK_ARGS[*]} -d$DURATION --latency\` per URL after a $WARMUP warm-up (and a $WARMUP pass over every URL first); pages with a session from the real sign-in (password + TOTP) of a SystemOperator, API calls with the same user's API key"
  echo "- \"load (1 min)\" is the machine's load average when the URL's run ended: other work on the machine takes CPU from the portal and PostgreSQL, and latencies grow with it"
  echo
  echo "| URL | auth | median ms | p90 ms | p99 ms | req/s | requests | non-2xx | response | load (1 min) | target (median) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${ROWS[@]}"
  if [ -n "$UPLOAD_NOTE" ]; then
    echo
    echo "$UPLOAD_NOTE"
  fi
  if [ ${#REMINDER_ROWS[@]} -gt 0 ]; then
    echo
    echo "Reminder run at scale (\`BENCH_REMINDER_SCALE=1\`, database \`vendorportal_reminders\`, ${BENCH_REMINDER_HOSPITALS:-1000} hospitals; \`/usr/bin/time -v\`):"
    echo
    echo "| step | exit | elapsed s | max RSS MB |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${REMINDER_ROWS[@]}"
  fi
} > "$RESULTS"
echo
cat "$RESULTS"
