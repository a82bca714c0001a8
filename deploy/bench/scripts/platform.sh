# Sourced by the scripts beside it: a platform of their own (bin/run-local on a temporary data
# directory, a free loopback port in 18400-18499, a random admin token), stopped when the script
# exits. Sets ROOT (the repository, also the working directory), PORT, DATA, TOKEN, LAUNCHER;
# start_platform waits for "HookRelay is ready"; stop_platform stops it (SIGTERM to the launcher).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
PORT=""
for candidate in $(seq 18400 18499); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT=$candidate; break; fi
done
[[ -n "$PORT" ]] || { echo "no free port in 18400-18499" >&2; exit 2; }
DATA="$(mktemp -d /tmp/hookrelay-script.XXXXXX)"
TOKEN="admin-script-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
LAUNCHER=""
stop_platform() {
  if [[ -n "$LAUNCHER" ]] && kill -0 "$LAUNCHER" 2>/dev/null; then
    kill -TERM "$LAUNCHER"; wait "$LAUNCHER" 2>/dev/null || true
  fi
  LAUNCHER=""
}
trap 'stop_platform; rm -rf "$DATA"' EXIT

start_platform() {
  HOOKRELAY_DATA="$DATA" HOOKRELAY_PORT="$PORT" HOOKRELAY_ADMIN_TOKEN="$TOKEN" bin/run-local > "$DATA/run-local.out" 2>&1 &
  LAUNCHER=$!
  for _ in $(seq 600); do
    grep -q '^HookRelay is ready' "$DATA/run-local.out" && return 0
    kill -0 "$LAUNCHER" 2>/dev/null || break
    sleep 1
  done
  echo "the platform did not start:" >&2; tail -30 "$DATA/run-local.out" >&2; exit 2
}
