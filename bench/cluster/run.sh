#!/usr/bin/env bash
# Beacon cluster benchmark on 127.0.0.1: a 3-member cluster started with java -jar, measured with wrk.
#   1. acknowledged heartbeats/s through one member (each one replicated synchronously to all three)
#   2. discover req/s through one member, then the same against a single-node Beacon
#   3. time for a killed member to rejoin (readiness UP, full state) with REJOIN_INSTANCES instances
# Usage: bench/cluster/run.sh            (DURATION=10s INSTANCES=1000 REJOIN_INSTANCES=100000 by default;
#        REJOIN_INSTANCES=0 skips step 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/cluster
DURATION=${DURATION:-10s}
INSTANCES=${INSTANCES:-1000}
REJOIN_INSTANCES=${REJOIN_INSTANCES:-100000}
OUT=${OUT:-target/bench-cluster}
mkdir -p "$OUT"
[ -f target/beacon.jar ] || ./mvnw -B -q -DskipTests package
MEMBERS="127.0.0.1[17801],127.0.0.1[17802],127.0.0.1[17803]"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_member() { # $1 = 1..3
  java -Xmx768m -jar target/beacon.jar --server.port=1808"$1" --server.address=127.0.0.1 \
    --beacon.cluster.enabled=true --beacon.cluster.node-name=m"$1" --beacon.cluster.bind-address=127.0.0.1 \
    --beacon.cluster.port=1780"$1" --beacon.cluster.fd-port-offset=100 --beacon.cluster.members="$MEMBERS" \
    --beacon.cluster.cluster-name=bench --beacon.lease.duration=30m --beacon.lease.evict-after=1h \
    --management.endpoint.health.group.readiness.include=readinessState,cluster \
    --logging.level.io.beacon.registry=WARN >"$OUT/member-$1.log" 2>&1 &
  PIDS[$1]=$!
}
wait_ready() { # $1 = port
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "member on $1 never became ready" >&2; return 1
}
register_many() { # $1 = port
  seq 1 "$INSTANCES" | xargs -P 8 -I{} curl -fs -o /dev/null -H 'Content-Type: application/json' \
    -d '{"name":"bench","id":"i-{}","address":"10.0.0.1","port":8080}' "http://127.0.0.1:$1/register"
}
rps() { grep "Requests/sec" | awk '{print $2}'; }

echo "== starting 3 members"
for i in 1 2 3; do start_member $i; done
for i in 1 2 3; do wait_ready 1808$i; done
register_many 18081
echo "registered $INSTANCES instances: $(curl -fs 'http://127.0.0.1:18083/discover?name=bench' | grep -o '"count":[0-9]*')"

HB=$(INSTANCES=$INSTANCES wrk -t2 -c16 -d"$DURATION" -s $HERE/heartbeat.lua http://127.0.0.1:18082 | tee "$OUT/heartbeats.txt" | rps)
echo "heartbeats/s through one member (3-member cluster): $HB"
DC=$(wrk -t2 -c16 -d"$DURATION" "http://127.0.0.1:18081/discover?name=bench" | tee "$OUT/discover-cluster.txt" | rps)
echo "discover req/s through one member (3-member cluster): $DC"

echo "== single node"
java -Xmx768m -jar target/beacon.jar --server.port=18090 --server.address=127.0.0.1 \
  --logging.level.io.beacon.registry=WARN >"$OUT/single.log" 2>&1 &
PIDS[4]=$!
wait_ready 18090
register_many 18090
DS=$(wrk -t2 -c16 -d"$DURATION" "http://127.0.0.1:18090/discover?name=bench" | tee "$OUT/discover-single.txt" | rps)
kill "${PIDS[4]}"; wait "${PIDS[4]}" 2>/dev/null || true
echo "discover req/s single node: $DS  (cluster/single = $(awk "BEGIN{printf \"%.2f\", $DC/$DS}"))"

[ "$REJOIN_INSTANCES" -gt 0 ] || exit 0
echo "== rejoin with $REJOIN_INSTANCES instances"
LIMIT=$REJOIN_INSTANCES THREADS=2 timeout 600 wrk -t2 -c16 -d600s -s $HERE/register.lua http://127.0.0.1:18081 >"$OUT/register.txt" 2>&1 &
WRK=$!
while true; do
  N=$(curl -fs http://127.0.0.1:18081/actuator/health | grep -o '"instances":[0-9]*' | head -1 | cut -d: -f2)
  [ "${N:-0}" -ge $((REJOIN_INSTANCES + INSTANCES)) ] && break
  sleep 1
done
kill $WRK 2>/dev/null || true; wait $WRK 2>/dev/null || true
echo "instances in the cluster: $N"
kill -9 "${PIDS[3]}"; wait "${PIDS[3]}" 2>/dev/null || true
sleep 3
T0=$(date +%s.%N)
start_member 3
wait_ready 18083
T1=$(date +%s.%N)
HAS=$(curl -fs http://127.0.0.1:18083/actuator/health | grep -o '"instances":[0-9]*' | head -1)
echo "rejoin (JVM start to readiness UP with full state): $(awk "BEGIN{printf \"%.1f\", $T1-$T0}") s; member 3 holds $HAS"
