# Shared helpers of the bench scripts (run.sh, flood.sh, soak.sh). Source it after setting NAME (the log prefix):
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

# start_java <name> <jar> <port> <java options> <arguments...>: starts a server on 127.0.0.1:<port> in the
# background, its output in $WORK/<name>.log; sets STARTED_PID (added to PIDS).
start_java() {
  local name=$1 jar=$2 port=$3 opts=$4; shift 4
  # shellcheck disable=SC2086
  env -u BEACON_JAR java $opts -jar "$jar" --server.address=127.0.0.1 --server.port="$port" "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

# wait_ready <name> <url> [pid]: waits until <url> answers 2xx (at most 300 s); exits the script when it does not,
# or when the process <pid> (if given) has exited meanwhile.
wait_ready() {
  local name=$1 url=$2 pid=${3:-} i
  for i in $(seq 1 600); do
    curl -fsS -o /dev/null -H 'Accept: application/json' "$url" 2>/dev/null && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited; see $WORK/$name.log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "$name not ready at $url after 300 s; see $WORK/$name.log" >&2
  exit 1
}

# start_beacon <java options> <beacon arguments...>: starts Beacon on 127.0.0.1 and a free port, waits until
# it is ready (at most 300 s); sets PORT, B (its base URL) and BEACON_PID (added to PIDS). Log: $WORK/beacon.log.
start_beacon() {
  local opts=$1; shift
  PORT=$(free_port)
  start_java beacon "$BEACON_JAR" "$PORT" "$opts" "$@"
  BEACON_PID=$STARTED_PID
  B="http://127.0.0.1:$PORT"
  wait_ready Beacon "$B/actuator/health/readiness" "$BEACON_PID"
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

# register_config <base> <services> <instances> <lease seconds> <metadata json> [body file] -> a curl config (stdout)
# that registers every instance svc-NNN / 10.0.<s>.<n>:8080 (s and n up to 255) and writes each answer's status on a
# line. Answer bodies go to <body file> (default /dev/null); a config whose requests are retried needs a regular file,
# since curl truncates the output before a retry and fails (exit 23) where it cannot.
register_config() {
  python3 - "$@" <<'PY'
import json, sys
base, services, instances, lease, meta = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
body_file = sys.argv[6] if len(sys.argv) > 6 else "/dev/null"
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
              'output = "%s"\nwrite-out = "%%{http_code}\\n"\nretry = 60\nretry-max-time = 300' % (base, data, body_file))
PY
}

# load_fleet <label> <services> <instances> <lease seconds> <metadata json> [parallel]: registers the instances of
# register_config into $B (with curl --parallel when <parallel> > 1); a 429 of the registration budget (its burst,
# beacon.limits.registration-burst, is below a large fleet) is retried after its Retry-After; exits the script unless
# every one finally answered 2xx.
load_fleet() {
  local label=$1 parallel=${6:-1} codes bad
  register_config "$B" "$2" "$3" "$4" "$5" "$WORK/$label.answers" >"$WORK/$label.curl"
  if (( parallel > 1 )); then
    codes=$(curl -s --no-progress-meter --parallel --parallel-max "$parallel" -K "$WORK/$label.curl")
  else
    codes=$(curl -s -K "$WORK/$label.curl")
  fi
  bad=$(grep -cvE '^(200|201)$' <<<"$codes" || true)
  [[ "$bad" == "0" ]] || { echo "$label: $bad registrations failed: $(sort <<<"$codes" | uniq -c | tr '\n' ' ')" >&2; exit 1; }
  log "$label: $(( $2 * $3 )) instances registered"
}

# wrk_client <connections> <seconds> <timeout s> <method> <path> <body> <xff> <pause ms> <services> <instances> <pool>:
# one client of wrk/client.lua against $B (one thread); prints its BENCH line without the prefix (a line of zeros,
# socket_errors=-1, when wrk gave none), plus cpu_s= (wrk's own CPU seconds). Bounded by <seconds> (+30 s).
wrk_client() {
  local cpu line
  cpu=$(mktemp "$WORK/cpu.XXXXXX")
  line=$(timeout $(( $2 + 30 )) /usr/bin/time -o "$cpu" -f '%U %S' wrk -t1 -c"$1" -d"$2"s --timeout "$3"s --latency \
    -s "$BENCH/wrk/client.lua" "$B" -- "${@:4}" 2>/dev/null | grep '^BENCH ' ||
    echo "BENCH rps=0 p50_us=0 p99_us=0 requests=0 non2xx=0 socket_errors=-1 ok=0 limited=0 other=0")
  echo "${line#BENCH } cpu_s=$(awk 'END { print $1 + $2 }' "$cpu" 2>/dev/null)"
}

# kv <line> <key>: the value of key=value in a line of such pairs (empty when absent).
kv() { sed -n "s/.*\(^\| \)$2=\([^ ]*\).*/\2/p" <<<"$1"; }

# ms <microseconds> [decimals]: milliseconds, or "-" for an empty value.
ms() { [[ -z "$1" ]] && { echo "-"; return; }; awk -v u="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, u / 1000 }'; }

# results_file <prefix>: the path of this run's results (RESULTS, or bench/results/<prefix><UTC date>.md, with the
# time appended when that exists and RESULTS_FORCE is unset); creates bench/results.
results_file() {
  mkdir -p "$BENCH/results"
  local f=${RESULTS:-$BENCH/results/$1$(date -u +%Y-%m-%d).md}
  [[ -e "$f" && -z "${RESULTS_FORCE:-}" ]] && f="${f%.md}-$(date -u +%H%M%S).md"
  echo "$f"
}
