#!/usr/bin/env bash
# The insights endpoints under load on a large generated history, on SQLite and PostgreSQL:
#   bench/insights-bench.sh [seconds] [clients] [orgs] [rooms-per-org]
# (defaults: 60 s, 16 clients, 100 organizations of 1,000 rooms: 100,000 rooms, about 1,000,000
# connections and 10,000,000 samples). The generated databases are kept under target/bench-insights
# and reused by later runs (REGENERATE=1 makes them again; generation takes minutes).
# PostgreSQL: PARLOR_BENCH_PG_DB (default parlor_bench_insights) on 127.0.0.1:5432 as postgres;
# PARLOR_BENCH_PG=skip skips it. Prints Markdown and writes it to bench/results/insights.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_RUN="${1:-60}"
CLIENTS="${2:-16}"
ORGS="${3:-100}"
ROOMS="${4:-1000}"
PORT=18190
DIR="$ROOT/target/bench-insights/${ORGS}x${ROOMS}"
PGDB="${PARLOR_BENCH_PG_DB:-parlor_bench_insights}_${ORGS}x${ROOMS}"
PG="jdbc:postgresql://127.0.0.1:5432/$PGDB?user=postgres"
SECRET="insights-bench-secret-0123456789abcdef"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
mkdir -p "$DIR" bench/results

./parlor --help >/dev/null   # builds the jar and target/lib if needed (and finds the JDK)
java_run() { ./parlor java -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED "$@"; }

wait_http() {
  local end=$((SECONDS + 120))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $end ] || { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.2
  done
}

generate() { # name jdbc-url manifest
  echo "bench: generating $ORGS x $ROOMS rooms into $1 (minutes) ..." >&2
  local t0=$SECONDS
  java_run -Xmx1g -cp "target/classes:target/lib/*" bench/InsightsGenerate.java "$2" "$3" "$ORGS" "$ROOMS" \
    2>"$DIR/generate-$1.log" | tee "$DIR/generate-$1.out" >&2
  echo "generated in $((SECONDS - t0)) s" >>"$DIR/generate-$1.out"
}

measure() { # name jdbc-url manifest
  echo "bench: serving $1 and loading it for ${SECONDS_PER_RUN}s with $CLIENTS clients ..." >&2
  PARLOR_DATABASE_URL="$2" PARLOR_PORT=$PORT PARLOR_HOST=127.0.0.1 PARLOR_SECRET="$SECRET" \
    PARLOR_DATA_DIR="$DIR/data-$1" PARLOR_ACCESS_LOG=false ./parlor serve >"$DIR/serve-$1.out" 2>"$DIR/serve-$1.err" &
  local pid=$!; PIDS+=("$pid")
  wait_http "http://127.0.0.1:$PORT/readyz"
  java_run -Xmx512m bench/InsightsLoad.java "http://127.0.0.1:$PORT" "$3" "$SECONDS_PER_RUN" "$CLIENTS" 2>"$DIR/load-$1.err"
  local jpid; jpid="$(pgrep -P "$pid" java || echo "$pid")"
  awk '/VmHWM/ {printf "\nserver peak resident memory (VmHWM): %.0f MiB\n", $2/1024}' "/proc/$jpid/status" 2>/dev/null || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(./parlor java -version 2>&1 | head -n1)"
  echo
  SQLITE="jdbc:sqlite:$DIR/sqlite.db"
  if [ "${REGENERATE:-0}" = 1 ] || [ ! -f "$DIR/manifest-sqlite.tsv" ]; then
    rm -f "$DIR"/sqlite.db*
    generate sqlite "$SQLITE" "$DIR/manifest-sqlite.tsv"
  fi
  echo "### SQLite"
  echo
  grep -v " organizations, " "$DIR/generate-sqlite.out" | sed 's/^/    /'
  ls -l "$DIR"/sqlite.db* | awk '{s+=$5} END {printf "\n    database size: %.0f MiB\n\n", s/1048576}'
  measure sqlite "$SQLITE" "$DIR/manifest-sqlite.tsv"
  echo
  if [ "${PARLOR_BENCH_PG:-}" != skip ]; then
    if [ "${REGENERATE:-0}" = 1 ] || [ ! -f "$DIR/manifest-postgresql.tsv" ]; then
      psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
      psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $PGDB" >/dev/null
      generate postgresql "$PG&reWriteBatchedInserts=true" "$DIR/manifest-postgresql.tsv"
    fi
    echo "### PostgreSQL"
    echo
    grep -v " organizations, " "$DIR/generate-postgresql.out" | sed 's/^/    /'
    psql -h 127.0.0.1 -U postgres -tAc "SELECT '    database size: ' || pg_size_pretty(pg_database_size('$PGDB'))"
    echo
    measure postgresql "$PG" "$DIR/manifest-postgresql.tsv"
  fi
} | tee bench/results/insights.md
