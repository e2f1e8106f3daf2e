#!/usr/bin/env bash
# The fleet run's scale benchmark: one NeperFleetTest over N nodes x R rails (1,000 x 8 by default) against the
# Fabric8 test server, a benchmark kubelet answering every pod at once (discovery, servers, links; 1% bad nodes
# and 1% bad devices injected). Prints the time from creation to verdicts (all of it overhead: the kubelet
# takes no test time), the operator's API writes, status writes, status size and heap. Not part of the test
# suite (FleetRunScaleBenchmark runs only with -Dneper-fleet.bench=true).
#   bench/fleet-scale.sh [nodes] [rails]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
nodes=${1:-1000}
rails=${2:-8}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
./mvnw -B -pl operator -am verify -Dtest=FleetRunScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dneper-fleet.bench=true -Dneper-fleet.bench.nodes="$nodes" -Dneper-fleet.bench.rails="$rails" \
  -Dquarkus.log.category.\"io.fabric8.mockwebserver\".level=WARN >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
sed -n '/=== FleetRunScaleBenchmark/,/heap used/p' "$log"
