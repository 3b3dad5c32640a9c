#!/usr/bin/env bash
# Rooms load benchmark without browsers: 1,000 WebSocket clients in 250 rooms on one node.
#   bench/rooms.sh [clients] [per-room]     (defaults 1000 and 4)
# WEBHOOKS=1 adds a webhook endpoint for every room event (joined, left, session started and
# ended) on a Node receiver (bench/webhook-receiver.js): each join then waits for its outbox
# commit inside the room's lock, which is what this measures.
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
export PARLOR_WEBHOOK_ALLOW_PRIVATE=true
./parlor serve >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!; PIDS+=("$SERVE_PID")
wait_http "http://127.0.0.1:$PORT/readyz" 60
JPID="$(pgrep -f "parlor.jar serve" | while read -r p; do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "PARLOR_PORT=$PORT"; then echo "$p"; fi
done | head -n1)"
ORG_JSON="$(./parlor org create --name "bench-rooms-$(date +%s%N)" --plan unlimited --json 2>/dev/null)"
KEY="$(sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p' <<<"$ORG_JSON")"
if [ "${WEBHOOKS:-0}" = "1" ]; then
  ORG_ID="$(sed -n 's/.*"organizationId":"\([^"]*\)".*/\1/p' <<<"$ORG_JSON")"
  node bench/webhook-receiver.js 0 >"$WORK/receiver.out" &
  PIDS+=("$!")
  for _ in $(seq 1 50); do grep -q listening "$WORK/receiver.out" 2>/dev/null && break; sleep 0.1; done
  RPORT="$(sed -n 's/listening //p' "$WORK/receiver.out")"
  ./parlor webhook add --org "$ORG_ID" --url "http://127.0.0.1:$RPORT/fast" \
    --events room.client.joined,room.client.left,room.session.started,room.session.ended >/dev/null
  sleep 1.2   # the server's subscription cache refreshes every second
fi

OUT="$(./parlor java bench/RoomsBench.java "http://127.0.0.1:$PORT" "$KEY" "$JPID" "$CLIENTS" "$PER_ROOM")"

mkdir -p bench/results
{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(./parlor java -version 2>&1 | head -n1)"
  [ "${WEBHOOKS:-0}" = "1" ] && echo "with a webhook endpoint for every room event; receiver: $(curl -s "http://127.0.0.1:$RPORT/count")"
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  while IFS='|' read -r k v; do echo "| $k | $v |"; done <<<"$OUT"
} | tee bench/results/rooms-latest.md
