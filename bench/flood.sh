#!/usr/bin/env bash
# Flood benchmark: the latency of well-behaved clients (victims) with and without a hostile client that
# floods Beacon with registrations or reports, under the default per-client rate budgets (beacon.limits.*).
#
# Starts one Beacon on 127.0.0.1 (a free port) with --server.forward-headers-strategy=native, so every load
# generator is a distinct client address through its X-Forwarded-For header: on one machine the client
# addresses are simulated this way (Tomcat trusts X-Forwarded-For from 127.0.0.1 only with that setting).
# Loads 100 services x 10 instances (1 h leases), then runs three phases per round, interleaved and repeated:
#   alone     the two victims only
#   register  the victims + the hostile client flooding POST /register with new ids
#   report    the victims + the hostile client flooding POST /report
# Victims: wrk -t1 -c16 heartbeating the loaded instances (X-Forwarded-For 10.0.1.1), and wrk -t1 -c16
# discovering the loaded services (10.0.1.2). Hostile client: wrk -t1 -c64 at full speed (10.6.6.6).
#
# Why the victims are paced: wrk (not wrk2) at full speed measures throughput, and its latency then grows
# with whatever share of the CPU it wins, not with the service time Beacon offers. The victims instead send
# a moderate, bounded load: each of their 16 connections waits PAUSE_MS after every answer before its next
# request (wrk's delay() hook in wrk/client.lua), at most 16 x 1000 / PAUSE_MS requests a second each (with
# the default 20 ms, 800/s: below the 1,000/s of the heartbeat and read budgets, so a victim is never
# refused). Latency runs from sending a request to its answer and never includes the pause. The rate
# achieved is reported too: a slower server also shows up as fewer victim requests. The load is closed
# (a connection waits for its answer), so a stall delays the next requests instead of queueing them: p99
# is a lower bound under stalls, which is why the rate and the failed count are in the table.
#
# The hostile client's budgets are shared by the rounds: the first flood of each kind spends the whole
# budget (it allows its whole value per minute at once), later ones what refilled meanwhile. The new ids
# rotate over a pool of POOL ids (services flood-00..flood-49): far below beacon.limits.max-instances, so
# every registration the rate budget lets through is a real one. Reports are "success" reports about the
# loaded instances (they eject nothing, so discovery answers keep their size).
#
# Environment (defaults finish in about 3 minutes):
#   ROUNDS=3 DURATION=10 WARMUP=5   rounds, seconds per phase, seconds of unmeasured victim load first
#   PAUSE_MS=20                     victims' pause per connection between requests
#   POOL=10000                      new ids the registration flood rotates over
#   JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError"
#   EXTRA_ARGS="--beacon.limits.refusal-delay=0"   more Beacon arguments (e.g. to compare settings)
#   SKIP_BUILD=1 reuses target/beacon.jar; BEACON_JAR=path; RESULTS=path (default bench/results/flood-<date>.md)
# Every wrk run is bounded by its duration (and a timeout); the script stops only the processes it started.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
PAUSE_MS=${PAUSE_MS:-20}
POOL=${POOL:-10000}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError}
EXTRA_ARGS=${EXTRA_ARGS:-}
SERVICES=100
INSTANCES=10
LEASE_SECONDS=3600
VICTIM_CONNECTIONS=16
HOSTILE_CONNECTIONS=64
HEARTBEAT_CLIENT=10.0.1.1
DISCOVER_CLIENT=10.0.1.2
HOSTILE_CLIENT=10.6.6.6

NAME=flood
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------- build and start
build_beacon
# shellcheck disable=SC2086
start_beacon "$JAVA_OPTS" --server.forward-headers-strategy=native $EXTRA_ARGS
log "Beacon pid $BEACON_PID ready on :$PORT (default rate budgets, client addresses from X-Forwarded-For)"

# ---------------------------------------------------------------- load (as client 127.0.0.1, within its budgets)
load_fleet load "$SERVICES" "$INSTANCES" "$LEASE_SECONDS" '{"env":"bench","team":"team-01"}'

# ---------------------------------------------------------------- clients
REGISTER_BODY='{"name":"{fsvc}","address":"{fip}","port":8080,"metadata":{"env":"flood"},"leaseSeconds":'$LEASE_SECONDS'}'
REPORT_BODY='{"name":"{svc}","id":"{id}","outcome":"success","latencyMs":5}'

