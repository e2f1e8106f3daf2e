"""The body of bench/vs-neper.sh: neper-runner against the C tcp_stream, interleaved (see the .sh)."""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

RUNNER, NEPER = sys.argv[1], sys.argv[2]
ARGS = sys.argv[3:]
ROUNDS = int(ARGS[0]) if len(ARGS) > 0 else 6
SECONDS = int(ARGS[1]) if len(ARGS) > 1 else 8
LOOPBACK_SHAPES = {
    "t1f1-400k": "-T 1 -F 1 -B 409600",
    "t1f1-16k": "-T 1 -F 1",
    "t2f8-400k": "-T 2 -F 8 -B 409600",
    "skip-rx-copy": "-T 1 -F 1 -B 409600 --skip-rx-copy",
    "zerocopy": "-T 1 -F 1 -B 409600 --zerocopy",
    "rx-zerocopy": "-T 1 -F 1 -B 409600 --rx-zerocopy",
}
LINKS = 4
LINK_FLOWS = 4
SHAPES = ARGS[2:] or list(LOOPBACK_SHAPES) + ["links4"]
# BENCH_PIN=SERVER_CPUS:CLIENT_CPUS (taskset lists, e.g. 0:1) pins every server and every client of both
# tools, as multi_neper.py pins each link's tcp_stream.
PIN_SPEC = os.environ.get("BENCH_PIN", "")
if PIN_SPEC and (PIN_SPEC.count(":") != 1 or "" in PIN_SPEC.split(":")):
    sys.exit(f"BENCH_PIN={PIN_SPEC}: expected SERVER_CPUS:CLIENT_CPUS, taskset CPU lists such as 0:1")
PIN = dict(zip(("server", "client"), PIN_SPEC.split(":"))) if PIN_SPEC else {}
TAG = f"nfb{os.getpid()}"
NS_LO, NS_A, NS_B = TAG + "-lo", TAG + "-a", TAG + "-b"


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True).stdout


def uptime():
    return sh("uptime").strip()


def link_address(side, i):
    return f"198.18.{100 + i}.{1 if side == 'a' else 2}"


def setup_namespaces():
    sh("ip", "netns", "add", NS_LO)
    sh("ip", "-n", NS_LO, "link", "set", "lo", "up")
    if "links4" in SHAPES:
        for ns in (NS_A, NS_B):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        for i in range(LINKS):
            dev = f"eth{i + 1}"
            sh("ip", "-n", NS_A, "link", "add", dev, "type", "veth", "peer", "name", dev, "netns", NS_B)
            for ns, side in ((NS_A, "a"), (NS_B, "b")):
                sh("ip", "-n", ns, "addr", "add", link_address(side, i) + "/24", "dev", dev)
                sh("ip", "-n", ns, "link", "set", dev, "up")


def teardown_namespaces():
    for ns in (NS_LO, NS_A, NS_B):
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
        if pids:
            subprocess.run(["kill", "-KILL"] + pids, capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def in_ns(ns, cmd):
    return ["ip", "netns", "exec", ns] + cmd


def await_listening(ns, port, limit=20.0):
    end = time.time() + limit
    while time.time() < end:
        if sh(*in_ns(ns, ["ss", "-Hltn", f"sport = :{port}"]), check=False).strip():
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} in {ns}")


def start(ns, role, cmd, out_path):
    out = open(out_path, "w")
    pinned = ["taskset", "-c", PIN[role]] + cmd if role in PIN else cmd
    return subprocess.Popen(in_ns(ns, pinned), stdout=out, stderr=subprocess.STDOUT, cwd=os.path.dirname(out_path))


def finish(procs, what):
    for p in procs:
        try:
            code = p.wait(timeout=SECONDS + 60)
        except subprocess.TimeoutExpired:
            p.kill()
            raise RuntimeError(f"{what}: a process did not end")
        if code != 0:
            raise RuntimeError(f"{what}: exit code {code}")


