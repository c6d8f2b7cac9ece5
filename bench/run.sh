#!/usr/bin/env bash
# Side-by-side HTTP benchmark: Beacon vs the stack's ceiling vs a stock Eureka server.
#
# Builds what it needs, starts the three servers on 127.0.0.1 (free ports, same JVM flags), loads
# 100 services x 10 instances into Beacon and Eureka through their own REST APIs, then runs
# `wrk -t2 -c64` rounds interleaved (A B A B ...) per measure and writes the medians as a Markdown
# table to bench/results/<date>.md and stdout. Stops only the processes it started.
#
# Environment (defaults finish in about 13 minutes on 2 cores):
#   ROUNDS=5        rounds per target (the median is reported)
#   DURATION=10     seconds per wrk run
#   WARMUP=5        seconds of unmeasured load per target before the rounds
#   THREADS=2 CONNECTIONS=64 TIMEOUT=5   wrk threads, connections, request timeout (s)
#   JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"   JVM flags, the same for the three servers
#   SKIP_BUILD=1    reuse jars built earlier
#   BEACON_JAR=path the Beacon jar to measure (default target/beacon.jar)
#   BASELINE_JAR=path  an earlier Beacon build, started beside the first with the same data and measured
#                   in the same interleaved rounds: rows "Beacon vs baseline" show the change as ratios
#   BASELINE_ARGS="--prop=value ..."  extra arguments for the baseline only (e.g. the same jar with
#                   --beacon.metrics.http.observation=true measures what a setting costs)
#   BEACON_EXTRA_ARGS="--prop=value ..."  extra arguments for the measured Beacon only
#   ONLY="b_discover b_heartbeat"  run only the groups led by these measures (b_discover, b_heartbeat,
#                   b_register, b_apps, b_renew)
#
# Every Beacon row is measured against two ceilings in the same rounds: the constant answer of the same
# shape and size (/large, /small) and a 19-byte constant JSON (/tiny, the independent harness's reference).
#   RESULTS=path    where to write the table (default bench/results/<UTC date>.md)
set -euo pipefail

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-5}
CONNECTIONS=${CONNECTIONS:-64}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
SERVICES=100
INSTANCES=10
LEASE_SECONDS=3600 # longer than any run: no instance expires while another measure runs

NAME=bench
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
LUA="$BENCH/wrk/rotate.lua"

# ---------------------------------------------------------------- build
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  log "building Beacon, the ceiling app and the Eureka peer"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -f bench/ceiling/pom.xml package)
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -f bench/peers/eureka/pom.xml package)
fi
BEACON_JAR=${BEACON_JAR:-"$ROOT/target/beacon.jar"}
CEILING_JAR="$BENCH/ceiling/target/ceiling.jar"
EUREKA_JAR="$BENCH/peers/eureka/target/eureka-peer.jar"
# the reference servers are small: rebuild one whose sources are newer than its jar even with SKIP_BUILD=1
for ref in ceiling:"$CEILING_JAR" peers/eureka:"$EUREKA_JAR"; do
  dir="$BENCH/${ref%%:*}"; jar="${ref#*:}"
  if [[ ! -f "$jar" || -n "$(find "$dir/src" "$dir/pom.xml" -newer "$jar" -print -quit)" ]]; then
    log "rebuilding $(basename "$jar"): its sources changed"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -f "$dir/pom.xml" package)
  fi
done
for jar in "$BEACON_JAR" "$CEILING_JAR" "$EUREKA_JAR"; do
  [[ -f "$jar" ]] || { echo "missing $jar (run without SKIP_BUILD=1)" >&2; exit 1; }
done

# ---------------------------------------------------------------- start
STARTED_PID=
# wrk floods Beacon from one client address: the per-client rate budgets (beacon.limits.*-per-minute) are
# turned off for the measured servers, so the figures are the request path's, not the rate limiter's refusals
# (the ceiling and Eureka ignore these arguments).
BEACON_ARGS="--beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0"
start() { # name jar port [extra args]; sets STARTED_PID (lib.sh's start_java)
  # shellcheck disable=SC2086
  start_java "$1" "$2" "$3" "$JAVA_OPTS" $BEACON_ARGS ${4:-}
}

