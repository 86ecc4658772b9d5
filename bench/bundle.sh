#!/usr/bin/env bash
# Issue 6's scale benchmark for the inspection bundle, in one command:
#   "A bundle with 2 GB of attachments and 150 vendors is produced at no less than half the speed of `zip -0` over
#    the same files on the same machine, with the portal's memory staying under 300 MB."
#
#   private PostgreSQL cluster (.data/bench-bundle-pg, port 5448) -> Release build -> the portal's `migrate` ->
#   `VendorPortal.Bench bundle-seed`: writes the attachment files to .data/bench-bundle/files (PDF-like, 1-10 MB,
#   incompressible) and seeds one hospital, its vendors, their accepted MDS/SDS carrying those files and their
#   事業者確認用 checklists -> `zip -0 -q -r` of that folder, twice -> the portal's `export-bundle` (the exporter the
#   export job runs), twice -> `verify-bundle` on the bundle, twice -> table in bench/results/bundle-<date>.md.
# Each step runs under /usr/bin/time -v; the second (warm: the files and the database are in the page cache, which
# cannot be dropped without root) run is the one reported. The cluster is stopped on exit; no HTTP port is used.
#
# Settings (environment): BENCH_BUNDLE_VENDORS (150), BENCH_BUNDLE_MB (2048: total size of the attachments),
# BENCH_BUNDLE_FISCAL_YEAR (2026), VP_BENCH_BUNDLE_PG_PORT (5448), BENCH_BUNDLE_RESULTS
# (bench/results/bundle-<UTC date>.md), BENCH_NOTE (a remark for the results header), BENCH_KEEP_DATA=1 (reuse the
# database and files of the previous run when they were made with the same sizes), BENCH_BUNDLE_RUNS (2: runs per
# measurement, the last is reported). Needs about 3 × BENCH_BUNDLE_MB of free disk (files, database, two archives).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PG_PORT="${VP_BENCH_BUNDLE_PG_PORT:-5448}"
PG_DIR="$ROOT/.data/bench-bundle-pg"
WORK="$ROOT/.data/bench-bundle"
FILES="$WORK/files"
DB=vendorportal_bundle
VENDORS="${BENCH_BUNDLE_VENDORS:-150}"
MB="${BENCH_BUNDLE_MB:-2048}"
FISCAL_YEAR="${BENCH_BUNDLE_FISCAL_YEAR:-2026}"
RUNS="${BENCH_BUNDLE_RUNS:-2}"
RESULTS="${BENCH_BUNDLE_RESULTS:-$ROOT/bench/results/bundle-$(date -u +%F).md}"
BENCH_DLL="$ROOT/bench/VendorPortal.Bench/bin/Release/net10.0/VendorPortal.Bench.dll"
PORTAL_DLL="$ROOT/src/VendorPortal.Web/bin/Release/net10.0/VendorPortal.Web.dll"
# shellcheck source=../scripts/pg-cluster.sh
source scripts/pg-cluster.sh

missing=()
pg_bin_dir >/dev/null || missing+=(postgresql)
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
[ -x /usr/bin/time ] || missing+=(time)
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
cleanup() {
  trap - INT TERM EXIT
  rm -f "$WORK/zip0.zip" "$WORK/bundle.zip"
  pg_cluster_stop "$PG_DIR"
  echo "Bundle benchmark cluster stopped."
}
trap cleanup INT TERM EXIT

pg_cluster_start "$PG_DIR" "$PG_PORT"
PG_BIN="$(pg_bin_dir)"
CS="Host=127.0.0.1;Port=$PG_PORT;Database=$DB;Username=vendorportal;Password=$PGPASSWORD"

echo "Building (Release)..."
if ! dotnet build bench/VendorPortal.Bench/VendorPortal.Bench.csproj -c Release -nologo -v q > "$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  exit 1
fi

