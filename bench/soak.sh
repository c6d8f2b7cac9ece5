#!/usr/bin/env bash
# Soak: one Beacon at -Xmx512m under a hostile client for DURATION seconds (default 600) while a well-behaved
# fleet of 10,000 instances heartbeats; at the end it checks that Beacon is alive and UP, that its heap after
# a full GC stayed below HEAP_BOUND_MIB, that no well-behaved instance was lost, and reports the refusals.
#
# Starts Beacon on 127.0.0.1 (a free port) with --server.forward-headers-strategy=native: every client below is
# a distinct client address through X-Forwarded-For (on one machine the addresses are simulated that way).
#   fleet        100 services x 100 instances (svc-001..svc-100, 5 min leases) registered first, then
#                heartbeated by wrk -t1 -c20 (10.0.1.1, one NAT for the whole fleet), each connection pausing
#                HEARTBEAT_PAUSE_MS (60) between requests: about 333/s, every instance about every 30 s
#   discoverer   wrk -t1 -c4 GET /discover?name=svc-NNN, 50 ms pauses (10.0.1.2): the victims' read latency
#   registrar    hostile, wrk -t1 -c16 at full speed (10.6.6.6): registrations with the largest metadata
#                (4,096 bytes) and 32 tags of 128 characters, 1 h leases, over 1,000 services and POOL new ids
#                (default 20,000: more than beacon.limits.max-instances leaves room for)
#   reporter     hostile, wrk -t1 -c16 at full speed (10.6.6.7): POST /report
#   ghosts       hostile (10.6.6.8): rounds of GHOSTS long polls (wait=5m) on raw sockets, closed after 2 s
#   reader       hostile, wrk -t1 -c4 at full speed (10.6.6.9): GET /eureka/apps and GET /services
#   health       curl /actuator/health every second (5 s timeout): every failure is counted
#   heap         every HEAP_EVERY seconds: jcmd GC.run, then jvm.memory.used{area=heap}, long polls held,
#                instances registered
# Every load is bounded by DURATION; the script stops only the processes it started.
#
# Environment:
#   DURATION=600 HEAP_EVERY=60 HEAP_BOUND_MIB=400 GHOSTS=500 POOL=20000 HEARTBEAT_PAUSE_MS=60
#   JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"   EXTRA_ARGS="" (more Beacon arguments)
#   SKIP_BUILD=1 reuses target/beacon.jar; BEACON_JAR=path; RESULTS=path (default bench/results/soak-<date>.md)
# Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail

DURATION=${DURATION:-600}
HEAP_EVERY=${HEAP_EVERY:-60}
HEAP_BOUND_MIB=${HEAP_BOUND_MIB:-400}
GHOSTS=${GHOSTS:-500}
POOL=${POOL:-20000}
HEARTBEAT_PAUSE_MS=${HEARTBEAT_PAUSE_MS:-60}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
EXTRA_ARGS=${EXTRA_ARGS:-}
SERVICES=${FLEET_SERVICES:-100}
INSTANCES=${FLEET_INSTANCES:-100}
LEASE_SECONDS=300

NAME=soak
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

build_beacon
# shellcheck disable=SC2086
start_beacon "$JAVA_OPTS" --server.forward-headers-strategy=native $EXTRA_ARGS
log "Beacon pid $BEACON_PID ready on :$PORT"

# ---------------------------------------------------------------- the fleet
load_fleet fleet "$SERVICES" "$INSTANCES" "$LEASE_SECONDS" '{"env":"soak"}' 8

# ---------------------------------------------------------------- helpers
client() { # out connections method path body xff pause: one client for the whole run, its line in <out>
  local out=$1; shift
  wrk_client "$1" "$DURATION" 10 "$2" "$3" "$4" "$5" "$6" "$SERVICES" "$INSTANCES" "$POOL" >"$out"
}
metric() { # name and labels as in the scrape -> value (0 when absent)
  { curl -s --max-time 30 "$B/actuator/prometheus" || true; } | awk -v m="$1" 'index($0, m " ") == 1 { v = $2 } END { print v + 0 }'
}