BEACON_PORT=$(free_port); start beacon "$BEACON_JAR" "$BEACON_PORT" "${BEACON_EXTRA_ARGS:-}"; BEACON_PID=$STARTED_PID
CEILING_PORT=$(free_port); start ceiling "$CEILING_JAR" "$CEILING_PORT"; CEILING_PID=$STARTED_PID
EUREKA_PORT=$(free_port); start eureka "$EUREKA_JAR" "$EUREKA_PORT"; EUREKA_PID=$STARTED_PID
B="http://127.0.0.1:$BEACON_PORT"; C="http://127.0.0.1:$CEILING_PORT"; E="http://127.0.0.1:$EUREKA_PORT"
if [[ -n "${BASELINE_JAR:-}" ]]; then
  BASELINE_PORT=$(free_port); start baseline "$BASELINE_JAR" "$BASELINE_PORT" "${BASELINE_ARGS:-}"; BASELINE_PID=$STARTED_PID
  A="http://127.0.0.1:$BASELINE_PORT"
  wait_ready baseline "$A/actuator/health/readiness" "$BASELINE_PID"
  log "baseline Beacon ($BASELINE_JAR) pid $BASELINE_PID :$BASELINE_PORT"
fi
log "started Beacon pid $BEACON_PID :$BEACON_PORT, ceiling pid $CEILING_PID :$CEILING_PORT, Eureka pid $EUREKA_PID :$EUREKA_PORT"
wait_ready beacon "$B/actuator/health/readiness" "$BEACON_PID"
wait_ready ceiling "$C/small" "$CEILING_PID"
wait_ready eureka "$E/eureka/apps" "$EUREKA_PID"
log "all three servers ready"

status_of() { # url [accept]
  curl -s -o /dev/null -w '%{http_code}' -H "Accept: ${2:-application/json}" "$1"
}

# ---------------------------------------------------------------- load
# One curl process per server and API: a config file with one POST per instance. Same data on both:
# svc-001..svc-100, instances 10.0.<s>.<n>:8080 with two metadata entries (Eureka: app SVC-001 ...).
curl_config() { # kind(native|eureka) base
  python3 - "$1" "$2" "$SERVICES" "$INSTANCES" "$LEASE_SECONDS" <<'PY'
import json, sys
kind, base, services, instances, lease = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
for s in range(1, services + 1):
    svc = "svc-%03d" % s
    for n in range(1, instances + 1):
        ip = "10.0.%d.%d" % (s, n)
        if kind == "native":
            url = base + "/register"
            body = {"name": svc, "address": ip, "port": 8080, "metadata": {"env": "bench", "team": "team-01"},
                    "tags": ["bench", "http"], "zone": "zone-a", "version": "1.0.0", "leaseSeconds": lease}
        else:
            url = base + "/eureka/apps/" + svc.upper()
            body = {"instance": {"instanceId": ip + ":8080", "hostName": ip, "app": svc.upper(), "ipAddr": ip,
                    "status": "UP", "port": {"$": 8080, "@enabled": "true"}, "securePort": {"$": 443, "@enabled": "false"},
                    "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"},
                    "leaseInfo": {"renewalIntervalInSecs": 30, "durationInSecs": lease},
                    "metadata": {"env": "bench", "team": "team-01"}, "vipAddress": svc,
                    "homePageUrl": "http://%s:8080/" % ip, "statusPageUrl": "http://%s:8080/actuator/info" % ip,
                    "healthCheckUrl": "http://%s:8080/actuator/health" % ip}}
        if s > 1 or n > 1:
            print("next")
        data = json.dumps(body, separators=(",", ":")).replace("\\", "\\\\").replace('"', '\\"')
        print('url = "%s"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "%s"\n'
              'output = "/dev/null"\nwrite-out = "%%{http_code}\\n"' % (url, data))
PY
}

