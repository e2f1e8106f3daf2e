#!/usr/bin/env bash
# Builds the runner's Java runtime: a jlink image holding only the modules in runner/jlink-modules
# (java.base for FFM and sockets, java.management for the JIT's compilation time, which the data
# path's warm-up watches, jdk.unsupported for sun.misc.Signal). Dockerfile.runner runs this,
# and RuntimeImageTest runs it on the host and runs the runner from the result, proving the list.
#   runner/build-runtime.sh OUTPUT_DIR   (JAVA_HOME must be a JDK 25 with jmods or a JDK 25 image)
set -euo pipefail
out=${1:?usage: build-runtime.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
jlink=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jlink
rm -rf "$out"
"$jlink" --add-modules "$(tr -d ' \n' < "$here/jlink-modules")" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --output "$out"
