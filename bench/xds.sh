#!/usr/bin/env bash
# xDS figures (docs/performance.md, "xDS"): registration -> ClusterLoadAssignment propagation to STREAMS
# subscribed ADS streams, and IDLE idle streams held (heap per stream, registration throughput with and
# without them). Runs src/test/java/io/beacon/xds/XdsBenchmark.java: Beacon's xDS server on a loopback port,
# the raw ADS clients in the same JVM.
#   bench/xds.sh                               # 1,000 streams x 30 registrations; 10,000 idle streams
#   STREAMS=200 IDLE=2000 bench/xds.sh          # a quick check of the harness
set -euo pipefail
cd "$(dirname "$0")/.."
export STREAMS=${STREAMS:-1000} ROUNDS=${ROUNDS:-30} IDLE=${IDLE:-10000} REGISTRATIONS=${REGISTRATIONS:-20000}
export CONNECTIONS=${CONNECTIONS:-10}
./mvnw -o -q test -Dtest=XdsBenchmark -Dsurefire.failIfNoSpecifiedTests=false | grep '^XDS '
