#!/usr/bin/env bash
# In-process registry measurements: the 1M-instance heap and sweeper figures (HeapFootprint) and the
# JMH benchmarks (RegistryBenchmark, SweepBenchmark), compiled from bench/jmh/ against target/classes.
#
# Usage: bench/registry.sh [footprint|jmh|all]     (default: all)
# Environment:
#   INSTANCES=1000000 SWEEP_SECONDS=60   HeapFootprint data set and simulated seconds of sweeping
#   HEAP_OPTS="-Xms4g -Xmx4g"      JVM flags for HeapFootprint
#   JFR=1                          record HeapFootprint with JFR into target/bench/footprint.jfr
#   JMH_ARGS="..."                 arguments for JMH (default: both benchmarks, both sizes, -f1)
#   SKIP_BUILD=1                   reuse target/classes and the compiled benchmarks
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/target/bench"
WHAT=${1:-all}
INSTANCES=${INSTANCES:-1000000}
SWEEP_SECONDS=${SWEEP_SECONDS:-60}
HEAP_OPTS=${HEAP_OPTS:--Xms4g -Xmx4g}
JMH_ARGS=${JMH_ARGS:-RegistryBenchmark SweepBenchmark -f 1}
cd "$ROOT"

if [[ "${SKIP_BUILD:-0}" != "1" || ! -d "$OUT/classes" ]]; then
  mkdir -p "$OUT"
  ./mvnw -B -q -DskipTests compile
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/main.cp"
  ./mvnw -B -q -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/jmh.cp"
  rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
  javac -d "$OUT/classes" -cp "$ROOT/target/classes:$(cat "$OUT/main.cp"):$(cat "$OUT/jmh.cp")" \
    -processorpath "$(cat "$OUT/jmh.cp")" bench/jmh/*.java
fi
CP="$OUT/classes:$ROOT/target/classes:$(cat "$OUT/main.cp"):$(cat "$OUT/jmh.cp")"

if [[ "$WHAT" == footprint || "$WHAT" == all ]]; then
  JFR_OPTS=()
  if [[ "${JFR:-0}" == "1" ]]; then
    JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/footprint.jfr,settings=profile")
  fi
  echo "== HeapFootprint: $INSTANCES instances, $SWEEP_SECONDS simulated seconds ($HEAP_OPTS)"
  # shellcheck disable=SC2086
  java $HEAP_OPTS "${JFR_OPTS[@]}" -cp "$CP" io.beacon.bench.HeapFootprint "$INSTANCES" "$SWEEP_SECONDS"
fi

if [[ "$WHAT" == jmh || "$WHAT" == all ]]; then
  echo "== JMH: $JMH_ARGS"
  # shellcheck disable=SC2086
  java -cp "$CP" org.openjdk.jmh.Main $JMH_ARGS
fi
