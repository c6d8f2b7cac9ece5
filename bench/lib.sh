# Shared helpers of the bench scripts (flood.sh, soak.sh). Source it after setting NAME (the log prefix):
#   NAME=flood; source "$(dirname "$0")/lib.sh"
# It sets ROOT, BENCH and WORK (a fresh temp directory), and a trap that stops, on exit, only the processes
# whose ids were added to PIDS (never by name). Nothing here starts anything by itself.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/beacon-${NAME:-bench}.XXXXXX")
PIDS=()

bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "server log and raw output kept in $WORK" >&2
}
trap bench_cleanup EXIT

log() { echo "[${NAME:-bench} $(date -u +%H:%M:%S)] $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Builds target/beacon.jar unless SKIP_BUILD=1; sets BEACON_JAR (default target/beacon.jar).
build_beacon() {
  if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    log "building Beacon"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  fi
  BEACON_JAR=${BEACON_JAR:-"$ROOT/target/beacon.jar"}
  [[ -f "$BEACON_JAR" ]] || { echo "missing $BEACON_JAR (run without SKIP_BUILD=1)" >&2; exit 1; }
}

# start_beacon <java options> <beacon arguments...>: starts Beacon on 127.0.0.1 and a free port, waits until
# it is ready (at most 300 s); sets PORT, B (its base URL) and BEACON_PID (added to PIDS). Log: $WORK/beacon.log.
start_beacon() {
  local opts=$1; shift
  PORT=$(free_port)
  # shellcheck disable=SC2086
  env -u BEACON_JAR java $opts -jar "$BEACON_JAR" --server.address=127.0.0.1 --server.port="$PORT" "$@" >"$WORK/beacon.log" 2>&1 &
  BEACON_PID=$!
  PIDS+=("$BEACON_PID")
  B="http://127.0.0.1:$PORT"
  local i
  for i in $(seq 1 600); do
    curl -fsS -o /dev/null "$B/actuator/health/readiness" 2>/dev/null && return 0
    kill -0 "$BEACON_PID" 2>/dev/null || { echo "Beacon exited; see $WORK/beacon.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "Beacon not ready after 300 s; see $WORK/beacon.log" >&2
  exit 1
}

# CPU time (user + system) a process has used so far, in clock ticks (/proc/<pid>/stat).
cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Clock ticks per second, for cpu_ticks.
TICKS=$(getconf CLK_TCK)

# The 1-minute load average of the machine (other work on it shows here).
load_avg() { cut -d' ' -f1 /proc/loadavg; }

# Resident memory of a process in MiB.
rss_mib() { echo $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") / 1024 )); }

# One line of the machine for result files.
machine_line() {
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(java -version 2>&1 | head -1)."
}

# register_config <base> <services> <instances> <lease seconds> <metadata json> -> a curl config (stdout) that
# registers every instance svc-NNN / 10.0.<s>.<n>:8080 (s and n up to 255) and writes each answer's status on a line.
register_config() {
  python3 - "$@" <<'PY'
import json, sys
base, services, instances, lease, meta = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
first = True
for s in range(1, services + 1):
    for n in range(1, instances + 1):
        body = {"name": "svc-%03d" % s, "address": "10.0.%d.%d" % (s, n),
                "port": 8080, "metadata": meta, "tags": ["bench", "http"], "zone": "zone-a",
                "version": "1.0.0", "leaseSeconds": lease}
        if not first:
            print("next")
        first = False
        data = json.dumps(body, separators=(",", ":")).replace("\\", "\\\\").replace('"', '\\"')
        print('url = "%s/register"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "%s"\n'
              'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"' % (base, data))
PY
}
