#!/usr/bin/env bash
# Builds the images of api-gateway, ingest-service and delivery-service with podman, from material
# on this machine only (no registry is reachable, none is needed; ADR 0017):
#   localhost/hookrelay/debian-base:bookworm  the few Debian packages a JVM service needs, copied
#                                         from this machine's installation (made again when one
#                                         of them is upgraded); no package manager, no shell tools
#   localhost/hookrelay/jre:25            that base + a JRE jlink-ed from the build's JDK 25 (made
#                                         again when the JDK, the module list or the base changes)
#   localhost/hookrelay/<service>:<tag>   Containerfile.service: the Spring Boot jar's layers, the
#                                         JVM options of deploy/jvm/, an AOT cache from a training run
#
#   deploy/images/build.sh [tag]          (tag: default "dev"; the jars must be packaged first:
#                                          ./mvnw -pl api-gateway,ingest-service,delivery-service -am -DskipTests package)
#
# Needs root (rootful podman), podman and runc (.ci/run installs them), and a Debian to take the base from.
# podman reads target/containers.conf (written here, nothing in /etc): this machine kind refuses
# podman's default rlimits and crun's cgroup handling (MACHINE.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/deploy/images"
WORK="$HERE/target"
TAG="${1:-dev}"
SERVICES=(api-gateway ingest-service delivery-service)
BASE=localhost/hookrelay/debian-base:bookworm
RUNTIME=localhost/hookrelay/jre:25

say() { printf '%s build.sh: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { echo "deploy/images/build.sh: $*" >&2; exit 1; }

command -v podman >/dev/null 2>&1 || fail "podman is missing: apt-get install podman runc"
(( EUID == 0 )) || fail "needs root (rootful podman)"

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

# The Debian packages the base is made of, taken from this machine's own installation (every
# Debian has them: they are essential or required): the C library and the C++ runtime (the JVM;
# snappy-java's native code), bash (entrypoint.sh and the training step) with its terminfo
# library, and base-files (/etc/os-release, the directory tree). Nothing else: no package
# manager, no coreutils, no user tools; the JRE brings its own time zones and certificates.
BASE_PACKAGES=(base-files libc6 libgcc-s1 libstdc++6 libtinfo6 bash)

build_base() {
  command -v dpkg-query >/dev/null 2>&1 || fail "the base is made from this machine's Debian packages: no dpkg-query here"
  local versions
  versions="$(dpkg-query -W -f '${Package}=${Version}:${Architecture}\n' "${BASE_PACKAGES[@]}")" \
    || fail "the base needs these Debian packages installed: ${BASE_PACKAGES[*]}"
  # made again when one of the packages is upgraded
  local version
  version="$(sha256sum <<<"$versions" | cut -c1-12)"
  if image_exists "$BASE" \
     && [[ "$(podman image inspect --format '{{ index .Labels "io.hookrelay.packages" }}' "$BASE")" == "$version" ]]; then
    return
  fi
  say "base from this machine's packages: $(tr '\n' ' ' <<<"$versions")"
  local rootfs="$WORK/rootfs" list="$WORK/base-files.list"
  rm -rf "$rootfs" && mkdir -p "$rootfs"/usr/{bin,lib,lib64,sbin} "$rootfs"/{etc,tmp}
  # merged /usr, as Debian has it since bookworm, whatever the layout of this machine
  local top
  for top in bin lib lib64 sbin; do
    ln -s "usr/$top" "$rootfs/$top"
  done
  chmod 1777 "$rootfs/tmp"
  # every path the packages installed, except the top directories made above; docs, man pages and
  # locales a service never reads (the C.UTF-8 locale lives in /usr/lib/locale and is kept)
  dpkg-query -L "${BASE_PACKAGES[@]}" \
    | grep '^/' | grep -vxE '/\.?|/(bin|lib|lib64|sbin)' \
    | grep -vE '^/usr/share/(doc|man|info|locale|lintian|bug)(/|$)' \
    | while IFS= read -r path; do
        [[ -e "$path" || -L "$path" ]] && printf '%s\n' "${path#/}"
      done > "$list"
  # a path under /bin, /lib, ... goes to /usr/bin, /usr/lib, ... (names only, not link targets)
  tar -C / --no-recursion -c -T "$list" \
      --transform='s,^\(bin\|lib\|lib64\|sbin\)/,usr/\1/,SH' \
    | tar -C "$rootfs" -x
  # the only users: root and the one the services run as (uid/gid 10001; the chart's
  # securityContext names the same ids). No shell for either.
  printf '%s\n' 'root:x:0:0:root:/root:/usr/sbin/nologin' \
                 'hookrelay:x:10001:10001:hookrelay:/tmp:/usr/sbin/nologin' > "$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'hookrelay:x:10001:' > "$rootfs/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' > "$rootfs/etc/nsswitch.conf"
  [[ -x "$rootfs/usr/bin/bash" && -e "$rootfs/lib64/ld-linux-x86-64.so.2" ]] \
    || fail "the base lacks bash or the dynamic loader; see $list"
  ln -s bash "$rootfs/usr/bin/sh"
  tar -C "$rootfs" --numeric-owner -c . \
    | podman import --quiet --change "LABEL io.hookrelay.packages=$version" - "$BASE" >/dev/null
  rm -rf "$rootfs"
}

build_runtime() {
  local version
  # made again when the JDK, the module list or the base changes
  version="$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
  version="$version+$(cat "$HERE/jre-modules" <(podman image inspect --format '{{.Id}}' "$BASE") | sha256sum | cut -c1-12)"
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
