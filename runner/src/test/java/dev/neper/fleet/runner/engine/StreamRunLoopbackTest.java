package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.OptionSpec;
import dev.neper.fleet.runner.contract.FlowReport;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerPair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runner server and client on loopback, in every direction, checked against each other and neper's output. */
class StreamRunLoopbackTest {
    /**
     * What a connection can hold unread when its reader stops first: the largest TCP receive buffer
     * plus the largest send buffer this kernel allows (tcp_rmem[2] + tcp_wmem[2]), with a quarter to
     * spare for the kernel's accounting.
     */
    private static long unreadBoundPerFlow() throws java.io.IOException {
        return (maxBuffer("tcp_rmem") + maxBuffer("tcp_wmem")) * 5 / 4;
    }

    private static long maxBuffer(String sysctl) throws java.io.IOException {
        String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/" + sysctl)).getFirst();
        String[] fields = line.trim().split("\\s+");
        return Long.parseLong(fields[2]);
    }

    @ParameterizedTest(name = "T={0} F={1} direction={2}")
    @CsvSource({"1,1,w", "1,1,rw", "1,1,M", "2,8,w", "2,8,rw", "2,8,M"})
    void bothSidesAgree(int threads, int flows, String direction) throws java.io.IOException {
        long unreadBound = unreadBoundPerFlow();
        int base = Ports.freeBlock(3);
        List<String> common = List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P", String.valueOf(base + 1),
                "--num-ports", "2", "-T", String.valueOf(threads), "-F", String.valueOf(flows), "-l", "2");
        List<String> flags = switch (direction) {
            case "rw" -> List.of("-r", "-w");
            case "M" -> List.of("-M");
            default -> List.of();
        };
        try (RunnerPair pair = RunnerPair.start(null, null, concat(common, flags), concat(common, flags))) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            RunReport client = pair.client().report();
            assertEquals(flows, server.flows().size());
            assertEquals(flows, client.flows().size());
            server.flows().forEach(f -> assertNull(f.error()));
            client.flows().forEach(f -> assertNull(f.error()));

            Map<String, FlowReport> serverByPeer = server.flows().stream()
                    .collect(Collectors.toMap(FlowReport::remoteAddress, Function.identity()));
            for (FlowReport c : client.flows()) {
                FlowReport s = serverByPeer.get(c.localAddress());
                assertTrue(s != null, "server has no flow from " + c.localAddress());
                // client to server: everything the client sent, the server drained and counted
                assertEquals(c.bytesSent(), s.bytesReceived(), "client->server bytes of " + c.localAddress());
                // server to client: the client stops reading at its timer while the server still sends
                assertTrue(c.bytesReceived() <= s.bytesSent());
                assertTrue(s.bytesSent() - c.bytesReceived() <= unreadBound,
                        "unread server->client bytes exceed what socket buffers hold");
            }
            boolean clientSends = !direction.equals("M");
            boolean serverSends = !direction.equals("w");
            assertEquals(clientSends, client.bytesSent() > 0);
            assertEquals(clientSends, server.bytesReceived() > 0);
            assertEquals(serverSends, client.bytesReceived() > 0);

            RunReport receiver = clientSends ? server : client;
            RunReport sender = clientSends ? client : server;
            assertTrue(receiver.localThroughputBitsPerSecond() > 0);
            assertEquals(receiver.localThroughputBitsPerSecond(), sender.remoteThroughputBitsPerSecond());
            assertTrue(receiver.receiver().numSamples() >= 2 * flows);

