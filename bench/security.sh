#!/usr/bin/env bash
# What access control costs: discover and heartbeat throughput of Beacon in open mode vs enforced mode with
# a valid token, in the same run. Starts two servers from the same jar on 127.0.0.1 (free ports, the same
# JVM flags, per-client rate budgets off as in run.sh), loads 100 services x 10 instances into each, then
# runs wrk rounds interleaved (open, enforced, open, enforced ...) per measure and prints the medians and
# the ratio enforced/open as a Markdown table (target >= 0.9). Stops only the processes it started.
# With BEFORE_JAR, a second pair (open and enforced from that jar) joins the same run and the same
# interleaving (open, enforced, open-before, enforced-before, ...), so a change is judged by two ratios taken
# under the same load.
#
# Environment:
#   ROUNDS=3 DURATION=10 WARMUP=5 THREADS=2 CONNECTIONS=64 TIMEOUT=5
#   JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
#   SKIP_BUILD=1    reuse target/beacon.jar
#   BEACON_JAR=path the jar to measure (default target/beacon.jar)
#   BEFORE_JAR=path another build to measure alongside (e.g. a copy of target/beacon.jar before a change)
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
TIMEOUT=${TIMEOUT:-5}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
SERVICES=100
INSTANCES=10

NAME=security-bench
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
LUA="$ROOT/bench/wrk/token.lua"
ADMIN=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
TOKEN=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
build_beacon

LIMITS="--beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0"
start() { # name port extra-args...
  local name=$1 port=$2 jar=$BEACON_JAR; shift 2
  [[ "$name" == *-before ]] && jar=$BEFORE_JAR
  # shellcheck disable=SC2086
  start_java "$name" "$jar" "$port" "$JAVA_OPTS" $LIMITS --logging.level.beacon.audit=warn "$@"
}

ENFORCED_ARGS=(--beacon.security.mode=enforced
  --beacon.security.tokens.admin.secret="$ADMIN" --beacon.security.tokens.admin.scopes=admin
  --beacon.security.tokens.bench.secret="$TOKEN" "--beacon.security.tokens.bench.scopes=read,register:svc-*")
SUFFIXES=("")
[[ -n "${BEFORE_JAR:-}" ]] && SUFFIXES+=("-before")
declare -A BASE=()
for sfx in "${SUFFIXES[@]}"; do
  port=$(free_port); start "open$sfx" "$port" --beacon.security.mode=open; BASE[open$sfx]="http://127.0.0.1:$port"
  port=$(free_port); start "enforced$sfx" "$port" "${ENFORCED_ARGS[@]}"; BASE[enforced$sfx]="http://127.0.0.1:$port"
done
MODES=()
for sfx in "${SUFFIXES[@]}"; do MODES+=("open$sfx" "enforced$sfx"); done
for mode in "${MODES[@]}"; do wait_ready "$mode" "${BASE[$mode]}/actuator/health/readiness"; done

load() { # base token
  local cfg="$WORK/load-$RANDOM.curl" bad
  python3 - "$1" "$2" "$SERVICES" "$INSTANCES" >"$cfg" <<'PY'
import sys
base, token, services, instances = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
first = True
for s in range(1, services + 1):
    for n in range(1, instances + 1):
        if not first:
            print("next")
        first = False
        body = '{\\"name\\":\\"svc-%03d\\",\\"address\\":\\"10.0.%d.%d\\",\\"port\\":8080,\\"leaseSeconds\\":3600}' % (s, s, n)
        print('url = "%s/register"\nrequest = "POST"\nheader = "Content-Type: application/json"\n'
              'header = "Authorization: Bearer %s"\ndata = "%s"\noutput = "/dev/null"\n'
              'write-out = "%%{http_code}\\n"' % (base, token, body))
PY
  bad=$(curl -sS --no-progress-meter --parallel --parallel-max 16 -K "$cfg" | grep -cv '^20[01]$' || true)
  [[ "$bad" == "0" ]] || { echo "loading $1: $bad registrations failed" >&2; exit 1; }
}
log "loading $SERVICES x $INSTANCES instances into each server"
for mode in "${MODES[@]}"; do load "${BASE[$mode]}" "$TOKEN"; done

declare -A TARGET=()
for mode in "${MODES[@]}"; do
  token=""; [[ "$mode" == enforced* ]] && token=$TOKEN
  TARGET[discover-$mode]="${BASE[$mode]}|GET|/discover?name={svc}|-|$token"
  TARGET[heartbeat-$mode]="${BASE[$mode]}|PUT|/heartbeat/{svc}/{id}|-|$token"
done
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg)
log "load average at the start: $LOAD_START"
RAW="$WORK/rounds.txt"; : >"$RAW"
run_wrk() { # key seconds
  local IFS='|' base method path body token
  read -r base method path body token <<<"${TARGET[$1]}"
  BEACON_TOKEN="$token" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --timeout "$TIMEOUT"s --latency -s "$LUA" "$base" -- \
    "$method" "$path" "$body" "-" "$SERVICES" "$INSTANCES" | grep '^BENCH ' || echo "BENCH rps=0 non2xx=-1"
}
for measure in discover heartbeat; do
  for mode in "${MODES[@]}"; do log "warm-up $measure-$mode"; run_wrk "$measure-$mode" "$WARMUP" >/dev/null; done
  for round in $(seq 1 "$ROUNDS"); do
    for mode in "${MODES[@]}"; do
      line=$(run_wrk "$measure-$mode" "$DURATION")
      log "round $round $measure-$mode: ${line#BENCH }"
      echo "$measure-$mode $round ${line#BENCH }" >>"$RAW"
    done
  done
done

median() { # key field
  awk -v k="$1" -v f="$2" '$1 == k { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] } }' "$RAW" \
    | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "| Measure | jar | open req/s | enforced req/s | enforced / open | p99 open | p99 enforced | non-2xx (enforced) |"
echo "|---|---|---|---|---|---|---|---|"
for measure in discover heartbeat; do
  for sfx in "${SUFFIXES[@]}"; do
    jar=$(basename "$BEACON_JAR"); [[ "$sfx" == -before ]] && jar="$(basename "$BEFORE_JAR") (before)"
    o=$(median "$measure-open$sfx" rps); e=$(median "$measure-enforced$sfx" rps)
    po=$(median "$measure-open$sfx" p99_us); pe=$(median "$measure-enforced$sfx" p99_us)
    bad=$(awk -v k="$measure-enforced$sfx" '$1 == k { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "non2xx") s += kv[2] } } END { print s + 0 }' "$RAW")
    awk -v m="$measure" -v j="$jar" -v o="$o" -v e="$e" -v po="$po" -v pe="$pe" -v bad="$bad" 'BEGIN {
      printf "| %s | %s | %.0f | %.0f | %.2f (target >= 0.9) | %.2f ms | %.2f ms | %d |\n", m, j, o, e, (o > 0 ? e / o : 0), po / 1000, pe / 1000, bad }'
  done
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per round, $ROUNDS interleaved rounds (${MODES[*]}), medians; $SERVICES x $INSTANCES instances; wrk on the same machine; load average $LOAD_START at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end."
