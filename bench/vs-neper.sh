#!/usr/bin/env bash
# Benchmark (not a test): neper-runner against a prebuilt C tcp_stream, side by side, interleaved.
#   NEPER_BIN=/path/to/tcp_stream bench/vs-neper.sh [rounds=6] [seconds=8] [shape...]
# Shapes (default: all): t1f1-400k t1f1-16k t2f8-400k skip-rx-copy zerocopy rx-zerocopy links4
# Every run starts a fresh server and client of one tool (C or runner) in a private network
# namespace (loopback) or, for links4, in two namespaces joined by 4 veth pairs (the C tool as
# multi_neper.py runs it: one process per link, control port 12866+i, data ports 12345+i*F;
# the runner as one `links` process). Within a round each shape runs C then runner, or runner then
# C on even rounds, so drift on a shared machine falls on both.
# Per shape it prints the medians of receiver throughput (neper's throughput= key, summed over
# links) and CPU seconds per GB (utime+stime from the _start/_end rusage keys, of both processes,
# over the bytes the receiver counted between time_start and time_end), the user-mode part of that CPU
# (utime alone: what the tools' own code costs, where the JVM's per-call overhead shows), and the
# ratios runner/C.
# BENCH_PIN=0:1 runs every server under `taskset -c 0` and every client under `taskset -c 1`, both
# tools alike, as multi_neper.py pins each link's process (on a 2-core machine the rounds of both
# tools stayed as spread pinned: see docs/runner.md).
# The last columns give the range of the per-round ratios (runner over the C run of the same round).
# A shape the C binary does not accept (rx-zerocopy on the tcpd branch) is skipped with a note.
# Note `uptime` before and after; quote it with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${NEPER_BIN:?set NEPER_BIN to a built C tcp_stream (google/neper)}"
[[ -x $NEPER_BIN ]] || { echo "NEPER_BIN=$NEPER_BIN is not executable" >&2; exit 1; }
source bench/runner-jar.sh
exec python3 bench/vs_neper.py "$PWD/bin/neper-runner" "$NEPER_BIN" "$@"
