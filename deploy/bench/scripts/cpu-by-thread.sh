#!/usr/bin/env bash
# Where the CPU goes at a steady rate, process by process and thread by thread (docs/benchmarks.md,
# "CPU by thread at a low rate"): starts bin/run-local on a temporary data directory, runs
# bin/bench's steady scenario against it for a while, and prints
#   - every 10 s, each process's CPU as % of one core (the JIT's warm-up shows as a slow decline),
#   - over a 60 s window ending 30 s before the load stops, each service's busiest threads (by
#     name; numbered pool threads summed) in ms of CPU per message.
#
#   deploy/bench/scripts/cpu-by-thread.sh [rate msg/s, default 50] [seconds, default 300]
#
# Linux /proc only. Loopback only; stops the platform on exit. Run it on an idle machine.
set -euo pipefail
RATE="${1:-50}"
SECONDS_STEADY="${2:-300}"
(( SECONDS_STEADY >= 120 )) || { echo "seconds: at least 120 (the window is the 60 s before the last 30)" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"

start_platform
SERVICES="api-gateway ingest-service delivery-service"
declare -A PID
for name in $SERVICES kafka; do
  for p in $(pgrep -f -- "deploy/jvm/$name.options"); do
    grep -qa -- "-Dhookrelay.parent-pid=$LAUNCHER" "/proc/$p/cmdline" && ! grep -qa -- "-Dhookrelay.aot-training" "/proc/$p/cmdline" \
      && PID[$name]=$p
  done
  [[ -n "${PID[$name]:-}" ]] || { echo "no $name process of this platform" >&2; exit 1; }
done
POSTMASTER=$(head -1 "$DATA/postgres/postmaster.pid")
jiffies() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
cpu_of() { if [[ $1 == postgresql ]]; then jiffies "$POSTMASTER" $(pgrep -P "$POSTMASTER"); else jiffies "${PID[$1]}"; fi; }
# per thread name (pool numbers folded: reactor-http-epoll-1 and -2 count as one), jiffies
threads_of() {
  for f in /proc/"$1"/task/*/stat; do
    [[ -r $f ]] && echo "$(awk '{print $14 + $15}' "$f" 2>/dev/null) $(sed 's/[-#]*[0-9]*$//' "${f%stat}comm" 2>/dev/null)"
  done | awk '{n = $1; $1 = ""; a[$0] += n} END {for (k in a) print a[k] "\t" k}'
}

bin/bench --target "http://127.0.0.1:$PORT" --token "$TOKEN" --data-dir "$DATA" --scenarios steady \
  --steady-rate "$RATE" --steady-seconds "$SECONDS_STEADY" --warmup-seconds 5 --out "$DATA/bench" > "$DATA/bench.log" 2>&1 &
BENCH=$!
until grep -q 'steady: .* msg/s for' "$DATA/bench.log"; do kill -0 "$BENCH" 2>/dev/null || { cat "$DATA/bench.log" >&2; exit 1; }; sleep 0.2; done

NAMES="$SERVICES kafka postgresql"
echo "code: $(git rev-parse --short HEAD); $RATE msg/s for $SECONDS_STEADY s; CPU as % of one core per 10 s"
printf '%6s' "t (s)"; for n in $NAMES; do printf '%18s' "$n"; done; echo
declare -A LAST
for n in $NAMES; do LAST[$n]=$(cpu_of "$n"); done
start=$SECONDS
for ((t = 10; t <= SECONDS_STEADY; t += 10)); do
  sleep $((start + t - SECONDS))
  printf '%6d' "$t"
  for n in $NAMES; do now=$(cpu_of "$n"); printf '%17d%%' $(((now - LAST[$n]) * 100 / (10 * $(getconf CLK_TCK)))); LAST[$n]=$now; done
  echo
  if (( t == SECONDS_STEADY - 90 || t == SECONDS_STEADY - 30 )); then
    for s in $SERVICES; do threads_of "${PID[$s]}" > "$DATA/threads-$s-$t"; done
  fi
done
messages=$((RATE * 60))
for s in $SERVICES; do
  echo "== $s: busiest threads from t=$((SECONDS_STEADY - 90)) to t=$((SECONDS_STEADY - 30)) s, ms of CPU per message ($messages messages)"
  awk -F'\t' -v n="$messages" -v hz="$(getconf CLK_TCK)" 'NR == FNR {before[$2] = $1; next}
      {d = $1 - before[$2]; if (d > 0) printf "%8.3f  %s\n", d * 1000 / hz / n, $2}' \
    "$DATA/threads-$s-$((SECONDS_STEADY - 90))" "$DATA/threads-$s-$((SECONDS_STEADY - 30))" | sort -rn | head -8
done
wait "$BENCH" || true
grep -E '^  (accepted|delivered|lost) ' "$DATA/bench/report.txt" 2>/dev/null || true
