#!/usr/bin/env bash
# Heap per held watcher: COUNT long polls, then COUNT idle SSE streams, held by one raw-NIO client
# (bench/watch/Held.java), heap after a full GC minus the baseline, divided by COUNT. Starts one Beacon on
# 127.0.0.1 (BEACON_JAR, default target/beacon.jar) and stops only it. Bounded: every wait has a deadline.
#
#   bench/watchers.sh                                   # COUNT=10000
#   COUNT=2000 BEACON_ARGS="--server.tomcat.processor-cache=200" bench/watchers.sh
#   JAVA_OPTS="-Xmx384m" bench/watchers.sh              # default -Xmx512m -XX:+ExitOnOutOfMemoryError
#   INSTANCES=100000 LOAD_SECONDS=10 JAVA_OPTS="-Xmx1536m" bench/watchers.sh
#                       # a registry of that size first, re-registrations/s without and with the held long polls
#                       # (-Xmx1536m: the heap of the Helm chart's default 2Gi limit at MaxRAMPercentage=75)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${COUNT:-10000}
INSTANCES=${INSTANCES:-0}
LOAD_SECONDS=${LOAD_SECONDS:-0}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
BEACON_JAR=${BEACON_JAR:-$ROOT/target/beacon.jar}
[[ -f "$BEACON_JAR" ]] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
ulimit -n $((COUNT * 2 + 1000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
LOG=$(mktemp "${TMPDIR:-/tmp}/beacon-watchers.XXXXXX.log")
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$BEACON_JAR" --server.address=127.0.0.1 --server.port="$PORT" \
  --beacon.limits.max-watchers=$((COUNT * 2)) --beacon.limits.max-watchers-per-client=$((COUNT * 2)) \
  --beacon.limits.registrations-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 \
  --beacon.limits.max-instances=$((INSTANCES + 1000)) \
  ${BEACON_ARGS:-} >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; echo "server log: $LOG" >&2' EXIT
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" && break
  sleep 0.5
done
echo "Beacon $(basename "$BEACON_JAR") ${BEACON_ARGS:-}; JVM flags: $JAVA_OPTS; $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 900 java -Xss512k -Xmx1g "$ROOT/bench/watch/Held.java" "$PORT" "$SERVER" "$COUNT" "$INSTANCES" "$LOAD_SECONDS"
