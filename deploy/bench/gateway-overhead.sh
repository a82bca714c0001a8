#!/usr/bin/env bash
# Gateway overhead benchmark (issue 6): what api-gateway adds to a request. Starts the local
# platform (bin/run-local) on a spare port with a temporary data directory, creates one
# application, then drives the same request mix (GET /api/v1/app/{app} and POST
# /api/v1/app/{app}/msg with a 256-byte payload, alternating) with wrk, once through the gateway
# (bearer token) and once straight to ingest-service (the internal credential the gateway would
# add), same connections, same duration, in alternating rounds after a warm-up of each. Prints
# requests/s and p50/p90/p99 per round, the medians, and the gateway's added latency, with the
# machine's load before and after, and the CPU time the gateway and ingest-service processes
# spent per request (from /proc; the figure the machine's other load disturbs least). Stops the
# platform with SIGTERM on exit. Loopback only.
#
# The gateway's rate limit is RAISED for the run (1,000,000 requests/s, burst 1,000,000), not
# disabled, so the per-token limiter stays in the measured path as operators run it.
#
#   deploy/bench/gateway-overhead.sh
#
#   BENCH_CONNECTIONS  concurrent connections (default 16)      BENCH_THREADS  wrk threads (default 1)
#   BENCH_DURATION     seconds per measured run (default 20)    BENCH_ROUNDS   rounds per target (default 3)
#   BENCH_WARMUP       seconds of warm-up per target (default 30)
#   BENCH_PORT         gateway port (default: a free one from 18400)
#   BENCH_KEEP_DATA    1 = keep the temporary data directory (service logs) after the run
#
# Needs wrk (installed with apt-get when missing and running as root) and curl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-1}"
DURATION="${BENCH_DURATION:-20}"
ROUNDS="${BENCH_ROUNDS:-3}"
WARMUP="${BENCH_WARMUP:-30}"
SCRIPT="$ROOT/deploy/bench/gateway-overhead.lua"

if ! command -v wrk >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing wrk (apt-get)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "gateway-overhead: wrk is required (Debian/Ubuntu: sudo apt-get install wrk)" >&2
    exit 2
  fi
fi
command -v curl >/dev/null 2>&1 || { echo "gateway-overhead: curl is required" >&2; exit 2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${BENCH_PORT:-}"
if [[ -z "$PORT" ]]; then
  for candidate in $(seq 18400 18499); do
    if port_free "$candidate"; then PORT=$candidate; break; fi
  done
  [[ -n "$PORT" ]] || { echo "gateway-overhead: no free port in 18400-18499 (set BENCH_PORT)" >&2; exit 2; }
fi

DATA="$(mktemp -d /tmp/hookrelay-gateway-overhead.XXXXXX)"
OUT="$DATA/run-local.out"
LAUNCHER_PID=""

cleanup() {
  local status=$?
  if [[ -n "$LAUNCHER_PID" ]] && kill -0 "$LAUNCHER_PID" 2>/dev/null; then
    echo "== stopping the platform (SIGTERM to $LAUNCHER_PID)"
    kill -TERM "$LAUNCHER_PID" 2>/dev/null || true
    for _ in $(seq 600); do  # at most 60 s
      kill -0 "$LAUNCHER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$LAUNCHER_PID" 2>/dev/null; then
      echo "gateway-overhead: the launcher did not stop within 60 s; SIGKILL" >&2
      kill -KILL "$LAUNCHER_PID" 2>/dev/null || true
    fi
    wait "$LAUNCHER_PID" 2>/dev/null || true
  fi
  if [[ "${BENCH_KEEP_DATA:-0}" == 1 ]]; then
    echo "== data directory kept: $DATA"
  else
    rm -rf "$DATA"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); load before: $(uptime | sed 's/.*load average: //')"
echo "== wrk: $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up and $ROUNDS x ${DURATION} s per target"
echo "== code: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')$(
  [[ -n "$(git -C "$ROOT" status --porcelain -- '*/src/main' 2>/dev/null)" ]] && echo ' + uncommitted changes under */src/main')"
echo "== starting bin/run-local on 127.0.0.1:$PORT, data in $DATA (gateway rate limit raised to 1,000,000/s)"
HOOKRELAY_DATA="$DATA" HOOKRELAY_PORT="$PORT" \
  HOOKRELAY_GATEWAY_RATELIMIT_REQUESTSPERSECOND=1000000 HOOKRELAY_GATEWAY_RATELIMIT_BURST=1000000 \
  bin/run-local > "$OUT" 2>&1 &
LAUNCHER_PID=$!
for _ in $(seq 6000); do  # at most 10 minutes, a build included
  grep -q '^HookRelay is ready:' "$OUT" && break
  kill -0 "$LAUNCHER_PID" 2>/dev/null || { echo "gateway-overhead: bin/run-local exited:" >&2; cat "$OUT" >&2; exit 2; }
  sleep 0.1
done
grep -q '^HookRelay is ready:' "$OUT" || { echo "gateway-overhead: the platform was not ready within 10 minutes" >&2; tail -50 "$OUT" >&2; exit 2; }

GATEWAY="http://127.0.0.1:$PORT"
INGEST="http://$(sed -n 's/^  ingest *\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$OUT" | head -1)"
ADMIN_TOKEN="$(cat "$DATA/admin-token")"
INTERNAL_TOKEN="$(cat "$DATA/internal-token")"
[[ "$INGEST" != "http://" ]] || { echo "gateway-overhead: could not read ingest-service's port from bin/run-local's output" >&2; exit 2; }
echo "== gateway $GATEWAY, ingest-service $INGEST"

