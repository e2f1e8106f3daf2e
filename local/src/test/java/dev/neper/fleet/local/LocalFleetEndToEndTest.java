package dev.neper.fleet.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    private static LocalFleet fleet;
    private static FleetRuns runs;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = FleetRuns.start(4, 2, 1, "neper-e2e", LocalFleet.Images.NONE);
        runs = new FleetRuns(fleet);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet);
        }
    }

    /** A NeperTest over links eth1 and eth2 of each (server, client) node pair, in host mode. */
    private static String test(String name, String duration, int[][] pairs) {
        return test(name, duration, "90s", pairs);
    }

    /** @param finish the finish deadline, which is also the runners' suicide length */
    private static String test(String name, String duration, String finish, int[][] pairs) {
        return runs.hostMode(name, duration, finish, null, pairs);
    }

    @Test
    void twoPairsOfTwoLinksPass() throws Exception {
        Map<String, Object> status = runs.follow(runs.apply(test("two-pairs", "4s", new int[][] {{1, 2}, {3, 4}})));
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status));
        for (int pair = 0; pair < 2; pair++) {
            for (Map<String, Object> link : FleetRuns.links(status, pair)) {
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
        long before = fleet.network().carriedBytes(2, 2);
        String name = runs.apply(test("link-down", "6s", "30s", new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");
        try {
            runs.setLinkDownOnceItCarries(2, 2, before);
            Map<String, Object> status = runs.follow(name);
            assertEquals("Failed", status.get("phase"), String.valueOf(status));
            Map<String, Object> eth1 = FleetRuns.links(status, 0).get(0);
            Map<String, Object> eth2 = FleetRuns.links(status, 0).get(1);
            assertEquals("Passed", eth1.get("verdict"), String.valueOf(eth1));
            assertEquals("Failed", eth2.get("verdict"), String.valueOf(eth2));
            assertTrue(String.valueOf(eth2.get("error")).contains("eth2 is down"), String.valueOf(eth2));
        } finally {
            fleet.network().setLink(2, 2, true);
        }
    }

    @Test
    void aRunnerKilledMidRunFailsTheTestNamingThePodAndTheReason() throws Exception {
        String name = runs.apply(test("killed", "20s", new int[][] {{3, 4}}));
        runs.awaitPhase(name, "Running");
        Thread.sleep(1500);
        String podName = runs.killClient(name);
        Map<String, Object> status = runs.follow(name);
        assertEquals("Failed", status.get("phase"), String.valueOf(status));
        String message = String.valueOf(status.get("message"));
        assertTrue(message.contains(podName) || String.valueOf(status.get("pairs")).contains(podName),
                "names the pod: " + status);
        assertTrue(String.valueOf(status).contains("137") || String.valueOf(status).contains("RunnerFailed"),
                "gives the reason: " + status);
        assertTrue(String.valueOf(status).contains(podName + " on node local-node-4 was killed by signal 9 (SIGKILL,"
                + " exit code 137)"), "names the signal, as the kubelet's exit code tells it: " + status);
        assertFalse(String.valueOf(status).contains("CLI_HELLO"), "quotes no unrelated log line: " + status);
    }

    @Test
    void aNeperTestDeletedMidRunLeavesNoProcessBehind() throws Exception {
        String name = runs.apply(test("deleted", "30s", new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");
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