def keys(path):
    """key=value lines, grouped by the '[device] ' prefix of a links run ('' otherwise)."""
    groups = {}
    for line in open(path):
        line = line.strip()
        prefix = ""
        if line.startswith("["):
            prefix, _, line = line.partition("] ")
            prefix = prefix[1:]
        if "=" in line:
            k, _, v = line.partition("=")
            groups.setdefault(prefix, {})[k] = v
    return groups


def cpu_window(kv, kinds=("utime", "stime")):
    return (sum(float(kv[k + "_start"]) for k in kinds), sum(float(kv[k + "_end"]) for k in kinds))


def received(kv):
    seconds = float(kv["time_end"]) - float(kv["time_start"])
    return int(kv["local_throughput"]) / 8 * seconds, float(kv["throughput"])


def measure(groups_per_process, receivers):
    """Mbit/s received, and CPU and user-mode CPU seconds per GB received (per process: its latest end
    minus its earliest start)."""
    def spent(groups, kinds):
        windows = [cpu_window(kv, kinds) for kv in groups.values()]
        return max(w[1] for w in windows) - min(w[0] for w in windows)

    cpu = sum(spent(groups, ("utime", "stime")) for groups in groups_per_process)
    user = sum(spent(groups, ("utime",)) for groups in groups_per_process)
    total_bytes = 0.0
    mbits = 0.0
    for kv in receivers:
        b, m = received(kv)
        total_bytes += b
        mbits += m
    return mbits, cpu / (total_bytes / 1e9), user / (total_bytes / 1e9)


def loopback_run(tool, shape, work, port):
    flags = LOOPBACK_SHAPES[shape].split()
    binary = NEPER if tool == "C" else RUNNER
    common = [binary, "--nolog", "-H", "127.0.0.1", "-C", str(port), "-P", str(port + 1), "-l", str(SECONDS)] + flags
    server = start(NS_LO, "server", common + ["-s", str(SECONDS + 60)], f"{work}/server.out")
    try:
        await_listening(NS_LO, port)
        client = start(NS_LO, "client", common + ["-c"], f"{work}/client.out")
        finish([client, server], f"{tool} {shape}")
    finally:
        server.kill() if server.poll() is None else None
    s, c = keys(f"{work}/server.out"), keys(f"{work}/client.out")
    return measure([s, c], [s[""]])


def links_run(tool, work):
    base = ["-T", str(LINK_FLOWS), "-F", str(LINK_FLOWS), "--num-ports", str(LINK_FLOWS), "-B", "491520",
            "-l", str(SECONDS), "--nolog"]
    procs = []
    try:
        if tool == "runner":
            links_a = [f"--link=eth{i + 1},{link_address('a', i)},{link_address('b', i)}" for i in range(LINKS)]
            links_b = [f"--link=eth{i + 1},{link_address('b', i)},{link_address('a', i)}" for i in range(LINKS)]
            server = start(NS_A, "server", [RUNNER, "links"] + links_a + base + ["-C", "12866", "-P", "12345", "-s",
                                                                    str(SECONDS + 60)], f"{work}/server.out")
            procs.append(server)
            await_listening(NS_A, 12866 + LINKS - 1)
            procs.append(start(NS_B, "client", [RUNNER, "links"] + links_b + base + ["-c", "-C", "12866", "-P", "12345",
                                                                        "--source-port", "12345"],
                               f"{work}/client.out"))
            finish(procs[::-1], "runner links4")
            s, c = keys(f"{work}/server.out"), keys(f"{work}/client.out")
            return measure([s, c], list(s.values()))
        servers = []
        for i in range(LINKS):
            ports = ["--control-port", str(12866 + i), "--port", str(12345 + i * LINK_FLOWS)]
            servers.append(start(NS_A, "server", [NEPER] + base + ports + ["-H", link_address("a", i), "-s",
                                                                  str(SECONDS + 60)], f"{work}/server{i}.out"))
        procs.extend(servers)
        for i in range(LINKS):
            await_listening(NS_A, 12866 + i)
        for i in range(LINKS):
            ports = ["--control-port", str(12866 + i), "--port", str(12345 + i * LINK_FLOWS),
                     "--source-port", str(12345 + i * LINK_FLOWS)]
            procs.append(start(NS_B, "client", [NEPER] + base + ports + ["-c", "-H", link_address("a", i)],
                               f"{work}/client{i}.out"))
        finish(procs[::-1], "C links4")
        outputs = [keys(f"{work}/{side}{i}.out") for side in ("server", "client") for i in range(LINKS)]
        return measure(outputs, [keys(f"{work}/server{i}.out")[""] for i in range(LINKS)])
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def accepts(shape):
    if shape == "links4":
        return True
    r = subprocess.run([NEPER, "-n", "--nolog"] + LOOPBACK_SHAPES[shape].split(), capture_output=True, cwd="/tmp")
    return r.returncode == 0


