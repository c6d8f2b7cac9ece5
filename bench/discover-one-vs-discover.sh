#!/usr/bin/env bash
# Throughput of GET /discover/one against plain GET /discover on one service of 10 instances.
# Starts target/beacon.jar (build it with ./mvnw -B -DskipTests package) on 127.0.0.1:$PORT, registers
# the instances, then runs wrk against both endpoints, interleaved, $ROUNDS times.
#   bench/discover-one-vs-discover.sh            # PORT=18089 ROUNDS=2 DURATION=10s
set -euo pipefail
PORT=${PORT:-18089}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
BASE="http://127.0.0.1:$PORT"

java -XX:+ExitOnOutOfMemoryError -Xmx512m -jar target/beacon.jar --server.address=127.0.0.1 --server.port="$PORT" \
  --beacon.limits.registrations-per-minute=0 --beacon.limits.heartbeats-per-minute=0 --beacon.limits.reads-per-minute=0 --beacon.limits.writes-per-minute=0 --logging.level.root=warn > /tmp/beacon-wrk-$PORT.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "$BASE/actuator/health" > /dev/null 2>&1 && break
  sleep 0.5
done
for i in $(seq 0 9); do
  curl -fs -o /dev/null -H 'Content-Type: application/json' -X POST "$BASE/register" \
    -d "{\"name\":\"orders\",\"address\":\"10.0.0.$i\",\"port\":8080,\"zone\":\"z$((i % 2))\",\"weight\":$((i + 1))}"
done
curl -fs "$BASE/discover/one?name=orders" > /dev/null
# Warm up both endpoints before measuring.
wrk -t2 -c64 -d5s "$BASE/discover?name=orders" > /dev/null
wrk -t2 -c64 -d5s "$BASE/discover/one?name=orders" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which endpoint goes first, so a drift in machine load does not favour one of them.
  if (( round % 2 )); then order=("/discover?name=orders" "/discover/one?name=orders");
  else order=("/discover/one?name=orders" "/discover?name=orders"); fi
  for path in "${order[@]}"; do
    rps=$(wrk -t2 -c64 -d"$DURATION" "$BASE$path" | awk '/Requests\/sec/ {print $2}')
    echo "round $round  GET $path  $rps req/s"
  done
done
