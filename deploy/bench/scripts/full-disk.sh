#!/usr/bin/env bash
# A real full disk under PostgreSQL (docs/reliability.md, "A database that refuses writes"):
# starts bin/run-local with PostgreSQL's data directory (tables and WAL) on a tmpfs of its own,
# runs bin/bench's steady scenario through the gateway, fills that tmpfs to the last byte for
# FULL seconds, frees it, and prints what clients saw, what PostgreSQL logged, whether every
# accepted message was delivered, and whether PostgreSQL came back by itself.
#   MODE tables (the default): PostgreSQL still has room in its current WAL segment, so a statement
#     that must extend a table fails with "No space left on device" (SQLSTATE 53100).
#   MODE wal: the script also forces a WAL segment switch (pg_switch_wal()), so the next write needs
#     a new segment file it cannot create: a PANIC, a crash recovery that cannot finish while the
#     disk is full, and the postmaster exits. bin/run-local restarts it (after 1 s, 2 s, 4 s ... at
#     most 30 s); if it is still down 60 s after the disk has room, the script starts it by hand,
#     as bin/chaos does, and says so.
#
#   [KEEP=1] deploy/bench/scripts/full-disk.sh [rate msg/s, default 50] [seconds full, default 30] [tmpfs MiB, default 512] [tables|wal]
#
# Needs root (mount -t tmpfs) and psql (Debian: postgresql-client). Loopback only; stops the
# platform and unmounts on exit.
set -euo pipefail
RATE="${1:-50}"
FULL="${2:-30}"
SIZE_MB="${3:-512}"
MODE="${4:-tables}"
[[ "$MODE" == tables || "$MODE" == wal ]] || { echo "MODE is tables or wal" >&2; exit 2; }
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)" >&2; exit 2; }
BEFORE=40   # seconds of the steady scenario before the disk fills
AFTER=60    # seconds of it after the disk has room again
(( EUID == 0 )) || { echo "needs root (mount -t tmpfs)" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/platform.sh"

PGDATA="$DATA/postgres"
mkdir -p "$PGDATA"
mount -t tmpfs -o "size=${SIZE_MB}m,mode=0700" hookrelay-full-disk "$PGDATA"
# KEEP=1 keeps the data directory (PostgreSQL's files go with the tmpfs; run-local.out, the services'
# logs and the bench's report stay)
trap 'stop_platform; umount "$PGDATA" 2>/dev/null || umount -l "$PGDATA" 2>/dev/null || true
      if [[ "${KEEP:-0}" == 1 ]]; then echo "kept: $DATA"; else rm -rf "$DATA"; fi' EXIT

say() { printf '%s +%3ds  %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - t0))" "$*"; }
postmaster_alive() { [[ -f "$PGDATA/postmaster.pid" ]] && kill -0 "$(head -1 "$PGDATA/postmaster.pid")" 2>/dev/null; }
sql() { psql -h 127.0.0.1 -p "$(sed -n 4p "$PGDATA/postmaster.pid")" -U postgres -d hookrelay -qAt -c "$1"; }
free_kb() { df -k --output=avail "$PGDATA" | tail -1 | tr -d ' '; }

start_platform
t0=$SECONDS
pg_bin="$(dirname "$(head -c 4096 "$PGDATA/postmaster.opts" | cut -d' ' -f1)")"
say "code $(git rev-parse --short HEAD); PostgreSQL's data directory on a ${SIZE_MB} MiB tmpfs; $RATE msg/s; mode $MODE"
bin/bench --target "http://127.0.0.1:$PORT" --token "$TOKEN" --data-dir "$DATA" --scenarios steady \
  --steady-rate "$RATE" --steady-seconds $((BEFORE + FULL + AFTER)) --warmup-seconds 30 --drain-timeout 240 \
  --out "$DATA/bench" > "$DATA/bench.log" 2>&1 &
BENCH=$!
until grep -qs 'steady: .* msg/s for' "$DATA/bench.log"; do
  kill -0 "$BENCH" 2>/dev/null || { cat "$DATA/bench.log" >&2; exit 1; }
  sleep 0.5
done
say "steady scenario started"
sleep "$BEFORE"

say "filling the disk (free before: $(free_kb) kB)"
dd if=/dev/zero of="$PGDATA/filler" bs=1M status=none 2>/dev/null || true
say "disk full (free: $(free_kb) kB)"
if [[ "$MODE" == wal ]]; then
  sql 'select pg_switch_wal()' >/dev/null \
    && say "WAL segment switched: the next write needs a new segment" || say "pg_switch_wal() failed"
fi
stopped_at=""
for ((s = 0; s < FULL; s++)); do
  if [[ -z "$stopped_at" ]] && ! postmaster_alive; then stopped_at=$((SECONDS - t0)); say "PostgreSQL is not running"; fi
  sleep 1
done
rm -f "$PGDATA/filler"
say "disk has room again (free: $(free_kb) kB)"

# bin/run-local restarts a PostgreSQL that died (after 1 s, 2 s, 4 s ... at most 30 s): wait for it
back_after=""
for ((s = 0; s < 60; s++)); do
  if postmaster_alive && sql 'select 1' >/dev/null 2>&1; then
    back_after=$s; break
  fi
  sleep 1
done
if [[ -z "$stopped_at" ]]; then
  say "PostgreSQL kept running"
elif [[ -n "$back_after" ]]; then
  say "PostgreSQL, stopped while the disk was full (first seen +${stopped_at}s), was running again ${back_after} s after the disk had room (restarted by bin/run-local)"
else
  # what bin/chaos does for a stopped PostgreSQL: pg_ctl start with the options it ran with
  opts="$(cat "$PGDATA/postmaster.opts")"
  args="$(sed -E 's/"-D" +"[^"]*"//' <<< "${opts#* }")"
  say "PostgreSQL stopped while the disk was full (first seen +${stopped_at}s) and did not come back within 60 s: starting it by hand"
  unshare -U "$pg_bin/pg_ctl" start -D "$PGDATA" -w -t 120 -l "$DATA/logs/postgres-restarted.log" -o "$args" > /dev/null
  say "PostgreSQL started again"
fi

wait "$BENCH" || true
say "bench done"
echo
echo "== what PostgreSQL logged, by message (logs/postgresql.log$( [[ -f "$DATA/logs/postgres-restarted.log" ]] && echo ', postgres-restarted.log'))"
cat "$DATA/logs/postgresql.log" "$DATA/logs/postgres-restarted.log" 2>/dev/null \
  | grep -E 'No space left|PANIC|FATAL|terminated by signal|terminating any other|all server processes terminated|database system (is ready|was interrupted|was not properly)|redo (starts|done)' \
  | sed -E 's/^.*(LOG|PANIC|FATAL|ERROR|WARNING): +/\1: /; s/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -20 || true
echo
echo "== what the services said about it (ERROR/WARN lines, by message)"
cat "$DATA"/logs/{api-gateway,ingest-service,delivery-service}.log 2>/dev/null | grep -E ' (ERROR|WARN) ' \
  | sed -E 's/^.* (ERROR|WARN) +[0-9]+ --- \[[^]]*\] +\[[^]]*\] *//; s/[0-9a-f-]{36}|msg_[A-Za-z0-9]+|app_[A-Za-z0-9]+|[0-9]{3,}/N/g' \
  | cut -c1-200 | sort | uniq -c | sort -rn | head -15 || true
echo
echo "== the bench's report"
sed -n '/^== steady/,/^== processes/p' "$DATA/bench/report.txt" 2>/dev/null | head -30 || true
