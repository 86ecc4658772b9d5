#!/usr/bin/env bash
# Runs every test: unit, integration (against a throwaway PostgreSQL cluster) and browser (Debian's chromium).
# Installs what is missing from Debian's packages when run as root.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
PG_PORT="${VP_TEST_PG_PORT:-5434}"
PG_DIR="$ROOT/.data/test-pg"
# shellcheck source=scripts/pg-cluster.sh
source scripts/pg-cluster.sh

missing=()
pg_bin_dir >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
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

# A fresh throwaway cluster for every run.
pg_cluster_stop "$PG_DIR"
rm -rf "$PG_DIR" "$PG_DIR.password"
mkdir -p "$ROOT/.data"
pg_cluster_start "$PG_DIR" "$PG_PORT"
trap 'pg_cluster_stop "$PG_DIR"' EXIT
export VP_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=vendorportal;Password=$PGPASSWORD;Include Error Detail=true"
export VP_CHROMIUM="${VP_CHROMIUM:-/usr/bin/chromium}"

dotnet build VendorPortal.sln -c Release -nologo -v q
set +e
dotnet test VendorPortal.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$ROOT/.data/test.log"
status=${PIPESTATUS[0]}
set -e
count() { { grep -Eo "^ +$1: +[0-9]+" "$ROOT/.data/test.log" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
