#!/usr/bin/env bash
# Parlor's HTTP benchmark, side by side with a Helidon hello-world ceiling, in one invocation.
#   bench/run.sh [duration-seconds]   (default 15)
# Needs wrk (apt-get install wrk). Loopback only; every load run is bounded by its duration.
# Prints a Markdown table and writes it to bench/results/latest.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-15}"
CONNS=64
THREADS=2
HELLO_PORT=18181
PORT=18182
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }

./parlor --help >/dev/null   # builds the jar if needed (and finds the JDK)

wait_http() { # url timeout-seconds
  local end=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $end ] || { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.01
  done
}

wrk_run() { # label script url
  local out
  out="$(wrk -t$THREADS -c$CONNS -d"${DURATION}s" --latency -s "$2" "$3")"
  local rps p99 non2xx
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
  echo "$1|$rps|$p99|${non2xx:-0}"
}

rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

echo "bench: hello-world ceiling" >&2
./parlor java -cp "target/lib/*" bench/HelloWorld.java $HELLO_PORT >"$WORK/hello.log" 2>&1 &
HELLO_PID=$!; PIDS+=("$HELLO_PID")
wait_http "http://127.0.0.1:$HELLO_PORT/hello" 60
wrk -t$THREADS -c$CONNS -d3s "http://127.0.0.1:$HELLO_PORT/hello" >/dev/null   # warm-up
HELLO="$(wrk_run "hello-world GET" bench/plain.lua "http://127.0.0.1:$HELLO_PORT/hello")"
kill "$HELLO_PID"; wait "$HELLO_PID" 2>/dev/null || true

export PARLOR_DATA_DIR="$WORK/data" PARLOR_PORT=$PORT PARLOR_HOST=127.0.0.1
export PARLOR_API_KEY="bench-default-key-0123456789"
# One start and stop first, so the class-data-sharing archive exists, as it does after the
# launcher's first run on any machine.
./parlor serve >"$WORK/first.log" 2>&1 &
P=$!; wait_http "http://127.0.0.1:$PORT/readyz" 60; kill "$P"; wait "$P" 2>/dev/null || true

echo "bench: parlor" >&2
T0=$(date +%s%N)
./parlor serve >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!; PIDS+=("$SERVE_PID")
wait_http "http://127.0.0.1:$PORT/readyz" 60
T1=$(date +%s%N)
READY_MS=$(( (T1 - T0) / 1000000 ))
JPID="$(pgrep -f "parlor.jar serve" | head -n1)"

KEY="$(./parlor org create --name "bench-$(date +%s%N)" --plan unlimited --json 2>/dev/null \
  | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')"
export PARLOR_BENCH_KEY="$KEY"
ID="$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/meetings" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -d '{"endDate":"2099-01-01T00:00:00Z"}' \
  | sed -n 's/.*"meetingId":"\([0-9]*\)".*/\1/p')"

wrk -t$THREADS -c$CONNS -d3s -s bench/get-meeting.lua "http://127.0.0.1:$PORT/v1/meetings/$ID" >/dev/null
GET="$(wrk_run "parlor GET /v1/meetings/{id}" bench/get-meeting.lua "http://127.0.0.1:$PORT/v1/meetings/$ID")"
wrk -t$THREADS -c$CONNS -d3s -s bench/post-meeting.lua "http://127.0.0.1:$PORT/v1/meetings" >/dev/null
POST="$(wrk_run "parlor POST /v1/meetings" bench/post-meeting.lua "http://127.0.0.1:$PORT/v1/meetings")"
RSS="$(rss_mib "$JPID")"
COUNT="$(curl -s "http://127.0.0.1:$PORT/metrics" | awk -F' ' '/^parlor_http_requests_seconds_count\{.*method="POST".*route="\/v1\/meetings".*status="201"/ {s+=$2} END {printf "%d", s}')"

HELLO_RPS="$(cut -d'|' -f2 <<<"$HELLO")"; GET_RPS="$(cut -d'|' -f2 <<<"$GET")"
RATIO="$(awk -v a="$GET_RPS" -v b="$HELLO_RPS" 'BEGIN {printf "%.0f", 100*a/b}')"

mkdir -p bench/results
{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, wrk -t$THREADS -c$CONNS -d${DURATION}s, $(./parlor java -version 2>&1 | head -n1)"
  echo
  echo "| run | requests/s | p99 ms | non-2xx |"
  echo "|---|---:|---:|---:|"
  for r in "$HELLO" "$GET" "$POST"; do echo "| ${r//|/ | } |"; done
  echo
  echo "- GET is ${RATIO}% of the hello-world ceiling"
  echo "- POST 201s counted by the server's own metrics: $COUNT"
  echo "- ready (/readyz 200) ${READY_MS} ms after the launcher started (jar built, CDS archive present)"
  echo "- peak resident memory (VmHWM) of the server: ${RSS} MiB"
} | tee bench/results/latest.md
