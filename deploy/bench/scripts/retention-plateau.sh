#!/usr/bin/env bash
# Does the database stop growing under a steady load? (docs/reliability.md, "Storage that stays
# bounded"): starts bin/run-local on a temporary data directory with short retention windows (the
# idempotency window and the attempts' retention = WINDOW, the sweeps every 10 s), runs bin/bench's
# steady scenario for MINUTES, and prints every minute the size (heap + TOAST + indexes, kB) and
# live rows of the tables that grow with traffic. The windowed tables should level off once the
# run is longer than WINDOW; ingest.message keeps its rows for ever (as the Svix server; payloads
# are cleared after their payloadRetentionPeriod, 5 days at the shortest, so not within a run).
#
#   deploy/bench/scripts/retention-plateau.sh [rate msg/s, default 50] [minutes, default 15] [window, default 3m]
#
# Needs psql (Debian: postgresql-client). Loopback only; stops the platform on exit.
set -euo pipefail
RATE="${1:-50}"
MINUTES="${2:-15}"
WINDOW="${3:-3m}"
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"

export HOOKRELAY_IDEMPOTENCY_WINDOW="$WINDOW" HOOKRELAY_DELIVERY_RETENTION_ATTEMPTS="$WINDOW" \
  HOOKRELAY_INGEST_RETENTION_EVERY=10s HOOKRELAY_DELIVERY_RETENTION_EVERY=10s
start_platform
sql() { psql -h 127.0.0.1 -p "$(sed -n 4p "$DATA/postgres/postmaster.pid")" -U postgres -d hookrelay -qAtF' ' -c "$1"; }
TABLES="ingest.idempotency_key ingest.message_event_id delivery.attempt ingest.message ingest.outbox delivery.pending_delivery"

bin/bench --target "http://127.0.0.1:$PORT" --token "$TOKEN" --data-dir "$DATA" --scenarios steady \
  --steady-rate "$RATE" --steady-seconds $((MINUTES * 60)) --warmup-seconds 30 --out "$DATA/bench" > "$DATA/bench.log" 2>&1 &
BENCH=$!
until grep -q 'steady: .* msg/s for' "$DATA/bench.log"; do kill -0 "$BENCH" 2>/dev/null || { cat "$DATA/bench.log" >&2; exit 1; }; sleep 0.5; done

echo "code: $(git rev-parse --short HEAD); $RATE msg/s for $MINUTES min; windows $WINDOW (idempotency keys, eventIds, attempts)"
echo "each cell: total kB / live rows (pg_total_relation_size, pg_stat_user_tables.n_live_tup)"
printf '%4s' min; for t in $TABLES; do printf '%28s' "$t"; done; echo
start=$SECONDS
for ((m = 0; m <= MINUTES; m++)); do
  sleep $((start + m * 60 - SECONDS))
  printf '%4d' "$m"
  for t in $TABLES; do
    printf '%28s' "$(sql "select pg_total_relation_size('$t') / 1024 || ' / ' || coalesce((select n_live_tup from pg_stat_user_tables where relid = '$t'::regclass), 0)")"
  done
  echo
done
wait "$BENCH" || true
grep -E '^  (accepted|delivered|lost) ' "$DATA/bench/report.txt" 2>/dev/null || true
