#!/usr/bin/env bash
# Rooms load benchmark without browsers: 1,000 WebSocket clients in 250 rooms on one node.
#   bench/rooms.sh [clients] [per-room]     (defaults 1000 and 4)
# Starts Parlor through the launcher (SQLite in a temp dir), creates an unlimited organization
# with the CLI, runs bench/RoomsBench.java, prints a Markdown table and writes it to
# bench/results/rooms-latest.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLIENTS="${1:-1000}"
PER_ROOM="${2:-4}"
PORT=18183
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

./parlor --help >/dev/null   # builds the jar if needed (and finds the JDK)

wait_http() { # url timeout-seconds
  local end=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $end ] || { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.05
  done
}

export PARLOR_DATA_DIR="$WORK/data" PARLOR_PORT=$PORT PARLOR_HOST=127.0.0.1 PARLOR_ACCESS_LOG=false
./parlor serve >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!; PIDS+=("$SERVE_PID")
wait_http "http://127.0.0.1:$PORT/readyz" 60
JPID="$(pgrep -f "parlor.jar serve" | while read -r p; do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "PARLOR_PORT=$PORT"; then echo "$p"; fi
done | head -n1)"
KEY="$(./parlor org create --name "bench-rooms-$(date +%s%N)" --plan unlimited --json 2>/dev/null \
  | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')"

OUT="$(./parlor java bench/RoomsBench.java "http://127.0.0.1:$PORT" "$KEY" "$JPID" "$CLIENTS" "$PER_ROOM")"

mkdir -p bench/results
{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(./parlor java -version 2>&1 | head -n1)"
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  while IFS='|' read -r k v; do echo "| $k | $v |"; done <<<"$OUT"
} | tee bench/results/rooms-latest.md
