package dev.neper.fleet.runner.multi;

import dev.neper.fleet.runner.contract.LinkReport;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.NodeReport;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.ReportJson;
import dev.neper.fleet.runner.testing.InNetns;
import dev.neper.fleet.runner.testing.NetnsPair;
import dev.neper.fleet.runner.testing.Ports;
import dev.neper.fleet.runner.testing.RunnerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `neper-runner links` between two hosts joined by two links, each link's traffic on its own veth. */
class LinkSetRunVethTest {
    /** Where a test's runners write their termination summaries; JUnit removes it after each test. */
    @TempDir
    Path summaries;

    private static List<String> linkArgs(NetnsPair hosts, boolean client, int links) {
        List<String> args = new ArrayList<>(List.of("links"));
        for (int i = 1; i <= links; i++) {
            String local = client ? hosts.addressB(i) : hosts.addressA(i);
            String peer = client ? hosts.addressA(i) : hosts.addressB(i);
            args.add("--link=eth" + i + "," + local + "," + peer);
        }
        args.addAll(List.of("-T", "2", "-F", "2", "--num-ports", "2", "-l", "2"));
        args.addAll(client ? List.of("-c", "--connect-retries", "10") : List.of("-s", "60"));
        return args;
    }

    /** Waits until the device has received a few megabytes: the link's flows are running (after their warm-up). */
    private static void awaitTraffic(NetnsPair hosts, String device, long seconds) throws InterruptedException {
        long start = rx(hosts, device);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (rx(hosts, device) - start < 4_000_000) {
            if (System.nanoTime() > end) {
                throw new AssertionError(device + " carried no traffic within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static long rx(NetnsPair hosts, String device) {
        return Long.parseLong(hosts.exec(hosts.namespaceA(), "cat", "/sys/class/net/" + device + "/statistics/rx_bytes").trim());
    }

    @Test
    void eachLinkRunsItsOwnEngineOverItsOwnDevice() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 10, 2)) {
            long rx1 = rx(hosts, "eth1");
            long rx2 = rx(hosts, "eth2");
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            serverArgs.add("-U");
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs);
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                assertEquals(0, client.awaitExit(60), client.stderr());
                assertEquals(0, server.awaitExit(60), server.stderr());
                NodeReport report = ReportJson.fromJson(Files.readString(server.directory().resolve("report.json")),
                        NodeReport.class);
                assertEquals(2, report.links().size());
                // -U on veths (no NUMA-local CPUs): each link's threads on a block of the allowed CPUs of its own
                List<String> cpus = report.links().stream().map(l -> l.placement().cpus()).toList();
                assertTrue(cpus.stream().allMatch(c -> c != null) && !cpus.get(0).equals(cpus.get(1)), cpus.toString());
                for (int i = 0; i < 2; i++) {
                    assertTrue(server.stdout().contains("[eth" + (i + 1) + "] allowed_cores=" + cpus.get(i) + "\n"),
                            "the engine runs on its link's CPUs: " + server.stdout());
                    assertEquals("eth" + (i + 1), report.links().get(i).placement().device());
                }
                ReportJson.fromJson(Files.readString(client.directory().resolve("report.json")), NodeReport.class).links()
                        .forEach(l -> assertNull(l.placement().cpus(), "without -U a veth link runs anywhere"));
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("server")), NodeSummary.class);
                assertTrue(summary.succeeded());
                for (int i = 0; i < 2; i++) {
                    LinkReport link = report.links().get(i);
                    assertEquals("eth" + (i + 1), link.link().device());
                    String expectedLocal = hosts.addressA(i + 1);
                    link.report().flows().forEach(f -> assertTrue(f.localAddress().contains(expectedLocal), f.localAddress()));
                    LinkSummary s = summary.links().get(i);
                    assertEquals(link.report().bytesReceived(), s.bytesReceived());
                    assertTrue(s.throughputGbps() > 0);
                    assertTrue(server.stdout().contains("[eth" + (i + 1) + "] Throughput (Mbit/s): "), server.stdout());
                }
                assertTrue(rx(hosts, "eth1") - rx1 >= report.links().get(0).report().bytesReceived());
                assertTrue(rx(hosts, "eth2") - rx2 >= report.links().get(1).report().bytesReceived());
            }
        }
    }

    @Test
    void aBrokenLinkFailsAloneWithItsReason() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 20, 2)) {
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 1));
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.remove("10");
            clientArgs.add(clientArgs.indexOf("--connect-retries") + 1, "2");
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs)) {
                // the client gives up after two attempts: the working link's server must be listening first
                InNetns.run(hosts.namespaceA(), () -> Ports.awaitListening(
                        java.net.InetAddress.getByName(hosts.addressA(1)), 12866, 30));
                try (RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                    assertEquals(1, client.awaitExit(60), client.stderr());
                    assertEquals(0, server.awaitExit(60), server.stderr());
                    assertTrue(client.stderr().contains("[eth2] CONNECT_FAILED"), client.stderr());
                }
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("client")), NodeSummary.class);
                LinkSummary good = summary.links().get(0);
                LinkSummary bad = summary.links().get(1);
                assertTrue(good.succeeded());
                assertNull(good.error());
                assertEquals(ErrorKind.CONNECT_FAILED, bad.errorKind());
                assertTrue(bad.error().contains(hosts.addressA(2)), bad.error());
            }
        }
    }

    @Test
    void aLinkSetDownMidRunFailsThatLinkOnlyAndSaysSo() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 30, 2)) {
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.set(serverArgs.indexOf("60"), "25");
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.set(clientArgs.indexOf("-l") + 1, "3");
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs);
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                client.awaitStdout("[eth2] allowed_cores=", 20);
                Thread.sleep(1000);
                hosts.exec(hosts.namespaceB(), "ip", "link", "set", "eth2", "down");
                assertEquals(1, client.awaitExit(60), client.stderr());
                assertEquals(1, server.awaitExit(60), server.stderr());
                for (String side : List.of("client", "server")) {
                    NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve(side)), NodeSummary.class);
                    assertTrue(summary.links().get(0).succeeded(), side + " eth1 passes: " + summary);
                    LinkSummary broken = summary.links().get(1);
                    assertEquals(ErrorKind.LINK_DOWN, broken.errorKind(), side + ": " + summary);
                    assertTrue(broken.error().startsWith("eth2 is down (operstate)"), broken.error());
                }
            }
        }
    }

    @Test
    void aServerLinkDownMidRunEndsThatLinkSoonAfterTheTestLengthSayingWhatItCarried() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 40, 2)) {
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.set(serverArgs.indexOf("60"), "300");
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.set(clientArgs.indexOf("-l") + 1, "4");
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs);
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                client.awaitStdout("[eth2] allowed_cores=", 20);
                awaitTraffic(hosts, "eth2", 30);
                hosts.exec(hosts.namespaceA(), "ip", "link", "set", "eth2", "down");
                long down = System.nanoTime();
                // the suicide length is 300 s: each side ends the link on its own, the test length and 15 s on
                assertEquals(1, server.awaitExit(90), server.stderr());
                assertEquals(1, client.awaitExit(90), client.stderr());
                System.out.printf("server link down: the server ended %.1f s after it went down (a 4 s test)%n",
                        (System.nanoTime() - down) / 1e9);
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("server")), NodeSummary.class);
                assertTrue(summary.links().get(0).succeeded(), "eth1 passes: " + summary);
                LinkSummary broken = summary.links().get(1);
                assertEquals(ErrorKind.LINK_DOWN, broken.errorKind(), summary.toString());
                assertTrue(broken.error().matches("eth2 is down \\(operstate\\), after the link carried [0-9.]+ GB"),
                        broken.error());
                assertTrue(broken.bytesReceived() > 0, summary.toString());
                assertTrue(server.stderr().contains("the link stalled: no CLI_DONE"), server.stderr());
            }
        }
    }

    @Test
    void aServerLinkWhoseClientNeverComesEndsOnceTheNodesOtherLinksAreDone() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 50, 2)) {
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.set(serverArgs.indexOf("60"), "300");
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs)) {
                InNetns.run(hosts.namespaceA(), () -> Ports.awaitListening(
                        java.net.InetAddress.getByName(hosts.addressA(2)), 12867, 30));
                // the node's client runs eth1 only: eth2's client never comes
                try (RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), linkArgs(hosts, true, 1))) {
                    assertEquals(0, client.awaitExit(60), client.stderr());
                }
                assertEquals(1, server.awaitExit(60), "the suicide length is 300 s: " + server.stderr());
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("server")), NodeSummary.class);
                assertTrue(summary.links().get(0).succeeded(), summary.toString());
                LinkSummary alone = summary.links().get(1);
                assertEquals(ErrorKind.CONNECT_FAILED, alone.errorKind(), summary.toString());
                assertTrue(alone.error().startsWith("no client came to eth2 within 10 s of eth1's client finishing"),
                        alone.error());
                assertTrue(alone.error().contains(hosts.addressA(2) + ":12867"), alone.error());
            }
        }
    }

    @Test
    void aServerWhoseLastLinkCannotBindIsReadyOnLoopbackAndRunsItsOtherLinks() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 60, 2)) {
            String absent = hosts.addressA(2).replaceAll("\\.[0-9]+$", ".77");
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.set(2, "--link=eth2," + absent + "," + hosts.addressB(2));
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.set(2, "--link=eth2," + hosts.addressB(2) + "," + absent);
            clientArgs.set(clientArgs.indexOf("10"), "2");
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs)) {
                InNetns.run(hosts.namespaceA(), () -> Ports.awaitListening(
                        java.net.InetAddress.getByName("127.0.0.1"), 12867, 30));
                try (RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                    assertEquals(1, client.awaitExit(60), client.stderr());
                }
                assertEquals(1, server.awaitExit(60), server.stderr());
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("server")), NodeSummary.class);
                assertTrue(summary.links().get(0).succeeded(), summary.toString());
                assertTrue(summary.links().get(0).throughputGbps() > 0, summary.toString());
                assertTrue(summary.links().get(1).error().contains(absent), summary.toString());
                NodeSummary client = ReportJson.fromJson(Files.readString(summaries.resolve("client")), NodeSummary.class);
                assertEquals(ErrorKind.CONNECT_FAILED, client.links().get(1).errorKind(), client.toString());
            }
        }
    }

    @Test
    void aLinkWhoseDeviceIsAbsentFailsAtOnceOnEitherSideSayingSo() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 70, 1)) {
            List<String> serverArgs = List.of("links", "--link=eth7," + hosts.addressA() + "," + hosts.addressB(), "-l", "2",
                    "-s", "120", "--termination-summary=" + summaries.resolve("server"));
            List<String> clientArgs = List.of("links", "--link=eth7," + hosts.addressB() + "," + hosts.addressA(), "-l", "2",
                    "-c", "--connect-retries", "30", "--termination-summary=" + summaries.resolve("client"));
            // without the check the server waits for its suicide length and the client retries for 30 s
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs);
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                assertEquals(1, client.awaitExit(25), client.stderr());
                assertEquals(1, server.awaitExit(25), server.stderr());
                for (String side : List.of("server", "client")) {
                    LinkSummary link = ReportJson.fromJson(Files.readString(summaries.resolve(side)), NodeSummary.class)
                            .links().getFirst();
                    assertEquals(ErrorKind.WRONG_DEVICE, link.errorKind(), side + ": " + link);
                    // (a namespace may also hold the tunnel devices of loaded modules, such as tunl0)
                    assertTrue(link.error().startsWith("device eth7 does not exist on this node (its devices: lo, ")
                            && link.error().contains("eth1"), link.error());
                }
                assertTrue(client.stderr().contains("[eth7] WRONG_DEVICE: device eth7 does not exist"), client.stderr());
            }
        }
    }

    @Test
    void swappedRailAddressesFailBothLinksNamingTheDeviceEachAddressIsOn() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 80, 2)) {
            List<String> serverArgs = new ArrayList<>(linkArgs(hosts, false, 2));
            serverArgs.set(1, "--link=eth1," + hosts.addressA(2) + "," + hosts.addressB(2));
            serverArgs.set(2, "--link=eth2," + hosts.addressA(1) + "," + hosts.addressB(1));
            serverArgs.add("--termination-summary=" + summaries.resolve("server"));
            List<String> clientArgs = new ArrayList<>(linkArgs(hosts, true, 2));
            clientArgs.set(1, "--link=eth1," + hosts.addressB(2) + "," + hosts.addressA(2));
            clientArgs.set(2, "--link=eth2," + hosts.addressB(1) + "," + hosts.addressA(1));
            clientArgs.add("--termination-summary=" + summaries.resolve("client"));
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), serverArgs);
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), clientArgs)) {
                assertEquals(1, client.awaitExit(30), client.stderr());
                assertEquals(1, server.awaitExit(30), server.stderr());
                NodeSummary summary = ReportJson.fromJson(Files.readString(summaries.resolve("server")), NodeSummary.class);
                for (int i = 0; i < 2; i++) {
                    int own = i + 1;
                    int other = 2 - i;
                    LinkSummary link = summary.links().get(i);
                    assertEquals(ErrorKind.WRONG_DEVICE, link.errorKind(), summary.toString());
                    assertEquals(hosts.addressA(other) + " is not an address of eth" + own + " (eth" + own + " has "
                            + hosts.addressA(own) + "/24; it is on eth" + other + " (swapped addresses, or a renamed"
                            + " device?))", link.error());
                }
            }
        }
    }

    @Test
    void aLinksFlowsCrossItsOwnDeviceWhenTheRouteWouldTakeAnother() throws Exception {
        try (NetnsPair hosts = NetnsPair.create("links", 90, 2)) {
            for (String ns : List.of(hosts.namespaceA(), hosts.namespaceB())) {
                for (String conf : List.of("all", "default", "eth1", "eth2")) {
                    hosts.exec(ns, "sysctl", "-qw", "net.ipv4.conf." + conf + ".rp_filter=0");
                }
            }
            // on the client's host the route to the server's eth1 address leaves by eth2
            hosts.exec(hosts.namespaceB(), "ip", "route", "add", hosts.addressA(1) + "/32", "dev", "eth2");
            long eth1Before = rx(hosts, "eth1");
            long eth2Before = rx(hosts, "eth2");
            try (RunnerProcess server = RunnerProcess.start(hosts.namespaceA(), linkArgs(hosts, false, 1));
                 RunnerProcess client = RunnerProcess.start(hosts.namespaceB(), linkArgs(hosts, true, 1))) {
                assertEquals(0, client.awaitExit(60), client.stderr());
                assertEquals(0, server.awaitExit(60), server.stderr());
                long received = ReportJson.fromJson(Files.readString(server.directory().resolve("report.json")),
                        NodeReport.class).links().getFirst().report().bytesReceived();
                assertTrue(received > 10_000_000, "received " + received);
                assertTrue(rx(hosts, "eth1") - eth1Before >= received, "the flows came in on eth1");
                long eth2 = rx(hosts, "eth2") - eth2Before;
                assertTrue(eth2 < 1_000_000, "only the control connection's few packets took the route over eth2: " + eth2);
            }
        }
    }

    @Test
    void dryRunPrintsEachLinksSingleLinkCommand() {
        try (RunnerProcess dry = RunnerProcess.start(List.of("links", "--link", "eth1,198.18.0.2,198.18.0.1",
                "--link=eth2,198.18.1.2,198.18.1.1", "-c", "-F", "2", "-T", "2", "--num-ports", "2", "--dry-run"))) {
            assertEquals(0, dry.awaitExit(30), dry.stderr());
            List<String> lines = dry.stdout().lines().toList();
            assertEquals(4, lines.size());
            assertTrue(lines.get(2).startsWith("[eth2] map: device eth2, nic none"), lines.get(2));
            assertTrue(lines.get(3).startsWith("[eth2] neper-runner "), lines.get(3));
            assertTrue(lines.get(3).contains("--host=198.18.1.1") && lines.get(3).contains("--control-port=12867")
                    && lines.get(3).contains("--port=12869") && lines.get(3).contains("--local-hosts=198.18.1.2"), lines.get(3));
        }
    }

    @Test
    void aRefusedCommandLineWritesItsReasonToTheSummary() throws Exception {
        Path summary = summaries.resolve("s");
        try (RunnerProcess bad = RunnerProcess.start(List.of("links", "--termination-summary", summary.toString(), "-F", "1"))) {
            assertEquals(1, bad.awaitExit(30));
            assertTrue(bad.stderr().contains("links needs at least one --link"), bad.stderr());
            NodeSummary s = ReportJson.fromJson(Files.readString(summary), NodeSummary.class);
            assertEquals("links needs at least one --link DEVICE,LOCAL_IP,PEER_IP", s.error());
            assertEquals("SERVER", s.role());
        }
        try (RunnerProcess bad = RunnerProcess.start(List.of("links", "--termination-summary", summary.toString(),
                "-rcT2", "--bogus"))) {
            assertEquals(1, bad.awaitExit(30));
            NodeSummary s = ReportJson.fromJson(Files.readString(summary), NodeSummary.class);
            assertEquals("CLIENT", s.role(), "a bundled -c names the role even when the line is refused");
        }
    }
}
