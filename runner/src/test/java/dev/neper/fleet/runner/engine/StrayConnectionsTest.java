package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections on a server's data ports that no control session announced (port scanners, TCP health
 * checks, stale clients, garbage) neither fail a healthy link nor add to its bytes: they are refused
 * and counted apart, as refused_data_connections.
 */
class StrayConnectionsTest {
    private static final int MIB = 1 << 20;

    private static List<String> ports(int base, String... more) {
        List<String> args = new ArrayList<>(List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P",
                String.valueOf(base + 1)));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aProbeAndGarbageOnTheDataPortBeforeTheTestDoNotFailAHealthyLink() throws Exception {
        int base = Ports.freeBlock(2);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RunnerProcess server = RunnerProcess.start(ports(base, "-l", "2", "-s", "60"))) {
            // the probe: connect and close without a byte
            Ports.awaitListening(lo, base + 1, 30);
            long garbageTaken = sendUntilRefused(null, lo, base + 1, MIB);
            try (RunnerProcess client = RunnerProcess.start(ports(base, "-c", "-l", "2", "--connect-retries", "10"))) {
                assertEquals(0, client.awaitExit(60), client.stderr());
                assertEquals(0, server.awaitExit(60), server.stderr());
                RunReport served = server.report();
                assertEquals(1, served.flows().size(), served.flows().toString());
                assertNull(served.flows().getFirst().error());
                assertEquals(client.report().bytesSent(), served.bytesReceived(),
                        "the garbage (" + garbageTaken + " bytes taken by the kernel) is not counted");
                assertEquals(2, served.refusedDataConnections());
                assertEquals("2", server.keyValues().get("refused_data_connections"));
            }
        }
    }

    @Test
    void aStraySenderDuringTheRunIsRefusedAndTheResultCountsExactlyTheClientsBytes() throws Exception {
        int base = Ports.freeBlock(2);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (RunnerPair pair = RunnerPair.start(null, null, ports(base, "-l", "6", "-F", "2", "--logtostderr"),
                ports(base, "-l", "6", "-F", "2"))) {
            // both announced flows are in: whatever comes now is a stray, from another address or the client's
            awaitCount(pair.server(), "taken as a flow", 2, 60);
            sendUntilRefused(InetAddress.getByName("127.0.0.2"), lo, base + 1, 4 * MIB);
            sendUntilRefused(lo, lo, base + 1, 4 * MIB);
            pair.awaitSuccess(60);
            RunReport server = pair.server().report();
            RunReport client = pair.client().report();
            assertEquals(2, server.flows().size(), server.flows().toString());
            assertEquals(client.bytesSent(), server.bytesReceived(), "exactly the client's bytes");
            assertEquals(2, server.refusedDataConnections());
            assertEquals("2", pair.server().keyValues().get("refused_data_connections"));
            assertTrue(pair.server().stderr().contains("refused a stray data connection from /127.0.0.2:"),
                    pair.server().stderr());
            assertTrue(pair.server().stderr().contains("its peer's control session announced fewer flows"),
                    pair.server().stderr());
        }
    }

    /**
     * Connects (from {@code source} when given) and sends garbage until the server resets the
     * connection or {@code limit} bytes went out; returns how many bytes the kernel took. Bounded: a
     * server that never resets fails the test.
     */
    private static long sendUntilRefused(InetAddress source, InetAddress host, int port, int limit) throws IOException {
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        long sent = 0;
        try (Socket stray = new Socket()) {
            if (source != null) {
                stray.bind(new InetSocketAddress(source, 0));
            }
            try {
                stray.connect(new InetSocketAddress(host, port), 10_000);
                stray.setSoTimeout(20_000);
                OutputStream out = stray.getOutputStream();
                InputStream in = stray.getInputStream();
                while (sent < limit) {
                    out.write(garbage);
                    sent += garbage.length;
                }
                stray.shutdownOutput();
                assertEquals(-1, in.read(), "the server answers a stray with nothing");
            } catch (java.net.ConnectException refused) {
                throw new AssertionError("nothing listens on " + host + ":" + port, refused);
            } catch (java.net.SocketException reset) {
                // refused: reset by the server, possibly before connect() saw the handshake complete
            }
        }
        return sent;
    }

    private static void awaitCount(RunnerProcess process, String text, int count, long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (process.stderr().split(java.util.regex.Pattern.quote(text), -1).length - 1 < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError(count + " x '" + text + "' not seen: " + process.stderr());
            }
            Thread.sleep(50);
        }
    }
}