load() { # name kind(native|eureka) base expected-codes-regex
  local name=$1 kind=$2 base=$3 ok=$4 cfg="$WORK/load-$1-$2.curl" codes bad
  curl_config "$kind" "$base" >"$cfg"
  codes=$(curl -s -K "$cfg")
  bad=$(grep -cvE "^($ok)\$" <<<"$codes" || true)
  if [[ "$bad" != "0" ]]; then
    echo "loading $name ($kind): $bad of $((SERVICES * INSTANCES)) registrations failed: $(sort <<<"$codes" | uniq -c | tr '\n' ' ')" >&2
    exit 1
  fi
  log "loaded $((SERVICES * INSTANCES)) instances into $name ($kind API)"
}

load beacon native "$B" '200|201'
[[ -n "${BASELINE_JAR:-}" ]] && load baseline native "$A" '200|201'
load eureka eureka "$E" '204'
BEACON_EUREKA=$(status_of "$B/eureka/apps")
if [[ "$BEACON_EUREKA" == "404" ]]; then
  log "Beacon answers 404 on /eureka/apps: Eureka-compatible rows are skipped"
else
  load beacon eureka "$B" '200|201|204'
fi

# Eureka serves reads from a read-only cache refreshed every 30 s: wait until it shows the whole load.
eureka_count() {
  curl -s -H 'Accept: application/json' "$E/eureka/apps" | jq '[.applications.application[]?.instance | length] | add // 0'
}
for _ in $(seq 1 90); do
  [[ "$(eureka_count)" == "$((SERVICES * INSTANCES))" ]] && break
  sleep 1
done
log "Eureka lists $(eureka_count) instances; Beacon lists $(curl -s "$B/services" | jq '[.services[].instances] | add')"

# ---------------------------------------------------------------- measure
# target: key|label|base url|method|path template|body template|accept
NATIVE_BODY='{"name":"{svc}","address":"{ip}","port":8080,"metadata":{"env":"bench","team":"team-01"},"tags":["bench","http"],"zone":"zone-a","version":"1.0.0","leaseSeconds":'$LEASE_SECONDS'}'
declare -A TARGET=(
  [b_discover]="Beacon GET /discover?name=|$B|GET|/discover?name={svc}|-|-"
  [c_large]="ceiling GET /large (constant ~4 KB)|$C|GET|/large?name={svc}|-|-"
  [e_app]="Eureka GET /eureka/apps/{APP}|$E|GET|/eureka/apps/{app}|-|application/json"
  [b_app]="Beacon GET /eureka/apps/{APP}|$B|GET|/eureka/apps/{app}|-|application/json"
  [c_tiny_get]="ceiling GET /tiny (constant 19 B)|$C|GET|/tiny?name={svc}|-|-"
  [c_tiny_put]="ceiling PUT /tiny (constant 19 B)|$C|PUT|/tiny/{svc}/{id}|-|-"
  [c_tiny_post]="ceiling POST /tiny (constant 19 B)|$C|POST|/tiny/{svc}|$NATIVE_BODY|-"
  [b_heartbeat]="Beacon PUT /heartbeat|$B|PUT|/heartbeat/{svc}/{id}|-|-"
  [c_small_put]="ceiling PUT /small (constant)|$C|PUT|/small/{svc}/{id}|-|-"
  [b_register]="Beacon POST /register (update)|$B|POST|/register|$NATIVE_BODY|-"
  [c_small_post]="ceiling POST /small (constant)|$C|POST|/small/{svc}|$NATIVE_BODY|-"
  [b_apps]="Beacon GET /eureka/apps|$B|GET|/eureka/apps|-|application/json"
  [e_apps]="Eureka GET /eureka/apps|$E|GET|/eureka/apps|-|application/json"
  [b_renew]="Beacon PUT /eureka/apps/{APP}/{id}|$B|PUT|/eureka/apps/{app}/{id}|-|-"
  [e_renew]="Eureka PUT /eureka/apps/{APP}/{id}|$E|PUT|/eureka/apps/{app}/{id}|-|-"
)
GROUPS_=("b_discover c_large c_tiny_get e_app b_app" "b_heartbeat c_small_put c_tiny_put" "b_register c_small_post c_tiny_post" "b_apps e_apps" "b_renew e_renew")
if [[ -n "${BASELINE_JAR:-}" ]]; then
  TARGET[a_discover]="baseline GET /discover?name=|$A|GET|/discover?name={svc}|-|-"
  TARGET[a_heartbeat]="baseline PUT /heartbeat|$A|PUT|/heartbeat/{svc}/{id}|-|-"
  TARGET[a_register]="baseline POST /register (update)|$A|POST|/register|$NATIVE_BODY|-"
  GROUPS_=("b_discover c_large c_tiny_get e_app b_app a_discover" "b_heartbeat c_small_put c_tiny_put a_heartbeat" "b_register c_small_post c_tiny_post a_register" "b_apps e_apps" "b_renew e_renew")