# a body with the largest metadata (4 x (2 + 1,022) bytes = 4,096) and 32 tags of 128 characters
BIG_BODY=$(python3 - "$LEASE_SECONDS" <<'PY'
import json, sys
v = "m" * 1022
tags = ["t%02d" % i + "x" * 125 for i in range(32)]
body = {"name": "{fmany}", "address": "{fip}", "port": 8080, "metadata": {"k%d" % i: v for i in range(4)},
        "tags": tags, "leaseSeconds": 3600}
print(json.dumps(body, separators=(",", ":")))
PY
)
REPORT_BODY='{"name":"{svc}","id":"{id}","outcome":"success","latencyMs":5}'

# ---------------------------------------------------------------- loads (all bounded by DURATION)
START=$(date +%s)
END=$((START + DURATION))
client "$WORK/heartbeat.out" 20 PUT '/heartbeat/{svc}/{id}' - 10.0.1.1 "$HEARTBEAT_PAUSE_MS" & PIDS+=("$!")
client "$WORK/discover.out" 4 GET '/discover?name={svc}' - 10.0.1.2 50 & PIDS+=("$!")
client "$WORK/registrar.out" 16 POST /register "$BIG_BODY" 10.6.6.6 0 & PIDS+=("$!")
client "$WORK/reporter.out" 16 POST /report "$REPORT_BODY" 10.6.6.7 0 & PIDS+=("$!")
client "$WORK/reader-apps.out" 2 GET /eureka/apps - 10.6.6.9 0 & PIDS+=("$!")
client "$WORK/reader-services.out" 2 GET /services - 10.6.6.9 0 & PIDS+=("$!")

python3 - "$PORT" "$GHOSTS" "$END" >"$WORK/ghosts.out" 2>&1 <<'PY' & PIDS+=("$!")
import socket, sys, time, json, urllib.request
port, n, end = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rounds = opened = refused = 0
while time.time() < end - 5:
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/discover?name=svc-001" % port, timeout=10) as r:
            index = r.headers["X-Beacon-Index"]
    except Exception:
        time.sleep(1); continue
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(("GET /discover?name=svc-001&index=%s&wait=5m HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.6.6.8\r\n\r\n" % index).encode())
            socks.append(s); opened += 1
        except OSError:
            refused += 1
    time.sleep(2)
    for s in socks:
        s.close()
    rounds += 1
    time.sleep(1)
print("rounds=%d opened=%d connect_failures=%d" % (rounds, opened, refused))
PY

: >"$WORK/health.txt"
(
  while [[ $(date +%s) -lt $END ]]; do
    t0=$(date +%s%N)
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$B/actuator/health") || true
    echo "$code $(( ($(date +%s%N) - t0) / 1000000 ))" >>"$WORK/health.txt"
    sleep 1
  done
) & PIDS+=("$!")

heap_sample() { # -> "elapsed_s heap_after_gc_mib long_polls instances"
  jcmd "$BEACON_PID" GC.run >/dev/null 2>&1 || true
  local used polls instances
  used=$(curl -s --max-time 30 "$B/actuator/metrics/jvm.memory.used?tag=area:heap" | jq '.measurements[0].value / 1048576 | floor' 2>/dev/null) || used=-1
  polls=$(metric 'beacon_watchers{kind="long_poll"}')
  instances=$(curl -s --max-time 30 "$B/actuator/metrics/beacon.instances" | jq '.measurements[0].value | floor' 2>/dev/null) || instances=-1
  echo "$(( $(date +%s) - START )) $used $polls $instances"
}
: >"$WORK/heap.txt"
while [[ $(date +%s) -lt $END ]]; do
  sleep "$HEAP_EVERY"
  kill -0 "$BEACON_PID" 2>/dev/null || { log "Beacon exited"; break; }
  heap_sample | tee -a "$WORK/heap.txt" | sed 's/^/[heap] t=/' >&2 || true
done
for pid in "${PIDS[@]:1}"; do wait "$pid" 2>/dev/null || true; done
PIDS=("$BEACON_PID")
log "loads finished"

