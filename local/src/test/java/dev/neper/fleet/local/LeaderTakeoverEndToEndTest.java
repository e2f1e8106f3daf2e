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
    /** The operator's lease duration (15 s) and a retry period or two on top, with room for a loaded machine. */
    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(60);
    private static LocalFleet fleet;
    /** The operators' and pods' logs are kept when the test did not pass. */
    private static boolean passed;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = LocalTests.start(2, 2, 2, "neper-e2e-leader");
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            LocalTests.close(fleet);
            if (passed) {
                fleet.deleteWorkDirectory();
            } else {
                System.out.println("logs: " + fleet.workDirectory());
            }
        }
    }

    @Test
    void theOtherReplicaTakesOverWhenTheLeaderIsKilledMidTestAndFinishesIt() throws Exception {
        OperatorProcess leader = LocalTests.await(() -> fleet.leader(), TAKEOVER_TIMEOUT, "a leader");
        String name = LocalTests.apply(fleet, LocalTests.hostTest(fleet, "takeover", "30s", "90s", new int[][] {{1, 2}}));
        LocalTests.awaitPhase(fleet, name, "Running");

        long killed = System.nanoTime();
        leader.kill();
        OperatorProcess successor = LocalTests.await(() -> fleet.leader().filter(o -> o != leader), TAKEOVER_TIMEOUT,
                "another leader");
        System.out.printf("LeaderTakeoverEndToEndTest: %s was killed; %s leads %.1f s later%n", leader.identity(),
                successor.identity(), (System.nanoTime() - killed) / 1e9);
        assertFalse(leader.isAlive());
        assertNotEquals(leader.identity(), successor.identity());

        Map<String, Object> status = LocalTests.follow(fleet, name);
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status));
        List<Map<String, Object>> links = LocalTests.links(status, 0);
        assertEquals(2, links.size(), String.valueOf(status));
        for (Map<String, Object> link : links) {
            assertEquals("Passed", link.get("verdict"), String.valueOf(link));
            assertTrue(((Number) link.get("gbps")).doubleValue() > 0.1, String.valueOf(link));
        }
        LocalTests.await(() -> fleet.client().pods().inNamespace(fleet.namespace()).withLabel("neper.dev/test", name).list()
                .getItems().isEmpty() ? Optional.of(true) : Optional.empty(), LocalTests.TIMEOUT, "the test's pods gone");
        assertTrue(fleet.agent().runningPids().isEmpty(), "runner processes left: " + fleet.agent().runningPids());
        assertTrue(successor.isAlive(), "the new leader still runs");
        passed = true;
    }
}
