#!/usr/bin/env bash
# A short interleaved A/B of two Beacon builds (e.g. a Tomcat and a Jetty build): both started side by side on
# 127.0.0.1 with the same 100 services x 10 instances, then wrk rounds A B A B on PUT /heartbeat,
# GET /discover?name= and POST /register (update), rotating over the instances (bench/wrk/rotate.lua).
# Stops only the servers it started. Bounded: ROUNDS x 3 targets x 2 builds x DURATION seconds.
#
#   A_JAR=tomcat.jar B_JAR=target/beacon.jar bench/watch/container-ab.sh      # ROUNDS=2 DURATION=5 WARMUP=2
#   A_ARGS="--beacon.server.socket-write-buffer=8192" B_ARGS=... TARGETS=2   # extra arguments; only the first 2 targets
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A_JAR=${A_JAR:?an earlier build}; B_JAR=${B_JAR:-$ROOT/target/beacon.jar}
ROUNDS=${ROUNDS:-2}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-2}; THREADS=${THREADS:-2}; CONNECTIONS=${CONNECTIONS:-64}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
start() { # jar port
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$1" --server.address=127.0.0.1 --server.port="$2" $3 --beacon.limits.registrations-per-minute=0 \
    --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 >"$(mktemp "${TMPDIR:-/tmp}/beacon-ab.XXXXXX.log")" 2>&1 &
  PIDS+=($!)
}
A_PORT=$(free_port); start "$A_JAR" "$A_PORT" "${A_ARGS:-}"; B_PORT=$(free_port); start "$B_JAR" "$B_PORT" "${B_ARGS:-}"
for port in "$A_PORT" "$B_PORT"; do
  for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" && break; sleep 0.5; done
done
BODY='{"name":"{svc}","address":"{ip}","port":8080,"metadata":{"env":"bench","team":"team-01"},"tags":["bench","http"],"zone":"zone-a","version":"1.0.0","leaseSeconds":600}'
for port in "$A_PORT" "$B_PORT"; do
  python3 - "$port" <<'PY' | curl -s -K - | sort | uniq -c | tr '\n' ' '
import json, sys
for s in range(1, 101):
    for n in range(1, 11):
        body = {"name": "svc-%03d" % s, "address": "10.0.%d.%d" % (s, n), "port": 8080, "metadata": {"env": "bench", "team": "team-01"},
                "tags": ["bench", "http"], "zone": "zone-a", "version": "1.0.0", "leaseSeconds": 600}
        data = json.dumps(body, separators=(",", ":")).replace("\\", "\\\\").replace('"', '\\"')
        print('next\n' if s + n > 2 else '', end='')
        print('url = "http://127.0.0.1:%s/register"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"' % (sys.argv[1], data))
PY
  echo "registered on :$port"
done
wrk_run() { # port seconds method path body
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --latency -s "$ROOT/bench/wrk/rotate.lua" "http://127.0.0.1:$1" -- "$3" "$4" "$5" - 100 10 \
    | grep '^BENCH ' || echo "BENCH rps=0"
}
echo "A=$(basename "$A_JAR") B=$(basename "$B_JAR"); wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s rounds; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
TARGET_LIST=("PUT|/heartbeat/{svc}/{id}|-" "GET|/discover?name={svc}|-" "POST|/register|$BODY")
for target in "${TARGET_LIST[@]:0:${TARGETS:-3}}"; do
  IFS='|' read -r method path body <<<"$target"
  wrk_run "$A_PORT" "$WARMUP" "$method" "$path" "$body" >/dev/null; wrk_run "$B_PORT" "$WARMUP" "$method" "$path" "$body" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    for side in A B; do
      port=$A_PORT; [[ $side == B ]] && port=$B_PORT
      echo "$method $path round $round $side: $(wrk_run "$port" "$DURATION" "$method" "$path" "$body" | sed 's/^BENCH //') load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
