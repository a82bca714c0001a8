#!/usr/bin/env bash
# Statements and commits per message, as PostgreSQL counts them (docs/benchmarks.md, "Fewer
# statements per accept"): starts bin/run-local on a temporary data directory, turns on
# pg_stat_statements (one restart of the platform), runs bin/bench's steady scenario against it and
# prints commits per message, statements per message and the statements by number of calls.
#
#   deploy/bench/scripts/statements-per-message.sh [rate msg/s, default 50] [seconds, default 30]
#
# Needs psql (Debian: postgresql-client). Loopback only; stops the platform on exit.
set -euo pipefail
RATE="${1:-50}"
SECONDS_STEADY="${2:-30}"
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"

sql() { psql -h 127.0.0.1 -p "$(sed -n 4p "$DATA/postgres/postmaster.pid")" -U postgres -d hookrelay -qAtc "$1"; }

start_platform
sql "alter system set shared_preload_libraries = 'pg_stat_statements'"
stop_platform
start_platform
sql "create extension if not exists pg_stat_statements"

bin/bench --target "http://127.0.0.1:$PORT" --token "$TOKEN" --data-dir "$DATA" --scenarios steady \
  --steady-rate "$RATE" --steady-seconds "$SECONDS_STEADY" --warmup-seconds 30 --out "$DATA/bench" > "$DATA/bench.log" 2>&1 &
BENCH=$!
# count from the end of the warm-up to the end of the steady scenario (and its drain)
until grep -q 'steady: .* msg/s for' "$DATA/bench.log"; do kill -0 "$BENCH" 2>/dev/null || { cat "$DATA/bench.log" >&2; exit 1; }; sleep 0.5; done
sql "select pg_stat_statements_reset()" > /dev/null
commits_before=$(sql "select xact_commit from pg_stat_database where datname = 'hookrelay'")
until grep -q 'steady: .* sent' "$DATA/bench.log"; do kill -0 "$BENCH" 2>/dev/null || { cat "$DATA/bench.log" >&2; exit 1; }; sleep 0.5; done
sleep 3
commits_after=$(sql "select xact_commit from pg_stat_database where datname = 'hookrelay'")
messages=$((RATE * SECONDS_STEADY))
echo "code: $(git rev-parse --short HEAD); $messages messages at $RATE msg/s"
echo "commits per message: $(awk -v a="$commits_after" -v b="$commits_before" -v n="$messages" 'BEGIN {printf "%.2f", (a - b) / n}')"
echo "statements per message: $(sql "select round(sum(calls)::numeric / $messages, 2) from pg_stat_statements where query not like '%pg_stat%'")"
echo "calls | total ms | statement"
sql "select calls, round(total_exec_time::numeric, 1), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
     from pg_stat_statements where query not like '%pg_stat%' order by calls desc limit 25"
wait "$BENCH" || true
