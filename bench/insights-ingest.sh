#!/usr/bin/env bash
# Insights ingestion throughput on SQLite and PostgreSQL, in one invocation:
#   bench/insights-ingest.sh [rooms] [minutes]        (default 2000 rooms, 10 minutes of room time)
# PostgreSQL: PARLOR_BENCH_PG (default jdbc:postgresql://127.0.0.1:5432/parlor_bench_ingest?user=postgres);
# the database is dropped and created again (needs psql). Set PARLOR_BENCH_PG=skip to skip it.
# Every run is bounded: fixed event counts, no duration loop.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROOMS="${1:-2000}"
MINUTES="${2:-10}"
PG="${PARLOR_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/parlor_bench_ingest?user=postgres}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

./parlor --help >/dev/null   # builds the jar and target/lib if needed (and finds the JDK)
run() { # jdbc-url
  # The server's own heap and GC (see the launcher), so the numbers are the server's.
  ./parlor java -XX:+UseSerialGC -Xmx256m --enable-native-access=ALL-UNNAMED \
    -cp "target/classes:target/lib/*" bench/InsightsIngest.java "$1" "$ROOMS" "$MINUTES" \
    2>"$WORK/log" || { tail -n 30 "$WORK/log" >&2; exit 1; }
}

echo "== SQLite"
run "jdbc:sqlite:$WORK/ingest.db"
ls -l "$WORK"/ingest.db* | awk '{s+=$5} END {printf "database size: %.1f MiB\n", s/1048576}'

if [ "$PG" != "skip" ]; then
  echo "== PostgreSQL"
  DB="$(sed -n 's|.*://[^/]*/\([^?]*\).*|\1|p' <<<"$PG")"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
  run "$PG"
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 'database size: ' || pg_size_pretty(pg_database_size('$DB'))"
fi
