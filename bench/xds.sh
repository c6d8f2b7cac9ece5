#!/usr/bin/env bash
# xDS figures (docs/performance.md, "xDS"). Two processes: Beacon (from target/classes, xDS on, rate budgets
# off) and the client, src/test/java/io/beacon/xds/XdsBenchClient.java, which holds the ADS streams, registers
# over Beacon's HTTP API and times both ends on its own clock:
#   1. propagation: STREAMS streams over CONNECTIONS channels subscribed to one service's ClusterLoadAssignment;
#      ROUNDS registrations, SPACING_MS apart, each timed from its HTTP request to the CLA with the new endpoint
#      arriving on each stream: per stream p50/p99/max. Before them, WARM_UP unmeasured changes (an instance
#      added and removed in turn, back to back) let both JVMs compile the push and receive paths;
#   2. IDLE idle streams (a service each): Beacon's heap after GC before/after opening them (per stream), and
#      registrations/s over HTTP (WRITERS writers, REGISTRATIONS each) without, with, and without them again.
#   bench/xds.sh                                  # 1,000 streams x 30 registrations; 10,000 idle streams
#   STREAMS=200 ROUNDS=10 IDLE=1000 bench/xds.sh   # a quick check of the harness
#   CLASSES=<dir> bench/xds.sh                   # Beacon from another build's classes (an A/B in one sitting)
#   PROFILE=1 bench/xds.sh                        # also records Beacon and the client with JFR during the
#                                                 # measured rounds (paths printed at the end)
#   ASYNC_PROFILER=<libasyncProfiler.so> IDLE=0 bench/xds.sh   # samples both with async-profiler instead, into
#                                                 # beacon.collapsed and client.collapsed (collapsed stacks)
# Prints the load average before and after, and the XDS result lines.
set -euo pipefail
NAME=xds; source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export STREAMS=${STREAMS:-1000} ROUNDS=${ROUNDS:-30} WARM_UP=${WARM_UP:-1500} SPACING_MS=${SPACING_MS:-200}
export IDLE=${IDLE:-10000} REGISTRATIONS=${REGISTRATIONS:-5000} WRITERS=${WRITERS:-4} CONNECTIONS=${CONNECTIONS:-4}

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  log "compiling"
  ./mvnw -o -q test-compile
fi
./mvnw -o -q dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$WORK/server.cp" >/dev/null
./mvnw -o -q dependency:build-classpath -DincludeScope=test -Dmdep.outputFile="$WORK/client.cp" >/dev/null

PORT=$(free_port); XDS_PORT=$(free_port)
SERVER_OPTS="-Xms512m -Xmx1g ${BEACON_JAVA_OPTS:-}"
# shellcheck disable=SC2086
java $SERVER_OPTS -cp "${CLASSES:-target/classes}:$(cat "$WORK/server.cp")" io.beacon.BeaconApplication \
  --server.address=127.0.0.1 --server.port="$PORT" --beacon.xds.enabled=true --beacon.xds.port="$XDS_PORT" \
  --beacon.xds.address=127.0.0.1 --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 \
  --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 --logging.level.root=WARN \
  >"$WORK/beacon.log" 2>&1 &
BEACON_PID=$!; PIDS+=("$BEACON_PID")
B="http://127.0.0.1:$PORT"
for i in $(seq 1 600); do
  curl -fsS -o /dev/null "$B/actuator/health/readiness" 2>/dev/null && break
  kill -0 "$BEACON_PID" 2>/dev/null || { echo "Beacon exited; see $WORK/beacon.log" >&2; exit 1; }
  [[ $i == 600 ]] && { echo "Beacon not ready after 300 s" >&2; exit 1; }
  sleep 0.5
done

echo "XDS start $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
CLIENT_JFR="$WORK/client.jfr" BEACON_PROFILE="$WORK/beacon.collapsed" CLIENT_PROFILE="$WORK/client.collapsed" \
  REGISTRY_URL="$B" XDS_PORT="$XDS_PORT" REGISTRY_PID="$BEACON_PID" \
  java -Xms256m -Xmx1g -cp "target/test-classes:target/classes:$(cat "$WORK/client.cp")" io.beacon.xds.XdsBenchClient \
  2>"$WORK/client.log" | tee "$WORK/results.txt"
if [[ -n "${ASYNC_PROFILER:-}" ]]; then
  echo "XDS profiles of the measured rounds: $WORK/beacon.collapsed and $WORK/client.collapsed"
fi
echo "XDS end $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${PROFILE:-0}" == "1" ]]; then
  jcmd "$BEACON_PID" JFR.dump name=xds filename="$WORK/beacon.jfr" >/dev/null
  echo "XDS profiles of the measured rounds: $WORK/beacon.jfr and $WORK/client.jfr (jfr view hot-methods FILE)"
fi