client() { # connections seconds method path body xff pause -> wrk_client's line
  wrk_client "$1" "$2" 5 "$3" "$4" "$5" "$6" "$7" "$SERVICES" "$INSTANCES" "$POOL"
}
heartbeat_victim() { client "$VICTIM_CONNECTIONS" "$1" PUT '/heartbeat/{svc}/{id}' - "$HEARTBEAT_CLIENT" "$PAUSE_MS"; }
discover_victim() { client "$VICTIM_CONNECTIONS" "$1" GET '/discover?name={svc}' - "$DISCOVER_CLIENT" "$PAUSE_MS"; }
hostile() { # kind seconds
  case $1 in
    register) client "$HOSTILE_CONNECTIONS" "$2" POST /register "$REGISTER_BODY" "$HOSTILE_CLIENT" 0 ;;
    report) client "$HOSTILE_CONNECTIONS" "$2" POST /report "$REPORT_BODY" "$HOSTILE_CLIENT" 0 ;;
  esac
}

RAW="$WORK/rounds.txt"; : >"$RAW"
phase() { # name round seconds: the victims for <seconds>, the hostile client (if any) from 1 s before to 1 s after
  local name=$1 round=$2 seconds=$3 hp= t0 t1 c0 c1
  if [[ "$name" != alone ]]; then
    hostile "$name" $((seconds + 2)) >"$WORK/h.out" &
    hp=$!; PIDS+=("$hp")
    sleep 1
  fi
  c0=$(cpu_ticks "$BEACON_PID"); t0=$(date +%s%N)
  heartbeat_victim "$seconds" >"$WORK/hb.out" &
  local p1=$!; PIDS+=("$p1")
  discover_victim "$seconds" >"$WORK/dc.out" &
  local p2=$!; PIDS+=("$p2")
  wait "$p1" "$p2"
  c1=$(cpu_ticks "$BEACON_PID"); t1=$(date +%s%N)
  [[ -n "$hp" ]] && wait "$hp"
  PIDS=("$BEACON_PID") # the wrk runs have ended: never signal their (reusable) ids later
  [[ "$round" == warmup ]] && return 0
  echo "beacon $name $round cpu_share=$(awk -v c=$((c1 - c0)) -v k="$TICKS" -v t=$((t1 - t0)) 'BEGIN { printf "%.2f", c / k / (t / 1e9) }') load=$(load_avg)" >>"$RAW"
  echo "heartbeat $name $round $(cat "$WORK/hb.out")" >>"$RAW"
  echo "discover $name $round $(cat "$WORK/dc.out")" >>"$RAW"
  log "round $round $name: heartbeat $(cut -d' ' -f1-3 "$WORK/hb.out"); discover $(cut -d' ' -f1-3 "$WORK/dc.out")"
  if [[ -n "$hp" ]]; then
    echo "hostile $name $round $(cat "$WORK/h.out")" >>"$RAW"
    log "round $round $name: hostile $(cat "$WORK/h.out")"
  fi
}

log "warm-up: victims alone for ${WARMUP}s"
phase alone warmup "$WARMUP"
PHASES=(alone register report)
for round in $(seq 1 "$ROUNDS"); do
  for p in "${PHASES[@]}"; do
    phase "$p" "$round" "$DURATION"
  done
done
INSTANCES_AFTER=$(curl -s "$B/services" | jq '[.services[].instances] | add')
RSS_MIB=$(rss_mib "$BEACON_PID")

# ---------------------------------------------------------------- report
field() { # who phase field -> median over rounds
  awk -v w="$1" -v p="$2" -v f="$3" '$1 == w && $2 == p { for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] } }' "$RAW" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "" } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}
