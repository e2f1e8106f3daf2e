#!/usr/bin/env bash
# Benchmark aid (not a test): the JIT deoptimizations inside neper's measured window of one runner
# run, server and client, on loopback in a private network namespace.
#   bench/deopts.sh [tcp_stream flags...]      e.g. bench/deopts.sh -T 1 -F 1 -B 409600 --rx-zerocopy
# Each one is a recompilation whose CPU counts in the run's rusage keys; the warm-up is meant to leave
# none (docs/runner.md). The window is the process's time_start..time_end (CLOCK_MONOTONIC), compared
# (a sender's: time_start plus the test length) against the deoptimization log's timenanos (the JVM's
# CLOCK_MONOTONIC). Runs -l 8 unless the flags say.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "$0: needs python3 (Debian package python3)" >&2; exit 2; }
source bench/runner-jar.sh

work=$(mktemp -d)
ns=nfd$$
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # the runners themselves, not only their shells: nothing may outlive the namespace
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up

run() {
  local role=$1; shift
  JDK_JAVA_OPTIONS="-Xlog:deoptimization=debug:file=$work/$role.log:timenanos" \
    timeout 120 ip netns exec "$ns" bin/neper-runner --nolog -H 127.0.0.1 -C 30000 -P 30001 -l 8 "$@" \
    > "$work/$role.out" 2>&1
}
run server "$@" & pids+=($!)
for _ in $(seq 400); do
  ip netns exec "$ns" ss -Hltn 'sport = :30000' | grep -q . && break
  sleep 0.05
done
run client "$@" -c || { echo "$0: the client failed:" >&2; cat "$work/client.out" >&2; exit 1; }
wait "${pids[0]}" || { echo "$0: the server failed:" >&2; cat "$work/server.out" >&2; exit 1; }
pids=()

python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
for role in ("server", "client"):
    keys = dict(l.strip().split("=", 1) for l in open(f"{work}/{role}.out") if re.match(r"^\w+=", l))
    start = float(keys["time_start"])
    # a sender prints no time_end, as neper's does not: its window lasts the test length
    end = float(keys.get("time_end", start + float(keys["total_run_time"])))
    inside = []
    for line in open(f"{work}/{role}.log"):
        m = re.match(r"\[(\d+)ns\].*level=\d+\s+(\S+)\s+trap_bci=(\d+)\s+(\S+)\s+(\S+)", line)
        if m and start <= int(m[1]) * 1e-9 < end:
            inside.append(f"  +{int(m[1]) * 1e-9 - start:6.3f} s  {m[2]} bci {m[3]} {m[4]} {m[5]}")
    print(f"{role}: {len(inside)} deoptimization(s) in its {end - start:.3f} s window")
    for line in inside:
        print(line)
PY