APP="$(curl -sf -X POST "$GATEWAY/api/v1/app" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"gateway overhead benchmark"}' | sed -n 's/.*"id":"\(app_[^"]*\)".*/\1/p')"
[[ -n "$APP" ]] || { echo "gateway-overhead: could not create the application" >&2; exit 2; }
for check in "$GATEWAY|Authorization|Bearer $ADMIN_TOKEN" "$INGEST|X-HookRelay-Internal-Token|$INTERNAL_TOKEN"; do
  IFS='|' read -r url header value <<< "$check"
  # straight to ingest-service a request also says whose it is (the gateway strips a client's copy)
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/app/$APP" -H "$header: $value" -H 'X-HookRelay-Scope: org')"
  [[ "$status" == 200 ]] || { echo "gateway-overhead: GET $url/api/v1/app/$APP answered $status" >&2; exit 2; }
done
echo "== application $APP"

# CPU time the gateway and ingest-service processes spend per request is the figure the machine's
# other load disturbs least: read from /proc (utime + stime) around each run.
child_pid() {  # the launcher's child whose command line names $1
  local pid
  for pid in $(pgrep -P "$LAUNCHER_PID"); do
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -v -- "-Dhookrelay.aot-training" | grep -q -- "$1" \
      && { echo "$pid"; return 0; }
  done
  return 1
}
GATEWAY_PID="$(child_pid api-gateway.jar)" || { echo "gateway-overhead: cannot find the gateway process" >&2; exit 2; }
INGEST_PID="$(child_pid ingest-service.jar)" || { echo "gateway-overhead: cannot find the ingest-service process" >&2; exit 2; }
TICKS="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# run TARGET SECONDS: one wrk run, prints its RESULT line with the CPU used per request (µs)
run() {
  local gw_before ingest_before line
  gw_before="$(cpu_ticks "$GATEWAY_PID")"
  ingest_before="$(cpu_ticks "$INGEST_PID")"
  line="$(wrk_run "$@")"
  awk -v line="$line" -v gw=$(( $(cpu_ticks "$GATEWAY_PID") - gw_before )) \
      -v ingest=$(( $(cpu_ticks "$INGEST_PID") - ingest_before )) -v ticks="$TICKS" 'BEGIN {
    match(line, /requests=[0-9]+/); requests = substr(line, RSTART + 9, RLENGTH - 9)
    printf "%s gw_cpu_us=%.0f ingest_cpu_us=%.0f\n", line, gw * 1e6 / ticks / requests, ingest * 1e6 / ticks / requests
  }'
}

wrk_run() {
  local target=$1 seconds=$2
  if [[ "$target" == gateway ]]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$SCRIPT" "$GATEWAY" -- "$APP" Authorization "Bearer $ADMIN_TOKEN"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$SCRIPT" "$INGEST" -- "$APP" X-HookRelay-Internal-Token "$INTERNAL_TOKEN" X-HookRelay-Scope org
  fi | grep '^RESULT'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

echo "== warm-up: ${WARMUP} s each (not counted)"
run gateway "$WARMUP" > /dev/null
run direct "$WARMUP" > /dev/null

RESULTS="$DATA/results"
: > "$RESULTS"
printf '\n%-8s %5s %10s %9s %9s %9s %9s %7s %6s %12s %12s\n' target round "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" non2xx errors \
  "gw CPU µs" "ingest CPU µs"
for round in $(seq "$ROUNDS"); do
  order=(gateway direct)
  (( round % 2 == 0 )) && order=(direct gateway)  # alternate who goes first
  for target in "${order[@]}"; do
    line="$(run "$target" "$DURATION")"
    echo "$target $line" >> "$RESULTS"
    printf '%-8s %5d %10s %9s %9s %9s %9s %7s %6s %12s %12s\n' "$target" "$round" "$(field rps "$line")" "$(field p50 "$line")" \
      "$(field p90 "$line")" "$(field p99 "$line")" "$(field max "$line")" "$(field non2xx "$line")" "$(field socket_errors "$line")" \
      "$(field gw_cpu_us "$line")" "$(field ingest_cpu_us "$line")"
  done
done

median() {  # median of field $2 over the rounds of target $1
  grep "^$1 " "$RESULTS" | sed -n "s/.* $2=\([^ ]*\).*/\1/p" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
printf '%-22s %10s %9s %9s %9s %12s %12s\n' "median of $ROUNDS rounds" "req/s" "p50 ms" "p90 ms" "p99 ms" "gw CPU µs" "ingest CPU µs"
for target in gateway direct; do
  printf '%-22s %10s %9s %9s %9s %12s %12s\n' "$target" "$(median "$target" rps)" "$(median "$target" p50)" "$(median "$target" p90)" \
    "$(median "$target" p99)" "$(median "$target" gw_cpu_us)" "$(median "$target" ingest_cpu_us)"
done
awk -v g_rps="$(median gateway rps)" -v d_rps="$(median direct rps)" \
    -v g50="$(median gateway p50)" -v d50="$(median direct p50)" -v g90="$(median gateway p90)" -v d90="$(median direct p90)" \
    -v g99="$(median gateway p99)" -v d99="$(median direct p99)" 'BEGIN {
  printf "%-22s %9.1f%% %+9.3f %+9.3f %+9.3f\n", "gateway vs direct", 100 * g_rps / d_rps, g50 - d50, g90 - d90, g99 - d99
}'
echo "(last row: the gateway's throughput as a share of direct, and the latency it adds in ms;"
echo " CPU µs = CPU time of that process per request of the run, user + system)"

FAILED=0
if awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors)=/ && $i !~ /=0$/) bad = 1 } END { exit !bad }' "$RESULTS"; then
  echo "gateway-overhead: some requests failed (non-2xx or socket errors above): the figures are not comparable" >&2
  FAILED=1
fi
echo "== load after: $(uptime | sed 's/.*load average: //')"
exit "$FAILED"
