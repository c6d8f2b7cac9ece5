#!/usr/bin/env bash
# Start-up time: from `java -jar` to readiness UP (/actuator/health/readiness answers 200) with an empty
# registry, RUNS times each, as the jar runs and with the class-data sharing (AppCDS) archive the container
# image builds: the jar extracted (`-Djarmode=tools extract`), one training run that stops once the context
# is refreshed (`-XX:ArchiveClassesAtExit -Dspring.context.exit=onRefresh`), then `-XX:SharedArchiveFile`.
# Prints each run and the medians. Starts and stops only its own servers, one at a time.
#
#   bench/startup.sh                 # RUNS=5, JAVA_OPTS="-Xmx512m"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
BEACON_JAR=${BEACON_JAR:-$ROOT/target/beacon.jar}
[[ -f "$BEACON_JAR" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/beacon-startup.XXXXXX")
java -Djarmode=tools -jar "$BEACON_JAR" extract --destination "$WORK/app" >/dev/null
APP="$WORK/app/$(basename "$BEACON_JAR")"
# shellcheck disable=SC2086
java $JAVA_OPTS -XX:ArchiveClassesAtExit="$WORK/app/beacon.jsa" -Dspring.context.exit=onRefresh -jar "$APP" \
  --server.address=127.0.0.1 --server.port=0 >"$WORK/training.log" 2>&1 || true
[[ -f "$WORK/app/beacon.jsa" ]] || { echo "training run wrote no archive; see $WORK/training.log" >&2; exit 1; }

once() { # label jar [jvm flags...] -> seconds to readiness UP
  local label=$1 jar=$2; shift 2
  local port pid start end
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS "$@" -jar "$jar" --server.address=127.0.0.1 --server.port="$port" >"$WORK/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; then break; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
PLAIN=(); CDS=()
for i in $(seq 1 "$RUNS"); do # interleaved, so both see the same machine
  PLAIN+=("$(once plain "$BEACON_JAR")")
  CDS+=("$(once cds "$APP" -XX:SharedArchiveFile="$WORK/app/beacon.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)")
  echo "run $i: java -jar ${PLAIN[-1]} s, extracted + AppCDS ${CDS[-1]} s (load average $(cut -d' ' -f1 /proc/loadavg))"
done
echo "median seconds to readiness UP: java -jar $(printf '%s\n' "${PLAIN[@]}" | median), extracted + AppCDS $(printf '%s\n' "${CDS[@]}" | median) ($(java -version 2>&1 | head -1))"
rm -rf "$WORK"
