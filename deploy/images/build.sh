#!/usr/bin/env bash
# Builds the images of api-gateway, ingest-service and delivery-service with podman, from material
# on this machine only (no registry is reachable, none is needed; ADR 0017):
#   localhost/hookrelay/debian:bookworm   debootstrap --variant=minbase from the apt mirror the
#                                         machine is configured with; made once, kept while it exists
#   localhost/hookrelay/jre:25            that base + a JRE jlink-ed from the build's JDK 25 (made
#                                         again only when the JDK's version changes)
#   localhost/hookrelay/<service>:<tag>   Containerfile.service: the Spring Boot jar's layers, the
#                                         JVM options of deploy/jvm/, an AOT cache from a training run
#
#   deploy/images/build.sh [tag]          (tag: default "dev"; the jars must be packaged first:
#                                          ./mvnw -pl api-gateway,ingest-service,delivery-service -am -DskipTests package)
#
# Needs root (rootful podman; debootstrap) and podman, runc, debootstrap (.ci/run installs them).
# podman reads target/containers.conf (written here, nothing in /etc): this machine kind refuses
# podman's default rlimits and crun's cgroup handling (MACHINE.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/images"
WORK="$HERE/target"
TAG="${1:-dev}"
SERVICES=(api-gateway ingest-service delivery-service)
BASE=localhost/hookrelay/debian:bookworm
RUNTIME=localhost/hookrelay/jre:25

say() { printf '%s build.sh: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { echo "deploy/images/build.sh: $*" >&2; exit 1; }

for tool in podman debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: apt-get install podman runc debootstrap, or build without -Dimages"
done
(( EUID == 0 )) || fail "needs root (rootful podman, debootstrap)"

find_jdk25() {
  local java
  for java in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*25*/bin/java; do
    if [[ -x "$java" && -x "$(dirname "$java")/jlink" ]] \
       && [[ "$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" == 25 ]]; then
      dirname "$(dirname "$java")"
      return 0
    fi
  done
  return 1
}
JDK="$(find_jdk25)" || fail "no JDK 25 with jlink (set JAVA_HOME)"

mkdir -p "$WORK"
source "$HERE/podman-env.sh" "$WORK"

image_exists() { podman image exists "$1"; }

build_base() {
  if image_exists "$BASE"; then
    return
  fi
  # The mirror apt is configured with (deb822 or one-line sources), so nothing here names a host.
  local mirror
  mirror="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)"
  [[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)"
  [[ -n "$mirror" ]] || fail "no apt mirror configured for debootstrap"
  say "debootstrap bookworm (minbase), once"
  local rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$WORK/debootstrap.log" 2>&1 \
    || fail "debootstrap failed, see $WORK/debootstrap.log"
  # what a running service never reads: package lists, docs, man pages, locales (206 -> 81 MB)
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* \
         "$rootfs"/usr/share/{doc,man,info,locale}/*
  tar -C "$rootfs" -c . | podman import --quiet - "$BASE" >/dev/null
  rm -rf "$rootfs"
}

build_runtime() {
  local version
  # made again when the JDK or the module list changes
  version="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
  version="$version+$(sha256sum "$HERE/jre-modules" | cut -c1-12)"
  if image_exists "$RUNTIME" \
     && [[ "$(podman image inspect --format '{{ index .Labels "io.hookrelay.jdk" }}' "$RUNTIME")" == "$version" ]]; then
    return
  fi
  say "jlink JRE $version"
  local context="$WORK/runtime"
  rm -rf "$context" && mkdir -p "$context"
  # Spring Boot 4 needs java.instrument and jdk.management besides the usual modules; java.desktop
  # for java.beans; java.compiler for Spring Data's start-up (javax.lang.model); Kafka's
  # SASL/Kerberos clients java.security.jgss/sasl and jdk.security.auth.
  "$JDK/bin/jlink" --add-modules "$(tr -d ' \n' < "$HERE/jre-modules")" \
    --strip-debug --no-man-pages --no-header-files --output "$context/jre"
  cp "$HERE/Containerfile.runtime" "$context/Containerfile"
  podman build --quiet --label "io.hookrelay.jdk=$version" -t "$RUNTIME" "$context" >/dev/null
  rm -rf "$context/jre"
}

build_service() {
  local service="$1" jar="$ROOT/$1/target/$1.jar"
  [[ -f "$jar" ]] || fail "$jar is missing: ./mvnw -pl $service -am -DskipTests package"
  local context="$WORK/$service"
  rm -rf "$context" && mkdir -p "$context"
  # lib/ plus an app.jar whose manifest lists them: a plain class path, which the AOT cache needs
  # (it cannot cache classes loaded from jars nested in the Boot jar).
  "$JDK/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$context/extracted" >/dev/null
  mv "$context/extracted/lib" "$context/lib"
  mv "$context/extracted/$service.jar" "$context/app.jar"
  # The build date in jar entries would change the layer on every build; the files' bytes decide.
  touch -d @0 "$context"/lib/* "$context/app.jar"
  cp "$ROOT/deploy/jvm/$service.options" "$context/jvm.options"
  cp "$HERE/entrypoint.sh" "$context/"
  cp "$HERE/training/$service.args" "$context/training.args"
  cp "$HERE/Containerfile.service" "$context/Containerfile"
  say "image localhost/hookrelay/$service:$TAG"
  podman build --quiet --build-arg "RUNTIME=$RUNTIME" -t "localhost/hookrelay/$service:$TAG" "$context" \
    > "$WORK/$service.build.log" 2>&1 || { tail -40 "$WORK/$service.build.log" >&2; fail "building $service failed"; }
}

build_base
build_runtime
for service in "${SERVICES[@]}"; do
  build_service "$service"
done
say "done: $(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "hookrelay/.*:$TAG" | tr '\n' ' ')"
