package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.contract.ZerocopyReport;
import dev.neper.fleet.runner.sys.CpuSet;
import dev.neper.fleet.runner.sys.Errno;
import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.sys.NumaNodes;
import dev.neper.fleet.runner.sys.Sockets;
import dev.neper.fleet.runner.testing.LoopbackNetns;
import dev.neper.fleet.runner.testing.LoopbackTcp;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** neper's stream options, each shown working against the real kernel by a runner pair on loopback. */
class StreamOptionsTest {
    private static final Pattern IOSTAT = Pattern.compile(
            "t=([0-9]+\\.[0-9]{3}) +TX: +([0-9]+) ops, +([0-9]+) bytes, +([0-9]+\\.[0-9]) Mbps; "
                    + "RX: +([0-9]+) ops, +([0-9]+) bytes, +([0-9]+\\.[0-9]) Mbps;");

    private static List<String> args(String host, int base, String... more) {
        List<String> args = new ArrayList<>(List.of("-H", host, "-C", String.valueOf(base), "-P",
                String.valueOf(base + 1)));
        args.addAll(List.of(more));
        return args;
    }

    private static List<String> loopback(int base, String... more) {
        return args("127.0.0.1", base, more);
    }

    /** Every byte the client sent on a flow, the server counted on the same flow. */
    private static void assertClientToServerBytesAgree(RunReport server, RunReport client) {
        Map<String, FlowReport> byPeer = server.flows().stream()
                .collect(Collectors.toMap(FlowReport::remoteAddress, Function.identity()));
        for (FlowReport c : client.flows()) {
            FlowReport s = byPeer.get(c.localAddress());
            assertTrue(s != null, "server has no flow from " + c.localAddress());
            assertEquals(c.bytesSent(), s.bytesReceived(), "client->server bytes of " + c.localAddress());
        }
    }

    /** With MSG_TRUNC the kernel counts the bytes and copies none: a read-only buffer takes them all. */
    @Test
    void skipRxCopyReceivesEveryByteWithoutWritingTheBuffer() throws Exception {
        int size = 65536;
        long readOnly = Libc.mmap(size, 1, 0x22, -1, 0);
        assertTrue(readOnly > 0, "mmap");
        try (LoopbackTcp tcp = LoopbackTcp.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(size);
            assertEquals(size, Libc.send(tcp.client, data, size, Sockets.MSG_NOSIGNAL));
            MemorySegment buffer = MemorySegment.ofAddress(readOnly).reinterpret(size);
            assertEquals(-Errno.EFAULT, new HostFlowIoFactory.CopyReceive(buffer, 0, null).receive(tcp.server),
                    "a copying receive into read-only memory faults");
            long received = 0;
            HostFlowIoFactory.Receive skip = new HostFlowIoFactory.CopyReceive(buffer, Sockets.MSG_TRUNC, null);
            while (received < size) {
                long n = skip.receive(tcp.server);
                assertTrue(n > 0, "MSG_TRUNC receive returned " + n);
                received += n;
            }
            assertEquals(size, received);
        } finally {
            Libc.munmap(readOnly, size);
        }
    }

