#!/usr/bin/env bash
# Webhook delivery throughput, and API latency while a webhook backlog is being delivered:
#   bench/webhooks.sh [events] [requests]          (defaults 10000 events, 20000 GET / 5000 POST)
# Processes (on one machine, so they share its cores):
#   - the receiver: bench/webhook-receiver.js (Node), answering 200 at once on /fast and after
#     20 ms on /slow?delay=20; it counts POSTs and distinct event ids;
#   - the server: bench/WebhooksBench.java runs the App in-process, with the server's JVM flags
#     (-XX:+UseSerialGC -Xmx256m, as the launcher), and orchestrates: it stages the events
#     through the real outbox, pending but not yet due (see the class comment), then makes them
#     due at once and times the drain;
#   - the API client: WebhooksBench.java in `load` mode, its own JVM, 8 closed-loop virtual
#     threads (the same client and counts for the baseline and for the run with a backlog).
# Runs on SQLite, then on PostgreSQL: PARLOR_BENCH_PG (default
# jdbc:postgresql://127.0.0.1:5432/parlor_bench_webhooks?user=postgres), dropped and created
# again with psql; PARLOR_BENCH_PG=skip skips it. Bounded: fixed event and request counts.
# PARLOR_WEBHOOK_CONCURRENCY (default 16, the server's default) is passed to the server.
# Prints a Markdown table and writes it to bench/results/webhooks-latest.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EVENTS="${1:-10000}"
REQUESTS="${2:-20000}"
PG="${PARLOR_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432/parlor_bench_webhooks?user=postgres}"
WORK="$(mktemp -d)"
RECEIVER_PID=""
cleanup() { if [ -n "$RECEIVER_PID" ]; then kill "$RECEIVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

./parlor --help >/dev/null   # builds the jar and target/lib if needed (and finds the JDK)
LOAD_START="$(uptime)"
JDK="$(./parlor java -version 2>&1 | head -n1)"

node bench/webhook-receiver.js 0 >"$WORK/receiver.out" 2>"$WORK/receiver.err" &
RECEIVER_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/receiver.out" && break; sleep 0.05; done
RPORT="$(sed -n 's/^listening //p' "$WORK/receiver.out")"
[ -n "$RPORT" ] || { echo "bench: receiver did not start" >&2; cat "$WORK/receiver.err" >&2; exit 1; }

run() { # jdbc-url|sqlite  output-file
  MALLOC_ARENA_MAX=2 ./parlor java -XX:+UseSerialGC -Xmx256m --enable-native-access=ALL-UNNAMED \
    -cp "target/classes:target/lib/*" bench/WebhooksBench.java "$1" "http://127.0.0.1:$RPORT" \
    "$EVENTS" "$REQUESTS" "$RECEIVER_PID" >"$2" 2>"$WORK/log" || { tail -n 40 "$WORK/log" >&2; exit 1; }
}

echo "bench: SQLite ..." >&2
run sqlite "$WORK/sqlite.out"
COLS=("$WORK/sqlite.out")
HEAD="| measure | SQLite |"
RULE="|---|---:|"
if [ "$PG" != "skip" ]; then
  echo "bench: PostgreSQL ..." >&2
  DB="$(sed -n 's|.*://[^/]*/\([^?]*\).*|\1|p' <<<"$PG")"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null
  run "$PG" "$WORK/pg.out"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
  COLS+=("$WORK/pg.out")
  HEAD="| measure | SQLite | PostgreSQL |"
  RULE="|---|---:|---:|"
fi
LOAD_END="$(uptime)"

mkdir -p bench/results
{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $JDK;" \
    "$EVENTS events, receiver: Node $(node --version)"
  echo
  echo "$HEAD"
  echo "$RULE"
  # rows in the SQLite run's order; the other column looked up by key
  awk -F'|' 'FNR == NR { if (!($1 in v)) order[++n] = $1; v[$1] = $2; next }
             { w[FILENAME, $1] = $2; files[FILENAME] = 1 }
             END {
               for (i = 1; i <= n; i++) {
                 k = order[i]; if (k == "database") continue
                 line = "| " k " | " v[k] " |"
                 for (f in files) line = line " " w[f, k] " |"
                 print line
               }
             }' "${COLS[@]}"
  echo
  echo "- machine load at start: ${LOAD_START#*load average: }; at end: ${LOAD_END#*load average: }"
} | tee bench/results/webhooks-latest.md
