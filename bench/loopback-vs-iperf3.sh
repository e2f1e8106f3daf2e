#!/usr/bin/env bash
# Benchmark (not a test): neper-runner against iperf3 on loopback, interleaved over several rounds.
#   bench/loopback-vs-iperf3.sh [rounds=5] [seconds=10]
# Per round, in this order: runner 1 stream, iperf3 1 stream, runner 4 streams, iperf3 4 streams.
# Runner: -B 409600 (the baselines.md buffer), 1 stream = -T 1 -F 1, 4 streams = -T 2 -F 4 (2 cores).
# iperf3 3.12 (single-threaded): -l 128K, -P 1 or -P 4.
# Prints each run, then medians of receiver Gbit/s, CPU seconds per GB (user+system of both
# processes over their whole life, measured by GNU time; for the runner also its own in-run
# rusage, first byte to end), and the runner/iperf3 ratio. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}

# need PROGRAM PACKAGE: a benchmark installs nothing; it refuses, naming the Debian package to install
need() { command -v "$1" >/dev/null 2>&1 || { echo "$0: needs $1 (Debian package $2: apt-get install $2)" >&2; exit 2; }; }
need iperf3 iperf3
need /usr/bin/time time
need python3 python3

source bench/runner-jar.sh

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

results=$work/results.tsv
port=$((30000 + RANDOM % 20000))

run_runner() { # streams threads tag
  local streams=$1 threads=$2 tag=$3
  local dir=$work/$tag
  mkdir -p "$dir"
  /usr/bin/time -f "%U %S" -o "$dir/server.time" bin/neper-runner --nolog -H 127.0.0.1 -C "$port" -P $((port + 1)) \
    -T "$threads" -F "$streams" --num-ports 1 -B 409600 -l "$seconds" -s $((seconds + 60)) \
    --report-json "$dir/server.json" >"$dir/server.out" 2>"$dir/server.err" &
  local server=$!
  pids+=("$server")
  /usr/bin/time -f "%U %S" -o "$dir/client.time" bin/neper-runner --nolog -c -H 127.0.0.1 -C "$port" -P $((port + 1)) \
    -T "$threads" -F "$streams" --num-ports 1 -B 409600 -l "$seconds" --connect-retries 20 \
    --report-json "$dir/client.json" >"$dir/client.out" 2>"$dir/client.err"
  wait "$server"
  python3 - "$dir" "$tag" "$streams" >>"$results" <<'PY'
import json, sys
d, tag, streams = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(d + "/server.json")); c = json.load(open(d + "/client.json"))
cpu = sum(float(x) for f in ("server.time", "client.time") for x in open(d + "/" + f).read().split()[-2:])
def inrun(r):
    u = r["usage"]; a, b = u["start"], u["end"]
    return (b["utimeMicros"] - a["utimeMicros"] + b["stimeMicros"] - a["stimeMicros"]) / 1e6
gb = s["receiver"]["bytes"] / 1e9
print(f"runner\t{streams}\t{s['receiver']['bytesPerSecond'] * 8 / 1e9:.3f}\t{cpu / gb:.4f}\t{(inrun(s) + inrun(c)) / gb:.4f}\t{tag}")
PY
}

run_iperf() { # streams tag
  local streams=$1 tag=$2
  local dir=$work/$tag
  mkdir -p "$dir"
  /usr/bin/time -f "%U %S" -o "$dir/server.time" iperf3 -s -1 -B 127.0.0.1 -p "$port" >"$dir/server.out" 2>&1 &
  local server=$!
  pids+=("$server")
  sleep 0.5
  /usr/bin/time -f "%U %S" -o "$dir/client.time" iperf3 -c 127.0.0.1 -p "$port" -t "$seconds" -P "$streams" \
    -l 128K -J >"$dir/client.json" 2>"$dir/client.err"
  wait "$server"
  python3 - "$dir" "$tag" "$streams" >>"$results" <<'PY'
import json, sys
d, tag, streams = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(d + "/client.json"))["end"]["sum_received"]
cpu = sum(float(x) for f in ("server.time", "client.time") for x in open(d + "/" + f).read().split()[-2:])
gb = c["bytes"] / 1e9
print(f"iperf3\t{streams}\t{c['bits_per_second'] / 1e9:.3f}\t{cpu / gb:.4f}\t-\t{tag}")
PY
}

printf 'tool\tstreams\tGbit/s\tCPU s/GB\tin-run CPU s/GB\trun\n'
for round in $(seq 1 "$rounds"); do
  run_runner 1 1 "r$round-runner-1"; tail -n 1 "$results"
  run_iperf 1 "r$round-iperf3-1"; tail -n 1 "$results"
  run_runner 4 2 "r$round-runner-4"; tail -n 1 "$results"
  run_iperf 4 "r$round-iperf3-4"; tail -n 1 "$results"
done

python3 - "$results" "$rounds" "$seconds" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(tool, streams, col):
    vals = [float(r[col]) for r in rows if r[0] == tool and r[1] == streams and r[col] != "-"]
    return statistics.median(vals) if vals else float("nan")
print(f"\nmedians of {sys.argv[2]} interleaved rounds of {sys.argv[3]} s on loopback")
print("streams  runner Gbit/s  iperf3 Gbit/s  ratio   runner CPU s/GB (in-run)  iperf3 CPU s/GB")
for s in ("1", "4"):
    r, i = med("runner", s, 2), med("iperf3", s, 2)
    print(f"{s:>7}  {r:13.2f}  {i:13.2f}  {r / i:5.2f}   {med('runner', s, 3):8.3f} ({med('runner', s, 4):.3f})       {med('iperf3', s, 3):8.3f}")
print("reference: C tcp_stream T=1,F=1,B=409600 on this kind of machine: 20.9-21.8 Gbit/s (baselines.md)")
PY
