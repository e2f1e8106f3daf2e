#!/usr/bin/env bash
# Fleet attribution on a simulated fleet: the operator's pure planning and attribution core driven round
# by round (plan a wave, measure it in simulation, hand back the results) exactly as the controller does.
# Prints precision (convictions that name an injected fault), recall (injected faults found), rounds,
# waves, pairs and links tested, and the time of the pure computation.
#   bench/fleet-attribution.sh --nodes N --rails R --bad-nodes K --bad-links L --bad-rails B --flaky F --seed S
#       [--bad-paths P] [--bad-rack-rails B] [--off-subnet U] [--rack-size N] [--max-pairs N]
#       [--strategy random|ring|rack-across|rack-within] [--min-link-gbps G] [--jitter FRACTION]
#       [--error-share FRACTION] [--repeat N] [--verdicts]
# Builds the operator's classes and test classes (where the simulator lives) with the Maven wrapper when
# a source is newer than them. Healthy links run at 190 Gbit/s with 2% jitter; faults run at 30-70% or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ ! -x $JAVA_HOME/bin/java ]]; then
  echo "fleet-attribution: no Java 25 at $JAVA_HOME: install the Temurin 25 JDK or set JAVA_HOME_25" >&2
  exit 2
fi
classes=operator/target/classes
tests=operator/target/test-classes
main=$tests/dev/neper/fleet/operator/fleet/sim/FleetAttributionBench.class
if [[ ! -f $main ]] || [[ -n $(find operator/src runner/src -newer "$main" -type f -print -quit) ]]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  ./mvnw -B -q -pl operator -am test-compile >"$log" 2>&1 || { tail -50 "$log" >&2; exit 1; }
fi
exec "$JAVA_HOME/bin/java" -cp "$classes:$tests" dev.neper.fleet.operator.fleet.sim.FleetAttributionBench "$@"
