#!/usr/bin/env bash
# Beacon cluster benchmark on 127.0.0.1: a 3-member cluster started with java -jar, measured with wrk.
#   1. acknowledged heartbeats/s through one member (each one replicated synchronously to all three)
#   2. discover req/s through one member and through a single-node Beacon with the same data, in ROUNDS
#      interleaved rounds (medians)
#   3. propagation of a registration on member 1 to SSE watchers on member 2 (WATCHERS of them)
#   4. time for a killed member to rejoin (readiness UP, full state) with REJOIN_INSTANCES instances
#   ejections: a failure report on member 1 ejects an instance; time until member 3 shows it ejected, over
#      EJECTIONS instances (p50, p99)
#   5. rolling restart: the 3 members stopped (SIGTERM) and started again one at a time while registrations
#      and discovery requests go to the members that are up; registrations lost (must be 0) and 5xx answers
#      of /discover (must be 0)
# Each step is a function (phase_*); PHASES picks and orders them.
# Every wrk measurement follows a WARMUP run of the same load (the JIT of three JVMs sharing two cores
# needs it), with CONNECTIONS connections.
# JAR=target/beacon.jar picks the build the members run (to compare two builds in one sitting);
# PROFILE=1 records a JFR profile (settings=profile) of members 2 (takes the heartbeats) and 1 (a peer)
# during the measured heartbeat run, into $OUT/heartbeats-m2.jfr and heartbeats-m1.jfr; ASYNC_PROFILER=<path
# of libasyncProfiler.so> samples all three with async-profiler instead (CPU, every thread), into
# $OUT/heartbeats-m{1,2,3}.collapsed. MEMBER_ARGS adds
# arguments to every member's command line (e.g. MEMBER_ARGS=--logging.level.beacon.audit=warn).
# Usage: bench/cluster/run.sh            (DURATION=10s WARMUP=60s CONNECTIONS=64 INSTANCES=1000 WATCHERS=200
#        ROUNDS=3 REJOIN_INSTANCES=100000 by default; WATCHERS=0 skips step 3, REJOIN_INSTANCES=0 skips step 4;
#        EJECTIONS=200; PHASES="heartbeats watch ejections discover rejoin rolling" by default)
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
PHASES=${PHASES:-heartbeats watch ejections discover rejoin rolling}
OUT=${OUT:-target/bench-cluster}
JAR=${JAR:-target/beacon.jar}
PROFILE=${PROFILE:-0}
mkdir -p "$OUT"
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package
MEMBERS="127.0.0.1[17801],127.0.0.1[17802],127.0.0.1[17803]"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_member() { # $1 = 1..3
  java -XX:+ExitOnOutOfMemoryError -Xmx768m -jar "$JAR" --server.port=1808"$1" --server.address=127.0.0.1 \
    --beacon.cluster.enabled=true --beacon.cluster.node-name=m"$1" --beacon.cluster.bind-address=127.0.0.1 \
    --beacon.cluster.port=1780"$1" --beacon.cluster.fd-port-offset=100 --beacon.cluster.members="$MEMBERS" \
    --beacon.cluster.cluster-name=bench --beacon.lease.duration=30m --beacon.lease.evict-after=1h \
    --management.endpoint.health.group.readiness.include=readinessState,cluster \
    --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 \
    --logging.level.io.beacon.registry=WARN ${MEMBER_ARGS:-} >"$OUT/member-$1.log" 2>&1 &
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

phase_heartbeats() {
  INSTANCES=$INSTANCES wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s $HERE/heartbeat.lua http://127.0.0.1:18082 >/dev/null
  if [ "$PROFILE" = 1 ]; then
    for i in 1 2; do
      jcmd "${PIDS[$i]}" JFR.start name=hb settings=profile >/dev/null
    done
  fi
  if [ -n "${ASYNC_PROFILER:-}" ]; then
    for i in 1 2 3; do
      jcmd "${PIDS[$i]}" JVMTI.agent_load "$ASYNC_PROFILER" '"start,event=itimer,interval=1ms"' >/dev/null
    done
  fi
  HB=$(INSTANCES=$INSTANCES wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s $HERE/heartbeat.lua http://127.0.0.1:18082 \
    | tee "$OUT/heartbeats.txt" | rps)
  if [ "$PROFILE" = 1 ]; then
    for i in 1 2; do jcmd "${PIDS[$i]}" JFR.stop name=hb filename="$(cd "$OUT" && pwd)/heartbeats-m$i.jfr" || true; done
  fi
  if [ -n "${ASYNC_PROFILER:-}" ]; then
    for i in 1 2 3; do
      jcmd "${PIDS[$i]}" JVMTI.agent_load "$ASYNC_PROFILER" \
        "\"stop,file=$(cd "$OUT" && pwd)/heartbeats-m$i.collapsed,collapsed\"" >/dev/null || true
    done
    echo "profiles of the measured heartbeat run: $OUT/heartbeats-m{1,2,3}.collapsed (collapsed stacks)"
  fi
  echo "heartbeats/s through one member (3-member cluster, $CONNECTIONS connections): $HB"
  grep -E "Non-2xx|50%|99%" "$OUT/heartbeats.txt" || true
  curl -fs http://127.0.0.1:18082/actuator/prometheus \
    | grep -E '^beacon_cluster_(heartbeat_batch_heartbeats|replication_seconds)\{' || true

}

phase_watch() {
  if [ "$WATCHERS" -gt 0 ]; then
    echo "== $WATCHERS SSE watchers on member 2, registrations on member 1"
    REGISTER_PORT=18081 timeout 300 java -Xss512k bench/watch/WatchBench.java 18082 "${PIDS[2]}" "$WATCHERS" 0 20 0 0 0 \
      | tee "$OUT/watch.txt"
  fi

}

phase_ejections() { # a failure report on member 1 -> the instance ejected on member 3 (policy: eject on one failure)
  echo "== report-ejection propagation: reports on member 1, ejection read on member 3 ($EJECTIONS instances)"
  timeout 300 java bench/cluster/EjectionBench.java 18081 18083 "$EJECTIONS" | tee "$OUT/ejections.txt"
  curl -fs http://127.0.0.1:18081/actuator/prometheus | grep -E '^beacon_cluster_reports_unrouted_total' || true
}

phase_discover() {
  echo "== discover: member 1 of the cluster vs a single node, same data, interleaved rounds"
  java -XX:+ExitOnOutOfMemoryError -Xmx768m -jar "$JAR" --server.port=18090 --server.address=127.0.0.1 \
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

}

phase_rejoin() {
  [ "$REJOIN_INSTANCES" -gt 0 ] || return 0
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
}

phase_rolling() { # registrations and discovery through the members that are up while each restarts in turn
  echo "== rolling restart of the 3 members under registrations"
  local up="$OUT/rolling-up" acked="$OUT/rolling-acked" codes="$OUT/rolling-discover-codes"
  printf '18081\n18082\n18083\n' >"$up"; : >"$acked"; : >"$codes"
  ( n=0; while [ -f "$up" ]; do
      n=$((n + 1)); mapfile -t ports <"$up"; [ ${#ports[@]} -gt 0 ] || continue
      port=${ports[$((n % ${#ports[@]}))]}
      code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"name\":\"rolling\",\"id\":\"r-$n\",\"address\":\"10.0.0.2\",\"port\":8080}" \
        "http://127.0.0.1:$port/register" || true)
      [ "$code" = 201 ] && echo "r-$n" >>"$acked"
    done ) &
  local writer=$!
  ( n=0; while [ -f "$up" ]; do
      n=$((n + 1)); mapfile -t ports <"$up"; [ ${#ports[@]} -gt 0 ] || continue
      curl -s -o /dev/null -m 10 -w '%{http_code}\n' "http://127.0.0.1:${ports[$((n % ${#ports[@]}))]}/discover?name=rolling" \
        >>"$codes" || true
    done ) &
  local reader=$!
  sleep 5
  local t0 t1
  t0=$(date +%s.%N)
  for i in 1 2 3; do
    grep -v "^1808$i\$" "$up" >"$up.next"; mv "$up.next" "$up"
    sleep 1 # requests already sent to the member finish during its graceful shutdown
    kill -TERM "${PIDS[$i]}"; wait "${PIDS[$i]}" 2>/dev/null || true
    start_member "$i"
    wait_ready "1808$i"
    echo "1808$i" >>"$up"
    sleep 5
  done
  t1=$(date +%s.%N)
  rm -f "$up"; wait "$writer" "$reader" 2>/dev/null || true
  sort -u "$acked" >"$acked.sorted"
  local lost=0 held
  for port in 18081 18082 18083; do
    curl -fs "http://127.0.0.1:$port/discover?name=rolling" | grep -o '"id":"r-[0-9]*"' | cut -d'"' -f4 | sort -u >"$OUT/rolling-held-$port"
    held=$(comm -23 "$acked.sorted" "$OUT/rolling-held-$port" | wc -l)
    lost=$((lost > held ? lost : held))
  done
  local fivexx
  fivexx=$(grep -c '^5' "$codes" || true)
  echo "rolling restart: $(awk "BEGIN{printf \"%.0f\", $t1-$t0}") s, $(wc -l <"$acked.sorted") registrations acknowledged, registrations lost: $lost (must be 0); /discover answers: $(wc -l <"$codes"), 5xx: $fivexx (must be 0)"
}

for phase in $PHASES; do "phase_$phase"; done