# The portal's own commands, from the Release build, as an operator runs them (content root as run.sh gives it).
# An array, not a function, so that /usr/bin/time runs (and measures) the portal process itself (env execs dotnet).
PORTAL=(env ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Default=$CS" Seed__DemoData=false dotnet "$PORTAL_DLL")
CONTENT_ROOT=(--contentRoot "$ROOT/src/VendorPortal.Web")

SIGNATURE="vendors=$VENDORS mb=$MB fy=$FISCAL_YEAR"
db_exists() { "$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; }
if [ "${BENCH_KEEP_DATA:-0}" = 1 ] && [ -f "$WORK/seed.env" ] && [ "$(cat "$WORK/seed.signature" 2>/dev/null)" = "$SIGNATURE" ] && db_exists; then
  echo "Reusing the data set of the previous run (BENCH_KEEP_DATA=1, $SIGNATURE)."
else
  rm -f "$WORK/seed.env" "$WORK/seed.signature"
  "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal --if-exists "$DB"
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U vendorportal "$DB"
  echo "Migrating..."
  "${PORTAL[@]}" migrate "${CONTENT_ROOT[@]}"
  echo "Seeding $VENDORS vendors with $MB MB of attachments..."
  dotnet "$BENCH_DLL" bundle-seed --connection "$CS" --content-root "$ROOT/src/VendorPortal.Web" --files "$FILES" \
    --out "$WORK/seed.env" --vendors "$VENDORS" --mb "$MB" --fiscal-year "$FISCAL_YEAR" | tee "$WORK/seed.log"
  echo "$SIGNATURE" > "$WORK/seed.signature"
fi
# shellcheck disable=SC1091
source "$WORK/seed.env"
MB_IN=$(awk -v b="$BENCH_BUNDLE_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
DB_SIZE=$("$PG_BIN/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U vendorportal -d "$DB" -tAc "SELECT pg_size_pretty(pg_database_size('$DB'))")

# timed SLUG COMMAND...: runs COMMAND RUNS times under /usr/bin/time -v (report in $WORK/time-SLUG-N.txt, output in
# .log); sets T_RC, T_S (elapsed seconds), T_CPU (user + system CPU seconds of the process, not of PostgreSQL) and T_RSS
# (max RSS MB) from the last run, and T_ALL (every run's seconds).
timed() {
  local slug="$1" n log
  shift
  T_ALL=""
  for n in $(seq 1 "$RUNS"); do
    [ -n "${BEFORE_EACH:-}" ] && eval "$BEFORE_EACH"
    log="$WORK/time-$slug-$n.txt"
    set +e
    /usr/bin/time -v -o "$log" "$@" > "$WORK/time-$slug-$n.log" 2>&1
    T_RC=$?
    set -e
    T_S=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$log")
    T_RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
    T_CPU=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$log")
    T_ALL="${T_ALL:+$T_ALL, }$T_S s"
    printf '  run %s: exit %s, %s s (CPU %s s), max RSS %s MB (output: %s)\n' "$n" "$T_RC" "$T_S" "$T_CPU" "$T_RSS" "$WORK/time-$slug-$n.log"
    if [ "$T_RC" != 0 ]; then
      cat "$WORK/time-$slug-$n.log" >&2
      exit 1
    fi
  done
}
mbps() { awk -v mb="$MB_IN" -v s="$1" 'BEGIN { printf "%.1f", (s > 0) ? mb / s : 0 }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "zip -0 -q -r over $FILES ($MB_IN MB), $RUNS runs"
BEFORE_EACH='rm -f "$WORK/zip0.zip"'
timed zip0 sh -c "cd '$FILES' && exec zip -0 -q -r '$WORK/zip0.zip' ."
ZIP_S=$T_S ZIP_CPU=$T_CPU ZIP_RSS=$T_RSS ZIP_ALL=$T_ALL ZIP_LOAD=$(cut -d' ' -f1 /proc/loadavg)
ZIP_SIZE=$(stat -c %s "$WORK/zip0.zip")

echo "export-bundle --hospital $BENCH_BUNDLE_HOSPITAL_ID --user $BENCH_BUNDLE_AUDITOR_EMAIL --fiscal-year $FISCAL_YEAR, $RUNS runs"
BEFORE_EACH='rm -f "$WORK/bundle.zip"'
timed export "${PORTAL[@]}" export-bundle --hospital "$BENCH_BUNDLE_HOSPITAL_ID" --user "$BENCH_BUNDLE_AUDITOR_EMAIL" \
  --fiscal-year "$FISCAL_YEAR" --out "$WORK/bundle.zip" "${CONTENT_ROOT[@]}"
EXPORT_S=$T_S EXPORT_CPU=$T_CPU EXPORT_RSS=$T_RSS EXPORT_ALL=$T_ALL EXPORT_LOAD=$(cut -d' ' -f1 /proc/loadavg)
# The command's own last line ends with the exporter's time without the process start (host, EF model): "…, 12.3 s".
EXPORT_INNER=$(grep -m1 '^export-bundle:' "$WORK/time-export-$RUNS.log" | sed -n 's/.*, \([0-9.]*\) s$/\1/p')
EXPORT_INNER="${EXPORT_INNER:-?}"
SECTIONS=$(sed -n 's/.*Bundle section \([^ ]*\) written in \([0-9]*\) ms.*/\1 \2/p' "$WORK/time-export-$RUNS.log" \
  | awk '{ printf "%s%s %.1f s", (NR > 1) ? ", " : "", $1, $2 / 1000 }')
BUNDLE_SIZE=$(stat -c %s "$WORK/bundle.zip")
BUNDLE_FILES=$(unzip -Z1 "$WORK/bundle.zip" | grep -vc '/$' || true)
BUNDLE_PDFS=$(unzip -Z1 "$WORK/bundle.zip" | grep -ic '\.pdf$' || true)

echo "verify-bundle $WORK/bundle.zip, $RUNS runs"
BEFORE_EACH=''
timed verify dotnet "$PORTAL_DLL" verify-bundle "$WORK/bundle.zip"
VERIFY_S=$T_S VERIFY_CPU=$T_CPU VERIFY_RSS=$T_RSS VERIFY_ALL=$T_ALL
VERIFY_LINE=$(grep -m1 'verify-bundle:' "$WORK/time-verify-$RUNS.log" || true)

# Where the exporter's time goes on the attachment bytes alone (see bench/VendorPortal.Bench/BundleProfile.cs).
PROFILE=""
if [ "${BENCH_BUNDLE_PROFILE:-1}" = 1 ]; then
  echo "bundle-profile (attachment bytes alone: read, + SHA-256, + BundleWriter)"
  PROFILE=$(dotnet "$BENCH_DLL" bundle-profile --connection "$CS" --hospital "$BENCH_BUNDLE_HOSPITAL_ID" --out "$WORK/profile.zip" | grep '^profile ')
  echo "$PROFILE" | sed 's/^/  /'
fi

ZIP_MBPS=$(mbps "$ZIP_S")
EXPORT_MBPS=$(mbps "$EXPORT_S")
RATIO=$(awk -v z="$ZIP_S" -v e="$EXPORT_S" 'BEGIN { printf "%.0f", (e > 0) ? 100 * z / e : 0 }')
SPEED_OK=$(awk -v r="$RATIO" 'BEGIN { print (r >= 50) ? "yes" : "**no**" }')
MEM_OK=$(awk -v m="$EXPORT_RSS" 'BEGIN { print (m < 300) ? "yes" : "**no**" }')
if [ "$BUNDLE_PDFS" -lt "$BENCH_BUNDLE_FILES" ]; then
  CONTENT_NOTE="**The bundle holds $BUNDLE_PDFS of the $BENCH_BUNDLE_FILES attachments**: this build's exporter does not (yet) write the MDS/SDS attachment section (04_mds-sds), so the export figures do not measure the 2 GB and the target is not assessed by them."
else
  CONTENT_NOTE="The bundle holds all $BENCH_BUNDLE_FILES attachments ($BUNDLE_PDFS PDF files in the archive)."
fi
mb_of() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

{
  echo "# Inspection bundle benchmark (issue 6) — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  [ -n "${BENCH_NOTE:-}" ] && { echo "$BENCH_NOTE"; echo; }
  echo "- Commit: \`$(git rev-parse --short HEAD 2>/dev/null || echo '?')\` ($(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?'))$(git diff --quiet 2>/dev/null || echo ', with uncommitted changes')"
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ { print $2 }') GB RAM, disk $(df -h --output=source,fstype,size "$WORK" | awk 'NR == 2 { print $1 " (" $2 ", " $3 ")" }'); load average before the runs: $LOAD_BEFORE"
  echo "- Data: 1 hospital, $VENDORS vendors, $BENCH_BUNDLE_DISCLOSURES accepted MDS/SDS carrying $BENCH_BUNDLE_FILES PDF-like attachments of 1–10 MB ($MB_IN MB in all, incompressible), $BENCH_BUNDLE_CHECKLISTS accepted 事業者確認用 checklists for 年度 $FISCAL_YEAR; database $DB_SIZE (PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), private cluster on the same machine)"
  echo "- Each command ran $RUNS times in a row under \`/usr/bin/time -v\`; the table shows the last (warm) run: the page cache cannot be dropped without root, so the files and the database pages are cached for both tools alike. MB/s = $MB_IN MB of attachments ÷ elapsed seconds. CPU s = user + system time of that process (PostgreSQL's share of the export is not in it); on a busy machine elapsed time grows with the load average, CPU time much less."
  echo
  echo "| step | command | elapsed s | MB/s | CPU s | max RSS MB | output | all runs | load (1 min) |"
  echo "|---|---|---:|---:|---:|---:|---:|---|---:|"
  echo "| zip -0 | \`zip -0 -q -r\` of the attachment folder | $ZIP_S | $ZIP_MBPS | $ZIP_CPU | $ZIP_RSS | $(mb_of "$ZIP_SIZE") MB | $ZIP_ALL | $ZIP_LOAD |"
  echo "| export | \`VendorPortal.Web.dll export-bundle --fiscal-year $FISCAL_YEAR\` (Release, Production) | $EXPORT_S | $EXPORT_MBPS | $EXPORT_CPU | $EXPORT_RSS | $(mb_of "$BUNDLE_SIZE") MB, $BUNDLE_FILES files | $EXPORT_ALL | $EXPORT_LOAD |"
  echo "| verify | \`VendorPortal.Web.dll verify-bundle\` (exit 0) | $VERIFY_S | $(mbps "$VERIFY_S") | $VERIFY_CPU | $VERIFY_RSS | | $VERIFY_ALL | |"
  echo
  if [ "$BUNDLE_PDFS" -lt "$BENCH_BUNDLE_FILES" ]; then
    echo "Target (export speed ≥ 50 % of zip -0, portal memory < 300 MB): **not assessed** — see below. As measured: $RATIO % of zip -0's speed, $EXPORT_RSS MB."
  else
    echo "Target: export speed ≥ 50 % of zip -0 — **$RATIO %** ($SPEED_OK); portal memory < 300 MB — **$EXPORT_RSS MB** ($MEM_OK)."
  fi
  echo
  echo "The export's elapsed time is the whole \`export-bundle\` process (start-up, then the exporter); the exporter alone (the part the export job runs inside the already started portal) took $EXPORT_INNER s, i.e. $(mbps "$EXPORT_INNER") MB/s."
  echo
  echo "Exporter sections (last run, from its log): ${SECTIONS:-none logged}."
  echo
  echo "$CONTENT_NOTE"
  echo
  echo "verify-bundle said: \`$VERIFY_LINE\`"
  if [ -n "$PROFILE" ]; then
    echo
    echo "The attachment bytes alone (\`VendorPortal.Bench bundle-profile\`, once, after the runs above; the same attachments, streamed from PostgreSQL with sequential access as the MDS/SDS section does): \`read\` into nothing, \`sha256\` hashed on the way, \`writer\` through BundleWriter into a file (stored entries with CRC-32 and SHA-256) — the attachment part of the export without workbooks and index pages:"
    echo
    echo "$PROFILE" | grep -E '^profile (read|sha256|writer):' | sed 's/^profile /- /'
    echo
    echo "The CPU steps of the .xlsx each checklist and MDS/SDS gets in the bundle (same tool, no database): \`parse\` the template JSON, \`xlsx\` FormWorkbookWriter.Write (EPPlus), \`normalize\` DeterministicXlsx (MB = bytes in and out):"
    echo
    echo "$PROFILE" | grep -E '^profile (parse|xlsx|normalize) ' | sed 's/^profile /- /'
  fi
} > "$RESULTS"
echo
cat "$RESULTS"
