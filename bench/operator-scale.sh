#!/usr/bin/env bash
# The operator's scale benchmark: one NeperTest of 500 pairs x 8 links (1,000 nodes) against the Fabric8
# test server, the benchmark playing the kubelet. Prints time to all pods created, status writes per
# minute and heap. Not part of the test suite (FleetScaleBenchmark runs only with -Dneper-fleet.bench=true).
#   bench/operator-scale.sh [pairs] [links]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
pairs=${1:-500}
links=${2:-8}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
./mvnw -B -pl operator -am verify -Dtest=FleetScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dneper-fleet.bench=true -Dneper-fleet.bench.pairs="$pairs" -Dneper-fleet.bench.links="$links" \
  -Dquarkus.log.category.\"io.fabric8.mockwebserver\".level=WARN >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
sed -n '/=== FleetScaleBenchmark/,/heap used/p' "$log"