fi
SKIPPED=" "
if [[ "$BEACON_EUREKA" == "404" ]]; then SKIPPED=" b_apps b_renew b_app "; fi

RAW="$WORK/rounds.txt"; : >"$RAW"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
run_wrk() { # key seconds
  local IFS='|' label base method path body accept
  read -r label base method path body accept <<<"${TARGET[$1]}"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --timeout "$TIMEOUT"s --latency -s "$LUA" "$base" -- \
    "$method" "$path" "$body" "$accept" "$SERVICES" "$INSTANCES" | grep '^BENCH ' || echo "BENCH rps=0 p50_us=0 p99_us=0 requests=0 non2xx=0 socket_errors=-1 bytes=0"
}

for group in "${GROUPS_[@]}"; do
  if [[ -n "${ONLY:-}" && " $ONLY " != *" ${group%% *} "* ]]; then continue; fi
  for key in $group; do
    [[ "$SKIPPED" == *" $key "* ]] && continue
    log "warm-up $key (${WARMUP}s)"
    run_wrk "$key" "$WARMUP" >/dev/null
  done
  for round in $(seq 1 "$ROUNDS"); do
    for key in $group; do
      [[ "$SKIPPED" == *" $key "* ]] && continue
      line=$(run_wrk "$key" "$DURATION")
      log "round $round $key: ${line#BENCH }"
      echo "$key $round ${line#BENCH }" >>"$RAW"
    done
  done
done

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
RSS_B=$(rss_kib "$BEACON_PID"); RSS_C=$(rss_kib "$CEILING_PID"); RSS_E=$(rss_kib "$EUREKA_PID")

# ---------------------------------------------------------------- report
field() { # key field -> median over rounds
  awk -v k="$1" -v f="$2" '$1 == k { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] } }' "$RAW" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}
sum_field() { awk -v k="$1" -v f="$2" '$1 == k { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } } END { print s + 0 }' "$RAW"; }
rps() { [[ -z "$1" ]] && { echo "-"; return; }; awk -v r="$1" 'BEGIN { printf "%.0f", r }'; }
ratio() { # a b target op(ge|le)
  if [[ -z "$1" || -z "$2" || "$2" == "0" ]]; then echo "- | $4 $3 | skipped"; return; fi
  awk -v a="$1" -v b="$2" -v t="$3" -v op="$4" 'BEGIN { r = a / b; met = (op == ">=") ? (r >= t) : (r <= t);
    printf "%.2f | %s %s | %s", r, op, t, met ? "met" : "**missed**" }'
}
row() { # beacon-key reference-key target op
  local bl rl
  bl=$(cut -d'|' -f1 <<<"${TARGET[$1]}"); rl=$(cut -d'|' -f1 <<<"${TARGET[$2]}")
  if [[ "$SKIPPED" == *" $1 "* ]]; then
    echo "| $bl | skipped: Beacon answers 404 | - | - | $rl | $(rps "$(field "$2" rps)") | $(ms "$(field "$2" p50_us)") | $(ms "$(field "$2" p99_us)") | - | $4 $3 | skipped (404) |"
    return
  fi
  local failed result
  failed=$(( $(failures "$1") + $(failures "$2") ))
  if (( failed > 0 )); then
    # a side that answered errors (e.g. a stale ceiling jar without the endpoint) measured something else
    result="- | $4 $3 | **invalid**: $failed non-2xx answers or socket errors"
  else
    result=$(ratio "$(field "$1" rps)" "$(field "$2" rps)" "$3" "$4")
  fi
  echo "| $bl | $(rps "$(field "$1" rps)") | $(ms "$(field "$1" p50_us)") | $(ms "$(field "$1" p99_us)") | $rl | $(rps "$(field "$2" rps)") | $(ms "$(field "$2" p50_us)") | $(ms "$(field "$2" p99_us)") | $result |"
}