            List<String> serverKeys = expectedKeys(server.options().enableRead());
            serverKeys.add("refused_data_connections");
            assertEquals(serverKeys, pair.server().keys());
            assertEquals(expectedKeys(client.options().enableRead()), pair.client().keys());
            assertEquals(0, server.refusedDataConnections());
            Map<String, String> out = pair.server().keyValues();
            assertEquals("Mbit/s", clientSends ? out.get("throughput_units") : "Mbit/s");
            assertEquals(String.valueOf(server.localThroughputBitsPerSecond()), out.get("local_throughput"));
        }
    }

    /**
     * neper's largest buffers: -B 2000000000 on two threads. Each receiving thread's buffer is mapped, not
     * written before its first flow (zeroing 2 GB per thread on a busy machine once stalled a flow past the
     * server's deadline), and a side that only reads fills no send buffer: the server's resident set stays
     * a small part of one buffer. The client's send buffers are a span mapped over and over: filled by
     * copying, their first touch outlasted the server's stall deadline on a loaded machine.
     */
    @org.junit.jupiter.api.Test
    void twoGigabyteBuffersOnTwoThreadsServeEveryFlowFromTheStart() throws java.io.IOException {
        int base = Ports.freeBlock(2);
        List<String> common = List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P", String.valueOf(base + 1),
                "-T", "2", "-F", "2", "-B", "2000000000", "-l", "3");
        try (RunnerPair pair = RunnerPair.start(null, null, common, common)) {
            pair.awaitSuccess(90);
            RunReport server = pair.server().report();
            assertEquals(2, server.flows().size());
            server.flows().forEach(f -> assertTrue(f.error() == null && f.bytesReceived() > 0, f.toString()));
            long maxRssKib = Long.parseLong(pair.server().keyValues().get("maxrss_end"));
            assertTrue(maxRssKib < 1_000_000, "the server's resident set reached " + maxRssKib + " KiB");
        }
    }

    /**
     * neper's barrier: a client's threads serve their flows only once every thread is set up, and the
     * process warms its data path before that. So the server's measured window, from its first data
     * event to the end, is the test length; it was the length plus most of a warm-up (0.5-3 s) while
     * one thread's flows already moved and the other thread still warmed up, all in the window's CPU.
     */
    @org.junit.jupiter.api.Test
    void aClientsThreadsServeTheirFlowsTogetherSoTheMeasuredWindowIsTheTestLength() throws java.io.IOException {
        int base = Ports.freeBlock(2);
        List<String> common = List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P", String.valueOf(base + 1),
                "-T", "2", "-F", "4", "-l", "2");
        try (RunnerPair pair = RunnerPair.start(null, null, common, common)) {
            pair.awaitSuccess(60);
            var keys = pair.server().keyValues();
            double window = Double.parseDouble(keys.get("time_end")) - Double.parseDouble(keys.get("time_start"));
            assertTrue(window > 1.9 && window < 2.3, "the server measured " + window + " s of a 2 s run");
            pair.server().report().flows().forEach(f -> assertTrue(f.bytesReceived() > 0, f.toString()));
        }
    }

    @org.junit.jupiter.api.Test
    void ipv6WithAllSamplesCsv() throws Exception {
        int base = Ports.freeBlock(3);
        List<String> common = List.of("-6", "-H", "::1", "-C", String.valueOf(base), "-P", String.valueOf(base + 1),
                "-F", "2", "-l", "2");
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("samples", ".csv");
        try (RunnerPair pair = RunnerPair.start(null, null, concat(common, List.of("-A" + csv)), common)) {
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            assertTrue(server.flows().getFirst().localAddress().contains("0:0:0:0:0:0:0:1"), server.flows().toString());
            assertEquals(pair.client().report().bytesSent(), server.bytesReceived());
            List<String> rows = java.nio.file.Files.readAllLines(csv);
            assertEquals("tid,flow_id,time,bytes_read,bytes_read/s,utime,stime,maxrss,minflt,majflt,nvcsw,nivcsw",
                    rows.getFirst());
            assertEquals(server.receiver().numSamples(), rows.size() - 1, "one row per sample");
            assertEquals(12, rows.get(1).split(",").length);
        } finally {
            java.nio.file.Files.deleteIfExists(csv);
        }
    }

    /** The keys neper prints, in order (neper-tcp-stream.md, "Output"). */
    static List<String> expectedKeys(boolean receives) {
        List<String> keys = new ArrayList<>(List.of("VERSION"));
        List<OptionSpec> options = Arrays.asList(OptionSpec.values());
        for (int i = options.size() - 1; i >= 0; i--) {
            keys.add(options.get(i).variableName());
        }
        keys.addAll(List.of("total_run_time", "allowed_core_num", "allowed_cores", "invalid_secret_count",
                "time_start", "utime_start", "utime_end", "stime_start", "stime_end", "maxrss_start", "maxrss_end",
                "minflt_start", "minflt_end", "majflt_start", "majflt_end", "nvcsw_start", "nvcsw_end",
                "nivcsw_start", "nivcsw_end"));
        if (receives) {
            keys.addAll(List.of("num_samples", "time_end", "correlation_coefficient", "throughput", "throughput_units"));
        }
        keys.addAll(List.of("local_throughput", "remote_throughput"));
        return keys;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
