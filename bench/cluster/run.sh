#!/usr/bin/env bash
# Beacon cluster benchmark on 127.0.0.1: a 3-member cluster started with java -jar, measured with wrk.
#   1. acknowledged heartbeats/s through one member (each one replicated synchronously to all three)
#   2. discover req/s through one member and through a single-node Beacon with the same data, in ROUNDS
#      interleaved rounds (medians)
#   3. propagation of a registration on member 1 to SSE watchers on member 2 (WATCHERS of them)
#   4. time for a killed member to rejoin (readiness UP, full state) with REJOIN_INSTANCES instances
#   report-ejection propagation: a failure report on member 1 ejects an instance; time until member 3 shows
#      it ejected, over EJECTIONS instances (p50, p99)
# Every wrk measurement follows a WARMUP run of the same load (the JIT of three JVMs sharing two cores
# needs it), with CONNECTIONS connections.
# Usage: bench/cluster/run.sh            (DURATION=10s WARMUP=60s CONNECTIONS=64 INSTANCES=1000 WATCHERS=200
#        ROUNDS=3 REJOIN_INSTANCES=100000 EJECTIONS=200 by default; WATCHERS=0 skips step 3, REJOIN_INSTANCES=0
#        skips step 4, EJECTIONS=0 skips the ejection phase)
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/cluster
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-64}
WATCHERS=${WATCHERS:-200}
ROUNDS=${ROUNDS:-3}
INSTANCES=${INSTANCES:-1000}
REJOIN_INSTANCES=${REJOIN_INSTANCES:-100000}
EJECTIONS=${EJECTIONS:-200}
OUT=${OUT:-target/bench-cluster}
mkdir -p "$OUT"
[ -f target/beacon.jar ] || ./mvnw -B -q -DskipTests package
MEMBERS="127.0.0.1[17801],127.0.0.1[17802],127.0.0.1[17803]"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_member() { # $1 = 1..3
  java -XX:+ExitOnOutOfMemoryError -Xmx768m -jar target/beacon.jar --server.port=1808"$1" --server.address=127.0.0.1 \
    --beacon.cluster.enabled=true --beacon.cluster.node-name=m"$1" --beacon.cluster.bind-address=127.0.0.1 \
    --beacon.cluster.port=1780"$1" --beacon.cluster.fd-port-offset=100 --beacon.cluster.members="$MEMBERS" \
    --beacon.cluster.cluster-name=bench --beacon.lease.duration=30m --beacon.lease.evict-after=1h \
    --management.endpoint.health.group.readiness.include=readinessState,cluster \
    --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 \
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
ejection_phase() { # a failure report on member 1 -> the instance ejected on member 3 (policy: eject on one failure)
  [ "$EJECTIONS" -gt 0 ] || return 0
  echo "== report-ejection propagation: reports on member 1, ejection read on member 3 ($EJECTIONS instances)"
  timeout 300 java bench/cluster/EjectionBench.java 18081 18083 "$EJECTIONS" | tee "$OUT/ejections.txt"
  curl -fs http://127.0.0.1:18081/actuator/prometheus | grep -E '^beacon_cluster_reports_unrouted_total' || true
}

echo "== starting 3 members"
for i in 1 2 3; do start_member $i; done
for i in 1 2 3; do wait_ready 1808$i; done
register_many 18081
echo "registered $INSTANCES instances: $(curl -fs 'http://127.0.0.1:18083/discover?name=bench' | grep -o '"count":[0-9]*')"

INSTANCES=$INSTANCES wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s $HERE/heartbeat.lua http://127.0.0.1:18082 >/dev/null
HB=$(INSTANCES=$INSTANCES wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s $HERE/heartbeat.lua http://127.0.0.1:18082 \
  | tee "$OUT/heartbeats.txt" | rps)
echo "heartbeats/s through one member (3-member cluster, $CONNECTIONS connections): $HB"
grep -E "Non-2xx|50%|99%" "$OUT/heartbeats.txt" || true
curl -fs http://127.0.0.1:18082/actuator/prometheus \
  | grep -E '^beacon_cluster_(heartbeat_batch_heartbeats|replication_seconds)\{' || true

if [ "$WATCHERS" -gt 0 ]; then
  echo "== $WATCHERS SSE watchers on member 2, registrations on member 1"
  REGISTER_PORT=18081 timeout 300 java -Xss512k bench/watch/WatchBench.java 18082 "${PIDS[2]}" "$WATCHERS" 0 20 0 0 0 \
    | tee "$OUT/watch.txt"
fi

ejection_phase

echo "== discover: member 1 of the cluster vs a single node, same data, interleaved rounds"
java -XX:+ExitOnOutOfMemoryError -Xmx768m -jar target/beacon.jar --server.port=18090 --server.address=127.0.0.1 \
  --beacon.lease.duration=30m --beacon.lease.evict-after=1h --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 \
  --logging.level.io.beacon.registry=WARN >"$OUT/single.log" 2>&1 &
PIDS[4]=$!
wait_ready 18090
register_many 18090
for port in 18081 18090; do
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$port/discover?name=bench" >/dev/null
done
: >"$OUT/discover-rounds.txt"
for r in $(seq 1 "$ROUNDS"); do
  C=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:18081/discover?name=bench" | tee -a "$OUT/discover-cluster.txt" | rps)
  S=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:18090/discover?name=bench" | tee -a "$OUT/discover-single.txt" | rps)
  echo "round $r: cluster member $C req/s, single node $S req/s" | tee -a "$OUT/discover-rounds.txt"
done
kill "${PIDS[4]}"; wait "${PIDS[4]}" 2>/dev/null || true
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
DC=$(awk '{print $5}' "$OUT/discover-rounds.txt" | median)
DS=$(awk '{print $9}' "$OUT/discover-rounds.txt" | median)
echo "discover req/s, medians of $ROUNDS rounds: cluster member $DC, single node $DS (cluster/single = $(awk "BEGIN{printf \"%.2f\", $DC/$DS}"))"

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