    @Test
    void skipRxCopyCountsTheSameBytesEndToEnd() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2", "--skip-rx-copy", "-F", "2"),
                loopback(base, "-l", "2", "-F", "2"))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            assertTrue(server.bytesReceived() > 0);
            assertClientToServerBytesAgree(server, pair.client().report());
            assertTrue(server.localThroughputBitsPerSecond() > 0);
        }
    }

    /**
     * -Z: every send goes with MSG_ZEROCOPY, every one completes on the error queue, and over loopback
     * the kernel reports every one copied (it copies zerocopy data it loops back to a socket).
     */
    @Test
    void zerocopySendsAreCountedAndTheCopiedOnesReported() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2", "-B", "65536"),
                loopback(base, "-l", "2", "-B", "65536", "-Z"))) {
            pair.awaitSuccess(60);
            RunReport client = pair.client().report();
            ZerocopyReport zc = client.zerocopy();
            assertTrue(zc.sending() && !zc.receiving(), zc.toString());
            assertTrue(zc.sends() > 100, zc.toString());
            assertEquals(zc.sends(), zc.completedSends(), "every zerocopy send completed: " + zc);
            assertEquals(zc.completedSends(), zc.copiedSends(), "loopback copies every one: " + zc);
            assertClientToServerBytesAgree(pair.server().report(), client);
            Map<String, String> out = pair.client().keyValues();
            assertEquals(String.valueOf(zc.sends()), out.get("zerocopy_sends"));
            assertEquals(String.valueOf(zc.copiedSends()), out.get("zerocopy_copied_sends"));
            List<String> keys = pair.client().keys();
            assertEquals(keys.indexOf("remote_throughput") + 1, keys.indexOf("zerocopy_sends"));
            assertNull(pair.server().report().zerocopy(), "a receiver without -z/-Z has no zerocopy counters");
        }
    }

    /**
     * -z maps received pages. Over a loopback of MTU 61512 (IPv6 MSS 61440, fifteen pages) from a
     * MSG_ZEROCOPY sender, the kernel hands the receiver whole page-aligned pages, which it maps;
     * --tcpd-validate on both sides proves the mapped, copied and read bytes are the stream, in order.
     */
    @Test
    void rxZerocopyMapsPagesAndReadsTheStreamInOrder() {
        int base = Ports.freeBlock(2);
        try (LoopbackNetns ns = LoopbackNetns.create("rxzc", 61512);
             RunnerPair pair = RunnerPair.start(ns.name(), ns.name(),
                     args("::1", base, "-6", "-l", "2", "-B", "409600", "-z", "--tcpd-validate", "--logtostderr"),
                     args("::1", base, "-6", "-l", "2", "-B", "409600", "-Z", "--tcpd-validate", "--logtostderr"))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            ZerocopyReport zc = server.zerocopy();
            assertTrue(zc.receiving(), zc.toString());
            assertEquals(server.bytesReceived(), zc.bytesReceived());
            assertTrue(zc.bytesMapped() > 0 && zc.percentMapped() >= 50, "mapped: " + zc);
            assertEquals(0, server.validation().mismatches(), server.validation().toString());
            assertEquals(server.bytesReceived(), server.validation().validatedBytes());
            assertClientToServerBytesAgree(server, pair.client().report());
            Map<String, String> out = pair.server().keyValues();
            assertEquals(String.valueOf(zc.bytesMapped()), out.get("bytes_mmaped"));
            assertEquals(String.valueOf(zc.percentMapped()), out.get("percent_mmaped"));
            List<String> keys = pair.server().keys();
            assertEquals(keys.indexOf("throughput_units") + 1, keys.indexOf("bytes_mmaped"));
            assertEquals(keys.indexOf("percent_mmaped") + 1, keys.indexOf("local_throughput"));
            for (RunnerProcess side : List.of(pair.server(), pair.client())) {
                assertTrue(side.stderr().contains("data path warmed up over loopback TCP pairs"),
                        "-z and -Z exist only on TCP, so their warm-up runs over it: " + side.stderr());
            }
        }
    }

    /**
     * -E with 64 flows on 2 threads both ways and a small buffer, so flows outlast the edge budget: no
     * flow may stall. Each flow's last sample is timed at its last received byte, so a flow that lost
     * its wake-up would end early.
     */
    @Test
    void edgeTriggeredFlowsLoseNoWakeUp() throws Exception {
        int base = Ports.freeBlock(2);
        Path csv = Files.createTempFile("edge", ".csv");
        try (RunnerPair pair = RunnerPair.start(null, null,
                loopback(base, "-l", "3", "-E", "-rw", "-T", "2", "-F", "64", "-B", "4096", "-A" + csv),
                loopback(base, "-l", "3", "-E", "-rw", "-T", "2", "-F", "64", "-B", "4096"))) {
            pair.awaitSuccess(90);
            RunReport server = pair.server().report();
            RunReport client = pair.client().report();
            assertEquals(64, server.flows().size());
            assertClientToServerBytesAgree(server, client);
            for (FlowReport f : client.flows()) {
                assertTrue(f.bytesSent() > 0 && f.bytesReceived() > 0, "client flow moved nothing: " + f);
            }
            Map<String, Double> lastSample = new HashMap<>();
            for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
                String[] cells = row.split(",");
                lastSample.merge(cells[0] + "/" + cells[1], Double.parseDouble(cells[2]), Math::max);
            }
            assertEquals(64, lastSample.size());
            double end = lastSample.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            lastSample.forEach((flow, last) -> assertTrue(last > end - 1.0,
                    "flow " + flow + " received its last byte at " + last + ", the run's last at " + end));
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** --split-bidir: twice the flows; the client sends on its odd flows and reads on its even ones. */
    @Test
    void splitBidirCarriesEachDirectionOnItsOwnSockets() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2", "--split-bidir", "-F", "2"),
                loopback(base, "-l", "2", "--split-bidir", "-F", "2"))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            RunReport client = pair.client().report();
            assertEquals(4, client.flows().size());
            assertEquals(4, server.flows().size());
            assertEquals("4", pair.client().keyValues().get("num_flows"));
            for (FlowReport f : client.flows()) {
                boolean sends = (f.flow() & 1) == 1;
                assertEquals(sends, f.bytesSent() > 0, f.toString());
                assertEquals(!sends, f.bytesReceived() > 0, f.toString());
            }
            assertClientToServerBytesAgree(server, client);
            assertTrue(server.localThroughputBitsPerSecond() > 0 && client.localThroughputBitsPerSecond() > 0);
        }
    }

    /**
     * -D 5ms with 16 KiB sends: at most one buffer per 5 ms, 26.2 Mbit/s, in the throughput, and in
     * the samples: at every sample the bytes since the first stay under the line the delay draws
     * (plus a few buffers for what TCP delivers in one burst).
     */
    @Test
    void delayPacesEverySend() throws Exception {
        int base = Ports.freeBlock(2);
        Path csv = Files.createTempFile("delay", ".csv");
        double bytesPerSecond = 16384 / 0.005;
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "3", "-I", "0.5", "-A" + csv),
                loopback(base, "-l", "3", "-D", "5ms"))) {
            pair.awaitSuccess(60);
            double throughput = pair.server().report().localThroughputBitsPerSecond();
            assertTrue(throughput > 0 && throughput <= 8 * bytesPerSecond * 1.05, "throughput " + throughput + " bit/s");
            List<String> rows = Files.readAllLines(csv);
            assertTrue(rows.size() >= 6, rows.size() + " samples");
            String[] first = rows.get(1).split(",");
            for (String row : rows.subList(2, rows.size())) {
                String[] cells = row.split(",");
                double seconds = Double.parseDouble(cells[2]) - Double.parseDouble(first[2]);
                long bytes = Long.parseLong(cells[3]) - Long.parseLong(first[3]);
                assertTrue(bytes <= bytesPerSecond * seconds + 4 * 16384, "sample " + row + ": " + bytes
                        + " bytes in " + seconds + " s");
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** --wait-start 3: the first data byte comes at least 3 s after the client started, and it ends 3 s later. */
    @Test
    void waitStartHoldsTheFlowsBack() {
        int base = Ports.freeBlock(2);
        long before = System.nanoTime();
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2"),
                loopback(base, "-l", "2", "--wait-start", "3"))) {
            pair.awaitSuccess(60);
            long firstByte = pair.server().report().timeStartNanos();
            assertTrue(firstByte - before >= 3_000_000_000L, "first byte " + (firstByte - before) / 1e9 + " s in");
            assertTrue(System.nanoTime() - before >= 5_000_000_000L, "the run took less than wait + length");
        }
    }

    /** --iostat-ms 250: a line per quarter second in neper's format, their TX bytes what the client sent. */
    @Test
    void iostatPrintsEachPeriodsCounters() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2"),
                loopback(base, "-l", "2", "--iostat-ms", "250"))) {
            pair.awaitSuccess(60);
            List<String> lines = pair.client().stdout().lines().filter(l -> l.startsWith("t=")).toList();
            assertTrue(lines.size() >= 7 && lines.size() <= 10, lines.size() + " lines: " + lines);
            long txBytes = 0;
            double previous = 0;
            for (String line : lines) {
                Matcher m = IOSTAT.matcher(line);
                assertTrue(m.matches(), line);
                double t = Double.parseDouble(m.group(1));
                assertTrue(t > previous, line);
                previous = t;
                txBytes += Long.parseLong(m.group(3));
                assertEquals("0", m.group(6), "a pure sender receives nothing: " + line);
            }
            long sent = pair.client().report().bytesSent();
            assertTrue(txBytes > 0 && txBytes <= sent, txBytes + " of " + sent);
            assertTrue(pair.server().stdout().lines().noneMatch(l -> l.startsWith("t=")), "only a client prints them");
        }
    }

    /** --maxevents 1, --nonblocking, --async-connect and -X together: 16 flows on 2 threads still run and agree. */
    @Test
    void smallEventBatchesAsyncConnectsAndFastOpenRun() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null,
                loopback(base, "-l", "2", "-T", "2", "--maxevents", "1", "--nonblocking"),
                loopback(base, "-l", "2", "-T", "2", "-F", "16", "--maxevents", "1", "--async-connect", "-X"))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            assertEquals(16, server.flows().size());
            assertClientToServerBytesAgree(server, pair.client().report());
            server.flows().forEach(f -> assertTrue(f.bytesReceived() > 0, f.toString()));
        }
    }

    /**
     * -U and -N, read back from the kernel (each worker thread's Cpus_allowed_list): -U puts worker i
     * on the i-th allowed CPU, -N on the allowed CPUs of NUMA node i mod the node count.
     */
    @Test
    void pinnedWorkersRunWhereTheyArePlaced() throws Exception {
        List<Integer> allowed = CpuSet.allowed();
        List<List<Integer>> nodes = NumaNodes.cpusByNode(allowed);
        for (String flag : List.of("-U", "-N")) {
            try (RunnerProcess server = RunnerProcess.start(loopback(Ports.freeBlock(2), "-T", "2", flag, "-s", "30"))) {
                for (int worker = 0; worker < 2; worker++) {
                    List<Integer> expected = flag.equals("-U") ? List.of(allowed.get(worker % allowed.size()))
                            : nodes.get(worker % nodes.size()).stream().filter(allowed::contains).toList();
                    assertEquals(CpuSet.format(expected), awaitAffinity(server.process().pid(), "main-worker-" + worker),
                            flag + " worker " + worker);
                }
            }
        }
    }

    /**
     * A -N server's reuseport groups choose listeners with its eBPF program (loaded and attached, or the
     * run fails): 16 flows still reach both threads, each listener a thread of the SYN's node.
     */
    @Test
    void pinNumaServerSteersFlowsToItsThreads() {
        int base = Ports.freeBlock(3);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2", "-T", "2", "-N", "--num-ports", "2"),
                loopback(base, "-l", "2", "-T", "2", "-F", "16", "--num-ports", "2"))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            assertEquals(16, server.flows().size());
            assertEquals(2, server.flows().stream().map(FlowReport::thread).distinct().count(), server.flows().toString());
            assertClientToServerBytesAgree(server, pair.client().report());
        }
    }

    /** The Cpus_allowed_list of the process's thread named {@code name}, read once it has had time to pin itself. */
    private static String awaitAffinity(long pid, String name) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            Path task = thread(pid, name);
            if (task != null) {
                Thread.sleep(500);
                return Files.readAllLines(task.resolve("status")).stream()
                        .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                        .substring("Cpus_allowed_list:".length()).trim();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no thread " + name + " in process " + pid);
    }

    private static Path thread(long pid, String name) throws java.io.IOException {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(name)) {
                        return task;
                    }
                } catch (java.io.IOException threadGone) {
                    // it ended while we listed the threads
                }
            }
        }
        return null;
    }

    /** -S: system time from /proc/stat, within what two CPUs can spend over the run. */
    @Test
    void stimeUseProcReportsTheMachinesSystemTime() {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, loopback(base, "-l", "2", "-S"),
                loopback(base, "-l", "2"))) {
            pair.awaitSuccess(60);
            Map<String, String> out = pair.server().keyValues();
            double stime = Double.parseDouble(out.get("stime_end")) - Double.parseDouble(out.get("stime_start"));
            int cpus = Runtime.getRuntime().availableProcessors();
            assertTrue(stime > 0 && stime <= cpus * 4.0, "system time " + stime + " s");
        }
    }
}