failures() { # key: non-2xx answers plus socket errors over all rounds
  awk -v k="$1" '$1 == k {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "non2xx" || kv[1] == "socket_errors") n += kv[2] }
    } END { print n + 0 }' "$RAW"
}

RESULTS=$(results_file "")
{
  echo "# Beacon benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  machine_line
  echo "Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS CONNECTIONS=$CONNECTIONS JAVA_OPTS=\"$JAVA_OPTS\"${BASELINE_JAR:+ BASELINE_JAR=$(basename "$BASELINE_JAR")}${BASELINE_ARGS:+ BASELINE_ARGS=\"$BASELINE_ARGS\"}${BEACON_EXTRA_ARGS:+ BEACON_EXTRA_ARGS=\"$BEACON_EXTRA_ARGS\"} bench/run.sh\`"
  echo "Load average at the start and at the end: $LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Load: wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s per round, $ROUNDS interleaved rounds per target, medians shown; data $SERVICES services x $INSTANCES instances."
  echo "wrk runs on the same machine as the servers, so all figures include its share of the CPU."
  echo
  echo "| measure | req/s | p50 ms | p99 ms | reference | req/s | p50 ms | p99 ms | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  row b_discover c_large 0.9 ">="
  row b_heartbeat c_small_put 0.8 ">="
  row b_register c_small_post 0.65 ">="
  row b_app e_app 2.0 ">="
  row b_discover e_app 2.0 ">="
  row b_apps e_apps 5.0 ">="
  row b_renew e_renew 1.5 ">="
  echo
  echo "Against the 19-byte constant JSON (the independent harness's ceiling), same rounds:"
  echo
  echo "| measure | req/s | p50 ms | p99 ms | reference | req/s | p50 ms | p99 ms | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  row b_discover c_tiny_get 0.9 ">="
  row b_heartbeat c_tiny_put 0.8 ">="
  row b_register c_tiny_post 0.65 ">="
  if [[ -n "${BASELINE_JAR:-}" ]]; then
    echo
    echo "Beacon against the baseline build (\`$(basename "$BASELINE_JAR")\`), same rounds; target: no regression beyond noise (>= 0.9):"
    echo
    echo "| measure | req/s | p50 ms | p99 ms | reference | req/s | p50 ms | p99 ms | ratio | target | result |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    row b_discover a_discover 0.9 ">="
    row b_heartbeat a_heartbeat 0.9 ">="
    row b_register a_register 0.9 ">="
  fi
  echo
  echo "| process | RSS after the load (MiB) |"
  echo "|---|---|"
  echo "| Beacon | $((RSS_B / 1024)) |"
  echo "| Eureka | $((RSS_E / 1024)) |"
  echo "| ceiling | $((RSS_C / 1024)) |"
  echo
  echo "RSS Beacon / Eureka: $(ratio "$RSS_B" "$RSS_E" 0.6 "<=")"
  echo
  echo "Failed requests (non-2xx answers / socket errors, all rounds) and bytes per response (with headers):"
  for key in b_discover c_large c_tiny_get e_app b_app b_heartbeat c_tiny_put c_tiny_post c_small_put b_register c_small_post b_apps e_apps b_renew e_renew \
      a_discover a_heartbeat a_register; do
    [[ "$SKIPPED" == *" $key "* || -z "${TARGET[$key]:-}" ]] && continue
    echo "- $key: $(sum_field "$key" non2xx) / $(sum_field "$key" socket_errors), $(awk -v b="$(sum_field "$key" bytes)" -v r="$(sum_field "$key" requests)" 'BEGIN { printf "%.0f", r ? b / r : 0 }') bytes"
  done
  echo
  echo "<details><summary>Every round</summary>"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
  echo "</details>"
} >"$RESULTS"
cat "$RESULTS"
log "results written to $RESULTS"
