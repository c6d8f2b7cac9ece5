#!/usr/bin/env bash
# In-process registry measurements: the 1M-instance heap and sweeper figures (HeapFootprint) and the JMH
# benchmarks. Both live in src/jmh/java (package io.beacon.bench) and are built by the jmh profile into
# target/benchmarks.jar.
#
# Usage: bench/registry.sh [footprint|jmh|all]     (default: all)
# Environment:
#   INSTANCES=1000000 SWEEP_SECONDS=60   HeapFootprint data set and simulated seconds of sweeping
#   HEAP_OPTS="-Xms4g -Xmx4g"      JVM flags for HeapFootprint
#   JFR=1                          record HeapFootprint with JFR into target/bench/footprint.jfr
#   JMH_ARGS="..."                 arguments for JMH (default: RegistryBenchmark and SweepBenchmark, -f1)
#   SKIP_BUILD=1                   reuse target/benchmarks.jar
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/target/bench"
JAR="$ROOT/target/benchmarks.jar"
WHAT=${1:-all}
INSTANCES=${INSTANCES:-1000000}
SWEEP_SECONDS=${SWEEP_SECONDS:-60}
HEAP_OPTS=${HEAP_OPTS:--Xms4g -Xmx4g}
JMH_ARGS=${JMH_ARGS:-RegistryBenchmark SweepBenchmark -f 1}
cd "$ROOT"

if [[ "${SKIP_BUILD:-0}" != "1" || ! -f "$JAR" ]]; then
  ./mvnw -B -q -Pjmh -DskipTests package
fi
mkdir -p "$OUT"

if [[ "$WHAT" == footprint || "$WHAT" == all ]]; then
  JFR_OPTS=()
  if [[ "${JFR:-0}" == "1" ]]; then
    JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/footprint.jfr,settings=profile")
  fi
  echo "== HeapFootprint: $INSTANCES instances, $SWEEP_SECONDS simulated seconds ($HEAP_OPTS)"
  # shellcheck disable=SC2086
  java $HEAP_OPTS "${JFR_OPTS[@]}" -cp "$JAR" io.beacon.bench.HeapFootprint "$INSTANCES" "$SWEEP_SECONDS"
fi

if [[ "$WHAT" == jmh || "$WHAT" == all ]]; then
  echo "== JMH: $JMH_ARGS"
  # shellcheck disable=SC2086
  java -jar "$JAR" $JMH_ARGS
fi
