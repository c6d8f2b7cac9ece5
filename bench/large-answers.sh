#!/usr/bin/env bash
# Large answers: the heap a held read of one huge service takes. Starts Beacon (and, with BASELINE_JAR, an
# earlier build beside it, measured in the same way in turn) at -Xmx512m on 127.0.0.1, registers INSTANCES
# (20,000) instances of the service `huge`, then per answer below opens READERS (50) slow clients at once:
# raw sockets with a 4 KiB receive buffer that send the request and read nothing for HOLD_S seconds, so every
# request is held by Beacon in the middle of writing its answer. While they are held: a full GC (jcmd GC.run),
# then the heap used; the heap without readers, taken the same way just before, is subtracted. The figure is
# what the held requests keep alive between them, and per request. A build whose process runs out of heap under
# the held reads (it exits: -XX:+ExitOnOutOfMemoryError) is reported so, and its remaining answers are skipped.
#   /discover?name=huge              plain discovery: one serialised answer per change, shared
#   /discover?name=huge&status=ANY   filtered discovery: built per request and written as it is serialised
#   /services/huge                   the catalog view of the service, per request
#   /eureka/apps/HUGE                Eureka's application (JSON): one serialised answer per change, shared
#   /eureka/apps/delta               Eureka's recent changes (JSON): the registrations above are all within its
#                                    retention, so it lists every instance of huge; one answer per change, shared
#
# Environment: INSTANCES=20000 READERS=50 HOLD_S=6 JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
#   BASELINE_JAR=path (an earlier build measured the same way); SKIP_BUILD=1; BEACON_JAR=path; RESULTS=path
# Everything is bounded (HOLD_S per answer and server); the script stops only the processes it started.
set -euo pipefail

INSTANCES=${INSTANCES:-20000}
READERS=${READERS:-50}
HOLD_S=${HOLD_S:-6}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
ARGS="--beacon.limits.registrations-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0
 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.max-instances-per-service=$INSTANCES
 --beacon.limits.max-instances=$((INSTANCES + 1000))"

NAME=large
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
build_beacon

ANSWERS=("/discover?name=huge" "/discover?name=huge&status=ANY" "/services/huge" "/eureka/apps/HUGE" "/eureka/apps/delta")

heap_mib() { # pid base-url -> heap used after a full GC, MiB (one decimal)
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  curl -s --max-time 30 "$2/actuator/metrics/jvm.memory.used?tag=area:heap" | jq '.measurements[0].value / 1048576 * 10 | floor / 10'
}

measure() { # label jar -> lines "label answer bytes heap_idle heap_held"
  local label=$1 jar=$2 answer size idle held readers
  BEACON_JAR=$jar start_beacon "$JAVA_OPTS" $ARGS
  python3 - "$B" "$INSTANCES" >"$WORK/$label.curl" <<'PY'
import json, sys
base, n = sys.argv[1], int(sys.argv[2])
for k in range(n):
    body = {"name": "huge", "address": "10.%d.%d.%d" % (k // 65536, k // 256 % 256, k % 256), "port": 8080,
            "metadata": {"env": "bench", "team": "team-01"}, "tags": ["bench", "http"], "zone": "zone-a",
            "version": "1.0.0", "leaseSeconds": 3600}
    if k:
        print("next")
    data = json.dumps(body, separators=(",", ":")).replace('"', '\\"')
    print('url = "%s/register"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "%s"\n'
          'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"' % (base, data))
PY
  bad=$(curl -s --no-progress-meter --parallel --parallel-max 8 -K "$WORK/$label.curl" | grep -cvE '^(200|201)$' || true)
  [[ "$bad" == "0" ]] || { echo "$label: $bad registrations failed" >&2; exit 1; }
  log "$label: $INSTANCES instances of huge registered"
  for answer in "${ANSWERS[@]}"; do
    size=$(curl -s -H 'Accept: application/json' "$B$answer" | wc -c) # also builds what is shared
    idle=$(heap_mib "$BEACON_PID" "$B")
    python3 - "$PORT" "$answer" "$READERS" "$HOLD_S" >"$WORK/readers.out" 2>&1 <<'PY' &
import socket, sys, time
port, path, n, hold = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
socks = []
for _ in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n" % path).encode())
    socks.append(s)
time.sleep(hold)
for s in socks:
    s.close()
print("held %d" % len(socks))
PY
    readers=$!; PIDS+=("$readers")
    sleep $(( HOLD_S / 2 ))
    held=$(heap_mib "$BEACON_PID" "$B" 2>/dev/null) || held=
    wait "$readers" || true
    PIDS=("${PIDS[@]/$readers}")
    if ! kill -0 "$BEACON_PID" 2>/dev/null; then # -XX:+ExitOnOutOfMemoryError: the held reads took the heap
      echo "$label $answer $size $idle exited" | tee -a "$WORK/results.txt" >&2
      grep -m1 'Terminating due to' "$WORK/beacon.log" >&2 || true
      PIDS=()
      return 0
    fi
    echo "$label $answer $size $idle $held" | tee -a "$WORK/results.txt" >&2
    sleep 2 # the closed readers' requests end
  done
  kill "$BEACON_PID"; wait "$BEACON_PID" 2>/dev/null || true
  PIDS=()
}

: >"$WORK/results.txt"
measure after "$BEACON_JAR"
[[ -n "${BASELINE_JAR:-}" ]] && measure before "$BASELINE_JAR"

RESULTS=$(results_file large-answers-)
{
  echo "# Large answers: heap held by concurrent reads of one huge service, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  machine_line
  echo "Command: \`INSTANCES=$INSTANCES READERS=$READERS HOLD_S=$HOLD_S JAVA_OPTS=\"$JAVA_OPTS\"${BASELINE_JAR:+ BASELINE_JAR=$(basename "$BASELINE_JAR")} bench/large-answers.sh\`; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "$READERS slow readers (4 KiB receive buffer, reading nothing) held at once per answer; heap after a full GC."
  echo
  echo "| build | answer | body (bytes) | heap idle (MiB) | heap with $READERS held (MiB) | held per request (MiB) |"
  echo "|---|---|---|---|---|---|"
  awk -v n="$READERS" '$5 == "exited" { printf "| %s | `%s` | %d | %.1f | **the process ran out of heap and exited** | - |\n", $1, $2, $3, $4; next }
    { printf "| %s | `%s` | %d | %.1f | %.1f | %.2f |\n", $1, $2, $3, $4, $5, ($5 - $4) / n }' "$WORK/results.txt"
} >"$RESULTS"
cat "$RESULTS"
log "results written to $RESULTS"
