# Sourced by the benches from the repository's root: sets JAVA_HOME to the Temurin 25 JDK (or
# JAVA_HOME_25) and NEPER_RUNNER_JAR to the runner's build output, building it first if absent.
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=$(ls runner/target/neper-runner-*-exec.jar 2>/dev/null | head -n 1 || true)
if [[ -z $jar ]]; then
  ./mvnw -q -B -DskipTests -pl runner -am package
  jar=$(ls runner/target/neper-runner-*-exec.jar | head -n 1)
fi
export NEPER_RUNNER_JAR=$PWD/$jar