def main():
    # SIGTERM (kill, timeout) ends the bench through its finally, which removes its namespaces and servers
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    shapes = []
    for shape in SHAPES:
        if shape not in LOOPBACK_SHAPES and shape != "links4":
            sys.exit(f"unknown shape {shape}; known: {' '.join(list(LOOPBACK_SHAPES) + ['links4'])}")
        if accepts(shape):
            shapes.append(shape)
        else:
            print(f"# {shape}: {NEPER} refuses '{LOOPBACK_SHAPES[shape]}', skipped")
    print(f"# C: {NEPER}; runner: {RUNNER}; {ROUNDS} rounds of {SECONDS} s"
          + (f"; servers on CPUs {PIN['server']}, clients on {PIN['client']}" if PIN else ""))
    print(f"# before: {uptime()}")
    results = {(s, t): [] for s in shapes for t in ("C", "runner")}
    setup_namespaces()
    port = 20000 + os.getpid() % 20000
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(ROUNDS):
                for shape in shapes:
                    order = ("C", "runner") if r % 2 == 0 else ("runner", "C")
                    for tool in order:
                        work = f"{tmp}/{r}-{shape}-{tool}"
                        os.mkdir(work)
                        port = 20000 + (port + 7 - 20000) % 40000
                        if shape == "links4":
                            mbits, cpu, user = links_run(tool, work)
                        else:
                            mbits, cpu, user = loopback_run(tool, shape, work, port)
                        results[(shape, tool)].append((mbits, cpu, user))
                        print(f"round {r + 1} {shape:13} {tool:6} {mbits:10.1f} Mbit/s {cpu:7.3f} CPU s/GB"
                              f" {user * 1000:6.1f} user ms/GB", flush=True)
                print(f"# after round {r + 1}: {uptime()}", flush=True)
    finally:
        teardown_namespaces()
    print()
    print(f"medians of {ROUNDS} interleaved rounds of {SECONDS} s")
    print(f"{'shape':13} {'C Mbit/s':>10} {'runner':>10} {'ratio':>6}   {'C CPU s/GB':>10} {'runner':>8} {'ratio':>6}"
          f"   {'C user ms/GB':>12} {'runner':>7} {'ratio':>6}   {'per-round ratios (min-max)':>27}")
    for shape in shapes:
        c = results[(shape, "C")]
        j = results[(shape, "runner")]
        cm, jm = statistics.median(x[0] for x in c), statistics.median(x[0] for x in j)
        cc, jc = statistics.median(x[1] for x in c), statistics.median(x[1] for x in j)
        cu, ju = statistics.median(x[2] for x in c) * 1000, statistics.median(x[2] for x in j) * 1000
        paired_mbits = [b[0] / a[0] for a, b in zip(c, j)]
        paired_cpu = [b[1] / a[1] for a, b in zip(c, j)]
        print(f"{shape:13} {cm:10.1f} {jm:10.1f} {jm / cm:6.3f}   {cc:10.3f} {jc:8.3f} {jc / cc:6.3f}"
              f"   {cu:12.1f} {ju:7.1f} {ju / cu:6.3f}   {min(paired_mbits):.2f}-{max(paired_mbits):.2f} {min(paired_cpu):.2f}-{max(paired_cpu):.2f}")
    print(f"# end: {uptime()}")


if __name__ == "__main__":
    main()
