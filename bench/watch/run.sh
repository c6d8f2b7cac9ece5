#!/usr/bin/env bash
# Beacon watch benchmark: propagation to 1,000 SSE and 1,000 long-poll watchers, and 10,000 held long
# polls while registrations continue. Starts target/beacon.jar on 127.0.0.1, runs WatchBench.java with
# the JDK's single-file launcher, stops the server. Bounded: every phase has a deadline.
#
#   bench/watch/run.sh              # builds the jar when missing
#   SSE=1000 POLLS=1000 ROUNDS=20 HELD=10000 LOAD_SECONDS=10 bench/watch/run.sh
#   SERVER_OPTS='-XX:StartFlightRecording=filename=target/bench-watch/server.jfr' bench/watch/run.sh
#   WARMUP_ROUNDS=3 SSE_CLIENT=jdk bench/watch/run.sh   # few unmeasured changes (a cold JIT), JDK HttpClient streams
#   SSE=0 LP_INSTANCES=30 bench/watch/run.sh             # long-poll answers of 30 to 50 instances (15 to 25 KB)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18480}
SSE=${SSE:-1000}
POLLS=${POLLS:-1000}
JDK_POLLS=${JDK_POLLS:-$POLLS}
ROUNDS=${ROUNDS:-20}
HELD=${HELD:-10000}
LOAD_SECONDS=${LOAD_SECONDS:-10}
OUT=${OUT:-target/bench-watch}
mkdir -p "$OUT"
[ -f target/beacon.jar ] || ./mvnw -B -q -DskipTests package
ulimit -n 20000 || true

java -XX:+ExitOnOutOfMemoryError -Xlog:gc:file="$OUT/gc.log" ${SERVER_OPTS:-} -jar target/beacon.jar --server.address=127.0.0.1 --server.port="$PORT" \
  --beacon.limits.max-watchers=30000 --beacon.limits.max-watchers-per-client=30000 \
  --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 \
  --logging.level.io.beacon.registry=WARN > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" > /dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/actuator/health" > /dev/null || { echo "Beacon did not start"; cat "$OUT/server.log"; exit 1; }
echo "JVM: $(java -version 2>&1 | head -1); heap: $(jcmd "$SERVER" GC.heap_info | sed -n 2p | sed "s/^ *//")"
timeout 900 java -Xss512k -Xmx2g bench/watch/WatchBench.java "$PORT" "$SERVER" "$SSE" "$POLLS" "$ROUNDS" "$HELD" "$LOAD_SECONDS" "$JDK_POLLS" \
  | tee "$OUT/result.txt"
curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^beacon_watch|^http_server_requests_seconds_(count|sum|max)\{.*uri="/register"' | tee -a "$OUT/result.txt"
