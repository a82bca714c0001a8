#!/usr/bin/env bash
# Runs the signer-lib JMH benchmarks and prints signer-lib against the raw javax.crypto.Mac +
# Base64 baseline, per payload size.
#
#   signer-benchmarks/run.sh                     # default: -f 1 -wi 3 -w 2s -i 5 -r 2s (about 6 minutes)
#   signer-benchmarks/run.sh -p size=1024 V1Benchmark    # any JMH options and benchmark filters
#
# Builds the benchmark jar first when it is missing or older than the sources. Needs JDK 25+:
# $JAVA_HOME if it is one, else the first JDK 25+ under /usr/lib/jvm, else `java` on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=signer-benchmarks/target/benchmarks.jar

spec_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

find_java() {
  local candidate
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [[ -x "$candidate" ]] || continue
    if (( $(spec_version "$candidate" | cut -d. -f1) >= 25 )); then
      echo "$candidate"
      return
    fi
  done
  echo "run.sh: no JDK 25+ found (set JAVA_HOME)" >&2
  exit 1
}

if [[ ! -f "$JAR" ]] || [[ -n "$(find signer-lib/src signer-lib/pom.xml signer-benchmarks/src signer-benchmarks/pom.xml -newer "$JAR" -print -quit)" ]]; then
  echo "run.sh: building $JAR" >&2
  ./mvnw -q -pl signer-lib,signer-benchmarks -am -DskipTests package >&2
fi

JAVA="$(find_java)"
echo "run.sh: $("$JAVA" -version 2>&1 | head -1), $(nproc) CPUs" >&2

if (( $# == 0 )); then
  set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
fi
exec "$JAVA" -cp "$JAR" io.hookrelay.signer.benchmarks.CompareToBaseline "$@"
