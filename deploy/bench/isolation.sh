#!/usr/bin/env bash
# Delivery isolation benchmark (issue 5): starts the local platform (bin/run-local) on a spare
# port with a temporary data directory, runs deploy/bench/IsolationBenchmark.java for scenario A
# (50 healthy endpoints) and scenario B (the same plus one that sleeps 30 s and one that answers
# 503), prints the figures and the machine load, and stops the platform with SIGTERM on exit.
# Loopback only; every loop is bounded.
#
#   deploy/bench/isolation.sh [IsolationBenchmark flags, e.g. --messages 600 --rate 20]
#
#   BENCH_PORT       gateway port (default: a free one from 18300)
#   BENCH_KEEP_DATA  1 = keep the temporary data directory (service logs) after the run
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_java() {  # a JDK 21+ for the single-file program; prefer 25 as bin/run-local does
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  candidates+=(/usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*/bin/java)
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for java in "${candidates[@]}"; do
    if [[ -x "$java" ]] && (( $(java_major "$java" || echo 0) >= 21 )); then
      echo "$java"
      return 0
    fi
  done
  return 1
}
JAVA="$(find_java)" || { echo "isolation: a JDK 21 or newer is required (set JAVA_HOME)." >&2; exit 2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${BENCH_PORT:-}"
if [[ -z "$PORT" ]]; then
  for candidate in $(seq 18300 18399); do
    if port_free "$candidate"; then PORT=$candidate; break; fi
  done
  [[ -n "$PORT" ]] || { echo "isolation: no free port in 18300-18399 (set BENCH_PORT)" >&2; exit 2; }
fi

DATA="$(mktemp -d /tmp/hookrelay-isolation.XXXXXX)"
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
      echo "isolation: the launcher did not stop within 60 s; SIGKILL" >&2
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

echo "== machine: $(nproc) CPUs; load before: $(uptime | sed 's/.*load average: //')"
echo "== benchmark JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') ($JAVA)"
echo "== code: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')$(
  [[ -n "$(git -C "$ROOT" status --porcelain -- '*/src/main' 2>/dev/null)" ]] && echo ' + uncommitted changes under */src/main')"
echo "== starting bin/run-local on 127.0.0.1:$PORT, data in $DATA"
HOOKRELAY_DATA="$DATA" HOOKRELAY_PORT="$PORT" bin/run-local > "$OUT" 2>&1 &
LAUNCHER_PID=$!
for _ in $(seq 6000); do  # at most 10 minutes, a build included
  grep -q '^HookRelay is ready:' "$OUT" && break
  kill -0 "$LAUNCHER_PID" 2>/dev/null || { echo "isolation: bin/run-local exited:" >&2; cat "$OUT" >&2; exit 2; }
  sleep 0.1
done
grep -q '^HookRelay is ready:' "$OUT" || { echo "isolation: the platform was not ready within 10 minutes" >&2; tail -50 "$OUT" >&2; exit 2; }
echo "== $(grep '^HookRelay is ready:' "$OUT" | sed 's/admin token: .*/admin token in $HOOKRELAY_DATA\/admin-token/')"

set +e
"$JAVA" deploy/bench/IsolationBenchmark.java --gateway "http://127.0.0.1:$PORT" --token-file "$DATA/admin-token" "$@"
RESULT=$?
set -e
echo "== load after: $(uptime | sed 's/.*load average: //')"
exit "$RESULT"
