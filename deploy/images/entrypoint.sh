#!/bin/bash
# Starts one HookRelay service in its container with the JVM settings bin/run-local gives it
# (/app/jvm.options is deploy/jvm/<service>.options, unchanged), two container-specific changes:
# - the heap follows the container's memory limit when there is one: -Xmx = HOOKRELAY_HEAP_PERCENT
#   (default 50) % of the limit, given after the options file so it wins over the file's -Xmx. The
#   rest of the limit is for metaspace (up to 192 MB in the file), code cache, thread stacks and
#   Netty's direct buffers, which the file's -Xmx never covered either;
# - the AOT cache written by the image build's training run (/app/app.aot) loads and links the
#   classes Spring needs at start. If the JVM cannot use it, it says so and starts without it.
# JAVA_OPTS adds options (e.g. a GC log under /tmp); arguments are passed to Spring Boot.
set -euo pipefail

heap=()
# (bash builtins only: the image has no shell tools)
limit=max
for file in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
  if [[ -r "$file" ]]; then
    read -r limit < "$file"
    break
  fi
done
# cgroup v1 reports "no limit" as a number near 2^63
if [[ "$limit" =~ ^[0-9]+$ ]] && (( limit < (1 << 50) )); then
  heap=("-Xmx$(( limit / 1048576 * ${HOOKRELAY_HEAP_PERCENT:-50} / 100 ))m")
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java @/app/jvm.options "${heap[@]}" -XX:AOTCache=/app/app.aot -Djava.io.tmpdir=/tmp ${JAVA_OPTS:-} \
  -jar /app/app.jar "$@"
