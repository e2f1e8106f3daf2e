package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator and the runner together for real: a local fleet of 4 nodes with 2 links each (network
 * namespaces), the operator from its jar, runner processes started by the node agent. Each test
 * applies a NeperTest and follows it to its end.
 */
class LocalFleetEndToEndTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Held so the setting stays: the mock API server logs every request at INFO. */
    private static final java.util.logging.Logger API_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8");
    private static LocalFleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        API_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        fleet = LocalFleet.start(4, 2, null, "neper-e2e", LocalFleet.Paths.inCheckout(ROOT));
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            List<String> namespaces = fleet.network().namespaces();
            fleet.close();
            namespaces.forEach(ns -> assertFalse(Files.exists(Path.of("/var/run/netns", ns)), ns + " left behind"));
        }
    }

    /** A NeperTest over links eth1 and eth2 of each (server, client) node pair, in host mode. */
    private static String test(String name, String duration, int[][] pairs) {
        return test(name, duration, "90s", pairs);
    }

    /** @param finish the finish deadline, which is also the runners' suicide length */
    private static String test(String name, String duration, String finish, int[][] pairs) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: neper.dev/v1alpha1
                kind: NeperTest
                metadata: {name: %s}
                spec:
                  mode: host
                  duration: %s
                  flows: 2
                  threads: 2
                  thresholds: {minLinkGbps: 0.1}
                  deadlines: {start: 60s, finish: %s}
                  pairs:
                """.formatted(name, duration, finish));
        for (int[] pair : pairs) {
            int server = pair[0];
            int client = pair[1];
            yaml.append("  - server: {node: local-node-").append(server).append("}\n")
                    .append("    client: {node: local-node-").append(client).append("}\n")
                    .append("    links:\n");
            for (int link = 1; link <= 2; link++) {
                yaml.append("    - {device: eth").append(link).append(", serverIP: ")
                        .append(fleet.layout().address(server, link)).append(", clientIP: ")
                        .append(fleet.layout().address(client, link)).append("}\n");
            }
        }
        return yaml.toString();
    }

    private static String apply(String yaml) {
        return fleet.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> follow(String name) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Object> status = fleet.follow(name, TIMEOUT, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return status;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> links(Map<String, Object> status, int pair) {
        List<Map<String, Object>> pairs = (List<Map<String, Object>>) status.get("pairs");
        return (List<Map<String, Object>>) pairs.get(pair).get("links");
    }

    private static void awaitPhase(String name, String phase) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            GenericKubernetesResource test = fleet.get(name);
            if (test != null && phase.equals(StatusView.status(test).get("phase"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " never reached " + phase);
    }

    @Test
    void twoPairsOfTwoLinksPass() throws Exception {
        Map<String, Object> status = follow(apply(test("two-pairs", "4s", new int[][] {{1, 2}, {3, 4}})));
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status));
        for (int pair = 0; pair < 2; pair++) {
            for (Map<String, Object> link : links(status, pair)) {
                assertEquals("Passed", link.get("verdict"), String.valueOf(link));
                assertTrue(((Number) link.get("gbps")).doubleValue() > 0.1, String.valueOf(link));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) status.get("summary");
        assertEquals("4/4", summary.get("links"));
        assertTrue(fleet.agent().runningPids().isEmpty(), "every runner exited");
    }

    @Test
    void aLinkSetDownMidRunFailsThatLinkWithItsReasonWhileTheOtherPasses() throws Exception {
        // the server's link whose client vanished waits until its suicide length, the finish deadline
        String name = apply(test("link-down", "6s", "30s", new int[][] {{1, 2}}));
        awaitPhase(name, "Running");
        Thread.sleep(1500);
        fleet.network().setLink(2, 2, false);
        try {
            Map<String, Object> status = follow(name);
            assertEquals("Failed", status.get("phase"), String.valueOf(status));
            Map<String, Object> eth1 = links(status, 0).get(0);
            Map<String, Object> eth2 = links(status, 0).get(1);
            assertEquals("Passed", eth1.get("verdict"), String.valueOf(eth1));
            assertEquals("Failed", eth2.get("verdict"), String.valueOf(eth2));
            assertTrue(String.valueOf(eth2.get("error")).contains("eth2 is down"), String.valueOf(eth2));
        } finally {
            fleet.network().setLink(2, 2, true);
        }
    }

    @Test
    void aRunnerKilledMidRunFailsTheTestNamingThePodAndTheReason() throws Exception {
        String name = apply(test("killed", "20s", new int[][] {{3, 4}}));
        awaitPhase(name, "Running");
        Thread.sleep(1500);
        Map.Entry<String, Long> client = fleet.agent().runningPids().entrySet().stream()
                .filter(e -> e.getKey().contains(name) && e.getKey().contains("client")).findFirst().orElseThrow();
        assertTrue(ProcessHandle.of(client.getValue()).orElseThrow().destroyForcibly(), "SIGKILL the client");
        Map<String, Object> status = follow(name);
        assertEquals("Failed", status.get("phase"), String.valueOf(status));
        String message = String.valueOf(status.get("message"));
        String podName = client.getKey().substring(client.getKey().indexOf('/') + 1);
        assertTrue(message.contains(podName) || String.valueOf(status.get("pairs")).contains(podName),
                "names the pod: " + status);
        assertTrue(String.valueOf(status).contains("137") || String.valueOf(status).contains("RunnerFailed"),
                "gives the reason: " + status);
    }

    @Test
    void aNeperTestDeletedMidRunLeavesNoProcessBehind() throws Exception {
        String name = apply(test("deleted", "30s", new int[][] {{1, 2}}));
        awaitPhase(name, "Running");
        assertFalse(fleet.agent().runningPids().isEmpty());
        fleet.delete(name);
        long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!fleet.agent().runningPids().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertTrue(fleet.agent().runningPids().isEmpty(), "runner processes left: " + fleet.agent().runningPids());
        assertNotNull(fleet.client().pods().inNamespace(fleet.namespace()).list());
        assertTrue(fleet.client().pods().inNamespace(fleet.namespace()).withLabel("neper.dev/test", name).list()
                .getItems().isEmpty(), "the test's pods are gone");
    }
}
