package dev.neper.fleet.local;

import dev.neper.fleet.local.operator.OperatorProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two operator replicas electing a leader through a Lease in the local fleet: the leader is killed
 * (SIGKILL, no shutdown) while a NeperTest runs; the other replica takes the Lease once it expires
 * and finishes the test: every link's result, and no pod left behind.
 */
class LeaderTakeoverEndToEndTest {
    /** The local fleet's lease duration (30 s) and a retry period or two on top, with room for a loaded machine. */
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(75);
    private static LocalFleet fleet;
    private static FleetRuns runs;
    /** The operators' and pods' logs are kept when the test did not pass. */
    private static boolean passed;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = FleetRuns.start(2, 2, 2, "neper-e2e-leader", LocalFleet.Images.NONE);
        runs = new FleetRuns(fleet);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet, passed);
        }
    }

    @Test
    void theOtherReplicaTakesOverWhenTheLeaderIsKilledMidTestAndFinishesIt() throws Exception {
        OperatorProcess leader = FleetRuns.await(() -> fleet.leader(), TAKEOVER_TIMEOUT, "a leader");
        // the Deployment's readiness probe: a standby that never became ready would stall a rollout
        for (OperatorProcess replica : fleet.operators()) {
            System.out.println(replica.identity() + " /q/health/ready: " + replica.awaitReady(TAKEOVER_TIMEOUT));
        }
        String name = runs.apply(runs.hostMode("takeover", "30s", "90s", null, new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");

        long killed = System.nanoTime();
        leader.kill();
        OperatorProcess successor = FleetRuns.await(() -> fleet.leader().filter(o -> o != leader), TAKEOVER_TIMEOUT,
                "another leader");
        System.out.printf("LeaderTakeoverEndToEndTest: %s was killed; %s leads %.1f s later%n", leader.identity(),
                successor.identity(), (System.nanoTime() - killed) / 1e9);
        assertFalse(leader.isAlive());
        assertNotEquals(leader.identity(), successor.identity());

        Map<String, Object> status = runs.follow(name);
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status));
        List<Map<String, Object>> links = FleetRuns.links(status, 0);
        assertEquals(2, links.size(), String.valueOf(status));
        for (Map<String, Object> link : links) {
            assertEquals("Passed", link.get("verdict"), String.valueOf(link));
            assertTrue(((Number) link.get("gbps")).doubleValue() > 0.1, String.valueOf(link));
        }
        FleetRuns.await(() -> fleet.client().pods().inNamespace(fleet.namespace()).withLabel("neper.dev/test", name).list()
                .getItems().isEmpty() ? Optional.of(true) : Optional.empty(), FleetRuns.TIMEOUT, "the test's pods gone");
        assertTrue(fleet.agent().runningPids().isEmpty(), "runner processes left: " + fleet.agent().runningPids());
        assertTrue(successor.isAlive(), "the new leader still runs");
        passed = true;
    }
}
