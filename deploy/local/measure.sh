#!/usr/bin/env bash
# Measures the local platform as a user meets it: time from `bin/run-local` to the ready line
# (first run on an empty data directory, then with the data kept), time to stop on SIGTERM,
# resident memory of each process, and accept-to-attempt latency of sequential messages sent to
# a loopback receiver. Loopback only. Usage: deploy/local/measure.sh [runs] [messages]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RUNS="${1:-3}"
MESSAGES="${2:-100}"
PORT="${MEASURE_PORT:-18190}"
RECEIVER_PORT="${MEASURE_RECEIVER_PORT:-18191}"
DATA="$(mktemp -d /tmp/hookrelay-measure.XXXXXX)"
OUT="$DATA/run-local.out"
LAUNCHER_PID=""

cleanup() {
  [[ -n "$LAUNCHER_PID" ]] && kill -TERM "$LAUNCHER_PID" 2>/dev/null && while kill -0 "$LAUNCHER_PID" 2>/dev/null; do sleep 0.1; done
  [[ -n "${RECEIVER_PID:-}" ]] && kill "$RECEIVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

now() { date +%s.%N; }
# Both set globals (not $(...) subshells) so the launcher's pid survives.
start_platform() {
  : > "$OUT"
  local start; start=$(now)
  HOOKRELAY_DATA="$DATA" HOOKRELAY_PORT="$PORT" bin/run-local > "$OUT" 2>&1 &
  LAUNCHER_PID=$!
  until grep -q "is ready" "$OUT"; do
    kill -0 "$LAUNCHER_PID" 2>/dev/null || { cat "$OUT"; exit 1; }
    sleep 0.1
  done
  READY=$(printf '%.1f' "$(echo "$(now) - $start" | bc)")
}
stop_platform() {
  local start; start=$(now)
  kill -TERM "$LAUNCHER_PID"
  while kill -0 "$LAUNCHER_PID" 2>/dev/null; do sleep 0.1; done
  LAUNCHER_PID=""
  STOPPED=$(printf '%.1f' "$(echo "$(now) - $start" | bc)")
}

./mvnw -q -DskipTests package
echo "== start-up and shut-down (bin/run-local, $RUNS runs)"
for run in $(seq "$RUNS"); do
  start_platform
  stop_platform
  [[ $run == 1 ]] && label="empty data directory" || label="data kept"
  echo "run $run ($label): ready in ${READY} s, stopped in ${STOPPED} s"
done

start_platform
TOKEN="$(cat "$DATA/admin-token")"
HR="http://127.0.0.1:$PORT"
java bin/support/EchoReceiver.java "$RECEIVER_PORT" > /dev/null 2>&1 &
RECEIVER_PID=$!
sleep 3

echo "== resident memory after start-up (MiB)"
for pid in $(pgrep -f "hookrelay.parent-pid=$LAUNCHER_PID"); do
  name=$(ps -o args= -p "$pid" | grep -oE 'ingest-service|delivery-service|api-gateway|KafkaBrokerMain' | head -1)
  printf '  %-18s %6.0f\n' "$name" "$(ps -o rss= -p "$pid" | awk '{print $1/1024}')"
done
printf '  %-18s %6.0f\n' "launcher" "$(ps -o rss= -p "$LAUNCHER_PID" | awk '{print $1/1024}')"
pg_pids=$(pgrep -f "postgres -D $DATA/postgres" || true)
[[ -n "$pg_pids" ]] && printf '  %-18s %6.0f  (postmaster only)\n' "postgres" "$(ps -o rss= -p "${pg_pids%% *}" | awk '{print $1/1024}')"

echo "== accept-to-attempt latency, $MESSAGES sequential messages, 1 endpoint on loopback"
auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
curl -sf -o /dev/null -X POST "$HR/api/v1/app" "${auth[@]}" -d '{"name":"measure","uid":"measure"}'
curl -sf -o /dev/null -X POST "$HR/api/v1/app/measure/endpoint" "${auth[@]}" \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"uid\":\"measure-ep\"}"
for i in $(seq "$MESSAGES"); do
  curl -sf -o /dev/null -X POST "$HR/api/v1/app/measure/msg" "${auth[@]}" \
    -d "{\"eventType\":\"measure.event\",\"eventId\":\"m-$i\",\"payload\":{\"n\":$i}}"
  sleep 0.05
done
sleep 3
PGPORT=$(sed -n 's/^  postgres  127.0.0.1://p' "$OUT")
"$(dirname "$(ls /usr/lib/jvm/*25*/bin/java | head -1)")/java" -version 2>&1 | head -1 | sed 's/^/  JDK: /'
if command -v psql >/dev/null; then
  psql -qAt -h 127.0.0.1 -p "$PGPORT" -U postgres hookrelay -c "
    select format('  delivered %s of %s; latency ms p50 %s, p90 %s, p99 %s, max %s', count(*) filter (where a.status = 0), count(*),
      round(percentile_cont(0.5) within group (order by ms)::numeric, 1), round(percentile_cont(0.9) within group (order by ms)::numeric, 1),
      round(percentile_cont(0.99) within group (order by ms)::numeric, 1), round(max(ms)::numeric, 1))
    from (select a.status, extract(epoch from a.created_at - m.created_at) * 1000 as ms
          from delivery.attempt a join ingest.message m on m.id = a.msg_id where m.app_id = (select id from ingest.application where uid = 'measure')) a"
else
  echo "  (install psql to print the latency figures)"
fi
stop_platform
echo "  stopped in ${STOPPED} s"