# ---------------------------------------------------------------- checks
ALIVE=no; kill -0 "$BEACON_PID" 2>/dev/null && ALIVE=yes
HEALTH=$(curl -s --max-time 30 "$B/actuator/health" | jq -r .status 2>/dev/null) || HEALTH=DOWN
sleep 5 # the ghosts' last round is released by the probes
FINAL=$(heap_sample)
FINAL_HEAP=$(cut -d' ' -f2 <<<"$FINAL")
MAX_HEAP=$(awk -v f="$FINAL_HEAP" '$2 > m { m = $2 } END { print (f > m ? f : m) + 0 }' "$WORK/heap.txt")
HELD=$(cut -d' ' -f3 <<<"$FINAL")
LOST=0
for s in $(seq 1 "$SERVICES"); do
  n=$(curl -s --max-time 30 "$B/discover?name=$(printf 'svc-%03d' "$s")" | jq '.count' 2>/dev/null) || n=0
  [[ "$n" =~ ^[0-9]+$ ]] || n=0
  LOST=$((LOST + INSTANCES - n))
done
HEALTH_TOTAL=$(wc -l <"$WORK/health.txt")
HEALTH_FAILED=$(awk '$1 != 200' "$WORK/health.txt" | wc -l)
HEALTH_MAX_MS=$(awk '$2 > m { m = $2 } END { print m + 0 }' "$WORK/health.txt")
REJECTIONS=$(curl -s --max-time 30 "$B/actuator/prometheus" | grep '^beacon_limit_rejections_total' | sed 's/beacon_limit_rejections_total{limit="\([^"]*\)"} /\1 /' || true)
field() { kv "$(cat "$1")" "$2"; }

PASS=1
check() { # description condition-result
  if [[ "$2" == ok ]]; then echo "| $1 | passed |"; else echo "| $1 | **failed** ($2) |"; PASS=0; fi
}
RESULTS=$(results_file soak-)
{
  echo "# Beacon soak, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  machine_line
  echo "Command: \`DURATION=$DURATION GHOSTS=$GHOSTS POOL=$POOL HEAP_BOUND_MIB=$HEAP_BOUND_MIB JAVA_OPTS=\"$JAVA_OPTS\" EXTRA_ARGS=\"$EXTRA_ARGS\" bench/soak.sh\`"
  echo "Load average at the end: $(cat /proc/loadavg | cut -d' ' -f1-3) (other work on the machine shows here)."
  echo
  echo "| check | result |"
  echo "|---|---|"
  check "Beacon alive after ${DURATION}s" "$([[ $ALIVE == yes ]] && echo ok || echo 'process gone')"
  check "health UP at the end" "$([[ $HEALTH == UP ]] && echo ok || echo "$HEALTH")"
  check "/actuator/health answered every second ($HEALTH_TOTAL probes, slowest ${HEALTH_MAX_MS} ms)" "$([[ $HEALTH_FAILED == 0 ]] && echo ok || echo "$HEALTH_FAILED not 200")"
  check "heap after GC at most $HEAP_BOUND_MIB MiB (largest $MAX_HEAP MiB, at the end $FINAL_HEAP MiB)" "$([[ $MAX_HEAP -le $HEAP_BOUND_MIB && $FINAL_HEAP -ge 0 ]] && echo ok || echo "$MAX_HEAP MiB")"
  check "no well-behaved instance lost (of $((SERVICES * INSTANCES)))" "$([[ $LOST == 0 ]] && echo ok || echo "$LOST lost")"
  check "ghost long polls released (held at the end: $HELD)" "$(awk -v h="$HELD" 'BEGIN { print (h < 5) ? "ok" : h " held" }')"
  echo
  echo "Heap after a full GC (jcmd GC.run), long polls held and instances registered, over time:"
  echo
  echo "| t (s) | heap after GC (MiB) | long polls held | instances |"
  echo "|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$WORK/heap.txt"
  echo
  echo "Clients over the whole run (p99 from wrk; accepted 2xx, refused 429):"
  echo
  echo "| client | req/s | p50 ms | p99 ms | 2xx | 429 | other | socket errors |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in heartbeat discover registrar reporter reader-apps reader-services; do
    f="$WORK/$c.out"
    echo "| $c | $(field "$f" rps) | $(ms "$(field "$f" p50_us)" 1) | $(ms "$(field "$f" p99_us)" 1) | $(field "$f" ok) | $(field "$f" limited) | $(field "$f" other) | $(field "$f" socket_errors) |"
  done
  echo
  echo "Ghost long polls: $(cat "$WORK/ghosts.out")."
  echo
  echo "Refusals (\`beacon_limit_rejections_total\`):"
  echo
  echo '```'
  echo "$REJECTIONS"
  echo '```'
} >"$RESULTS"
cat "$RESULTS"
log "results written to $RESULTS"
[[ $PASS == 1 ]]
