package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.control.ControlMessage;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.RunReport;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerPair;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the runner does when the other side is missing, dies, or speaks garbage. */
class StreamRunFaultTest {
    private static List<String> ports(int base, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("-H", "127.0.0.1", "-C", String.valueOf(base), "-P",
                String.valueOf(base + 1)));
        args.addAll(List.of(more));
        return args;
    }

    private static boolean hasError(RunReport report, ErrorKind kind, String text) {
        return report.errors().stream().anyMatch(e -> e.kind() == kind && e.message().contains(text));
    }

    @Test
    void clientWithoutServerRetriesThenFailsClearly() {
        int base = Ports.freeBlock(2);
        try (RunnerProcess client = RunnerProcess.start(ports(base, "-c", "--connect-retries", "2"))) {
            assertEquals(1, client.awaitExit(30));
            assertTrue(client.stderr().contains("CONNECT_FAILED: could not connect to the control port " + base),
                    client.stderr());
            assertTrue(client.stderr().contains("after 2 attempts"), client.stderr());
            assertTrue(client.stderr().contains("ECONNREFUSED"), client.stderr());
            assertTrue(hasError(client.report(), ErrorKind.CONNECT_FAILED, "could not connect"));
        }
    }

    @Test
    void serverEndsWithAClearErrorWhenTheClientIsKilledMidRun() throws Exception {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, ports(base, "-l", "20", "--logtostderr"),
                ports(base, "-l", "20", "--logtostderr"))) {
            pair.server().awaitStderr("CLI_HELLO from", 30);
            awaitTransfer(pair);
            pair.client().process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            assertEquals(1, pair.server().awaitExit(20));
            assertTrue((System.nanoTime() - killed) / 1e9 < 10, "server noticed within seconds, not at its suicide length");
            RunReport server = pair.server().report();
            assertTrue(hasError(server, ErrorKind.PEER_LOST, "while waiting for CLI_DONE"), server.errors().toString());
            assertTrue(server.bytesReceived() > 0, "the bytes received before the client died are reported");
            assertTrue(pair.server().stdout().contains("local_throughput="), "partial results still printed");
        }
    }

    @Test
    void clientEndsEarlyWithAClearErrorWhenTheServerIsKilledMidRun() throws Exception {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, ports(base, "-l", "20"),
                ports(base, "-l", "20", "--logtostderr"))) {
            pair.client().awaitStderr("SER_ACK from", 30);
            awaitTransfer(pair);
            pair.server().process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(1, pair.client().awaitExit(15));
            RunReport client = pair.client().report();
            assertTrue(hasError(client, ErrorKind.DATA_CONNECTION, "every data connection ended"), client.errors().toString());
        }
    }

    @Test
    void sigtermStopsTheServerGracefullyWithPartialResults() throws Exception {
        int base = Ports.freeBlock(2);
        try (RunnerPair pair = RunnerPair.start(null, null, ports(base, "-l", "20", "--logtostderr"),
                ports(base, "-l", "20", "--logtostderr"))) {
            pair.server().awaitStderr("CLI_HELLO from", 30);
            awaitTransfer(pair);
            pair.server().process().destroy();
            assertEquals(1, pair.server().awaitExit(10));
            RunReport server = pair.server().report();
            assertTrue(hasError(server, ErrorKind.TERMINATED, "SIGTERM"), server.errors().toString());
            assertTrue(server.bytesReceived() > 0);
        }
    }

    @Test
    void aSamplesFileThatCannotBeWrittenIsRefusedBeforeTheRunNotAfterIt() {
        int base = Ports.freeBlock(2);
        try (RunnerProcess server = RunnerProcess.start(ports(base, "-A/nonexistent/x.csv", "-s", "60"))) {
            assertEquals(1, server.awaitExit(20), "refused at once, not after waiting for a client");
            assertTrue(server.stderr().contains("neper-runner: -A/--all-samples /nonexistent/x.csv: cannot be written,"
                    + " directory /nonexistent does not exist"), server.stderr());
        }
    }

    @Test
    void suicideLengthBoundsAServerThatNeverGetsAClient() {
        int base = Ports.freeBlock(2);
        try (RunnerProcess server = RunnerProcess.start(ports(base, "-s", "2"))) {
            assertEquals(1, server.awaitExit(15));
            assertTrue(hasError(server.report(), ErrorKind.SUICIDE, "suicide length of 2 s"), server.stderr());
        }
    }

    @Test
    void badPeersAreCountedAndDroppedWhileAValidClientIsServed() throws Exception {
        int base = Ports.freeBlock(2);
        try (RunnerProcess server = RunnerProcess.start(ports(base, "-l", "2", "-s", "60"))) {
            InetAddress lo = InetAddress.getLoopbackAddress();
            Ports.awaitListening(lo, base, 20);
            try (Socket silent = new Socket(lo, base)) {
                byte[] wrongSecret = ControlMessage.hello(42, 1, 1, 2, 0).encode();
                wrongSecret[0] = 'N';
                sendAndClose(lo, base, wrongSecret);
                sendAndClose(lo, base, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] wrongType = ControlMessage.hello(42, 1, 1, 2, 0).encode();
                wrongType[39] = 3; // the right secret on a CLI_DONE
                sendAndClose(lo, base, wrongType);
                new Socket(lo, base).close(); // a probe, like awaitListening's: sends nothing, not counted
                Thread.sleep(6000); // past the hello deadline of the silent peer, still connected
                try (RunnerProcess client = RunnerProcess.start(ports(base, "-c", "-l", "2", "--connect-retries", "5"))) {
                    assertEquals(0, client.awaitExit(30), client.stderr());
                }
                assertEquals(0, server.awaitExit(30), server.stderr());
                assertTrue(silent.isConnected());
            }
            RunReport report = server.report();
            assertEquals(4, report.invalidSecretCount(), server.stderr());
            assertEquals("4", server.keyValues().get("invalid_secret_count"));
            assertTrue(server.stderr().contains("wrong secret"), server.stderr());
            assertTrue(server.stderr().contains("expected CLI_HELLO, got CLI_DONE"), server.stderr());
            assertTrue(server.stderr().contains("within 5000 ms"), server.stderr());
            assertTrue(report.bytesReceived() > 0);
        }
    }

    @Test
    void clientRefusesAServerThatAnswersGarbage() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().readNBytes(ControlMessage.SIZE);
                    byte[] ack = ControlMessage.ack(7, 1, 1, 2).encode(); // wrong magic
                    s.getOutputStream().write(ack);
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client hanging up ends the fake server
                }
            });
            try (RunnerProcess client = RunnerProcess.start(List.of("-c", "-H", "127.0.0.1", "-C",
                    String.valueOf(fake.getLocalPort()), "-l", "2", "--connect-retries", "2"))) {
                assertEquals(1, client.awaitExit(30));
                assertTrue(hasError(client.report(), ErrorKind.CONTROL_PROTOCOL, "expected SER_ACK with magic 42"),
                        client.stderr());
            }
            peer.join(5000);
        }
    }

    @Test
    void clientRefusesAServerThatClosesMidMessage() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Thread.ofVirtual().start(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().readNBytes(ControlMessage.SIZE);
                    s.getOutputStream().write(new byte[10]);
                } catch (IOException ignored) {
                    // closing is the point
                }
            });
            try (RunnerProcess client = RunnerProcess.start(List.of("-c", "-H", "127.0.0.1", "-C",
                    String.valueOf(fake.getLocalPort()), "-l", "2", "--connect-retries", "2"))) {
                assertNotEquals(0, client.awaitExit(30));
                assertTrue(hasError(client.report(), ErrorKind.PEER_LOST, "got 10 of 72 bytes"), client.stderr());
            }
            peer.join(5000);
        }
    }

    private static void sendAndClose(InetAddress host, int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(host, port); OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
            out.write(bytes);
            out.flush();
            s.shutdownOutput();
            assertEquals(-1, in.read(), "the server closes a bad peer without answering");
        }
    }

    /** Lets data flow for a while: a client connects its flows once its data path is warm (up to 3 s loaded). */
    private static void awaitTransfer(RunnerPair pair) throws InterruptedException {
        pair.client().awaitStderr("data path warmed up", 30);
        Thread.sleep(1500);
    }
}