sum_field() { # who phase field -> sum over rounds
  awk -v w="$1" -v p="$2" -v f="$3" '$1 == w && $2 == p { for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } } END { print s + 0 }' "$RAW"
}
ratio() { # flood alone -> "r | met/missed"
  if [[ -z "$1" || -z "$2" || "$2" == "0" ]]; then echo "- | -"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf "%.2f | %s", r, (r <= 2.0) ? "met" : "**missed**" }'
}
failed() { echo $(( $(sum_field "$1" "$2" non2xx) + $(sum_field "$1" "$2" socket_errors) )); }
victim_row() { # who label phase
  local p99 alone99
  p99=$(field "$1" "$3" p99_us); alone99=$(field "$1" alone p99_us)
  if [[ "$3" == alone ]]; then
    echo "| $2 | $3 | $(printf '%.0f' "$(field "$1" "$3" rps)") | $(ms "$(field "$1" "$3" p50_us)") | $(ms "$p99") | - | - | $(failed "$1" "$3") |"
  else
    echo "| $2 | $3 | $(printf '%.0f' "$(field "$1" "$3" rps)") | $(ms "$(field "$1" "$3" p50_us)") | $(ms "$p99") | $(ratio "$p99" "$alone99") | $(failed "$1" "$3") |"
  fi
}
hostile_row() { # phase label
  echo "| $2 | $(printf '%.0f' "$(field hostile "$1" rps)") | $(sum_field hostile "$1" ok) | $(sum_field hostile "$1" limited) | $(sum_field hostile "$1" other) | $(( $(sum_field hostile "$1" socket_errors) )) |"
}

RESULTS=$(results_file flood-)
{
  echo "# Beacon under a flood (rate limits), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  machine_line
  echo "Command: \`EXTRA_ARGS=\"$EXTRA_ARGS\" ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP PAUSE_MS=$PAUSE_MS POOL=$POOL JAVA_OPTS=\"$JAVA_OPTS\" bench/flood.sh\`"
  echo "One Beacon, default rate budgets, \`--server.forward-headers-strategy=native\`: the client addresses are simulated"
  echo "on one machine through \`X-Forwarded-For\` (victims $HEARTBEAT_CLIENT heartbeats and $DISCOVER_CLIENT discovery, hostile $HOSTILE_CLIENT)."
  echo "Victims: wrk -t1 -c$VICTIM_CONNECTIONS each, ${PAUSE_MS} ms pause per connection between requests; hostile: wrk -t1 -c$HOSTILE_CONNECTIONS at full speed."
  echo "Phases interleaved (alone, register flood, report flood) in $ROUNDS rounds of ${DURATION}s; medians shown; data $SERVICES services x $INSTANCES instances."
  echo "wrk runs on the same machine as Beacon and takes its share of the CPU."
  echo
  echo "| victim | phase | req/s | p50 ms | p99 ms | p99 flood / alone (target <= 2) | result | failed |"
  echo "|---|---|---|---|---|---|---|---|"
  for p in "${PHASES[@]}"; do victim_row heartbeat "PUT /heartbeat" "$p"; done
  for p in "${PHASES[@]}"; do victim_row discover "GET /discover?name=" "$p"; done
  echo
  echo "Hostile client, all rounds (accepted: 2xx; refused: 429 of its rate budget):"
  echo
  echo "| flood | req/s | accepted | 429 | other answers | socket errors |"
  echo "|---|---|---|---|---|---|"
  hostile_row register "POST /register (new ids)"
  hostile_row report "POST /report"
  echo
  echo "CPU, medians over rounds, in cores busy during a phase (the machine has $(nproc)): Beacon / hostile wrk / both victims' wrk; load average:"
  echo
  echo "| phase | Beacon | hostile wrk | victims' wrk | load average |"
  echo "|---|---|---|---|---|"
  for p in "${PHASES[@]}"; do
    hcpu=$(field hostile "$p" cpu_s); vcpu=$(awk -v a="$(field heartbeat "$p" cpu_s)" -v b="$(field discover "$p" cpu_s)" 'BEGIN { print a + b }')
    echo "| $p | $(field beacon "$p" cpu_share) | $( [[ -n "$hcpu" ]] && awk -v c="$hcpu" -v d="$DURATION" 'BEGIN { printf "%.2f", c / (d + 2) }' || echo -) | $(awk -v c="$vcpu" -v d="$DURATION" 'BEGIN { printf "%.2f", c / d }') | $(field beacon "$p" load) |"
  done
  echo
  echo "Failed victim requests (non-2xx answers and socket errors), all phases: $(( $(failed heartbeat alone) + $(failed heartbeat register) + $(failed heartbeat report) + $(failed discover alone) + $(failed discover register) + $(failed discover report) ))."
  echo "Instances registered after the run: $INSTANCES_AFTER; Beacon RSS: $RSS_MIB MiB."
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
