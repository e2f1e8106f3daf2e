package dev.neper.fleet.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One failed side of a link must not stall the test: a server's link that goes down mid-run, and a
 * server link whose address is not on the node (it cannot bind it), end that link soon after the
 * test's duration, and the pair with it, while the healthy link keeps its result. The finish
 * deadline is 10 minutes, and with it the server runner's suicide length: the pair must not wait
 * for either.
 */
class FailedSideEndToEndTest {
    /** The duration, then the runner's 15 s for a stalled link's report, with room for a loaded machine. */
    private static final long END_WITHIN_SECONDS = 6 + 45;
    private static LocalFleet fleet;
    private static FleetRuns runs;
    private static boolean passed = true;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = FleetRuns.start(2, 2, 1, "neper-e2e-failed-side", LocalFleet.Images.NONE);
        runs = new FleetRuns(fleet);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet, passed);
        }
    }

    /**
     * Follows the test to its end, which must come soon after the duration: eth1 passed with its
     * throughput, eth2 failed; returns eth2's error.
     */
    private static String followToFailedEth2(String name, long running, String what) throws InterruptedException {
        Map<String, Object> status = runs.follow(name);
        double seconds = (System.nanoTime() - running) / 1e9;
        System.out.printf("FailedSideEndToEndTest: %s: the pair ended %.1f s after the clients started (a 6 s test)%n",
                what, seconds);
        assertEquals("Failed", status.get("phase"), String.valueOf(status));
        assertTrue(seconds < END_WITHIN_SECONDS, "ended " + seconds + " s after Running: " + status);
        List<Map<String, Object>> links = FleetRuns.links(status, 0);
        assertEquals("Passed", links.get(0).get("verdict"), String.valueOf(links.get(0)));
        assertTrue(((Number) links.get(0).get("gbps")).doubleValue() > 0.1, String.valueOf(links.get(0)));
        assertEquals("Failed", links.get(1).get("verdict"), String.valueOf(links.get(1)));
        return String.valueOf(links.get(1).get("error"));
    }

    @Test
    void aServerLinkDownMidRunEndsThePairSoonAfterTheDurationAndTheOtherLinkKeepsItsResult() throws Exception {
        passed = false;
        long before = fleet.network().carriedBytes(1, 2);
        String name = runs.apply(runs.hostMode("server-link-down", "6s", "10m", null,
                new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");
        long running = System.nanoTime();
        try {
            runs.setLinkDownOnceItCarries(1, 2, before);
            String error = followToFailedEth2(name, running, "server link down");
            assertTrue(error.contains("server eth2: LINK_DOWN: eth2 is down (operstate), after the link carried"), error);
        } finally {
            fleet.network().setLink(1, 2, true);
        }
        passed = true;
    }

    @Test
    void aServerThatCannotBindItsLastLinksAddressStillRunsTheOtherLinkAndEndsSoon() throws Exception {
        passed = false;
        String absent = fleet.layout().address(1, 2).replaceAll("\\.[0-9]+$", ".77");
        String yaml = runs.hostMode("server-cannot-bind", "6s", "10m", null, new int[][] {{1, 2}})
                .replace("serverIP: " + fleet.layout().address(1, 2), "serverIP: " + absent);
        String name = runs.apply(yaml);
        runs.awaitPhase(name, "Running");
        String error = followToFailedEth2(name, System.nanoTime(), "server cannot bind");
        assertTrue(error.contains("server eth2: ") && error.contains(absent), error);
        assertTrue(error.contains("client eth2: CONNECT_FAILED"), error);
        passed = true;
    }
}
