package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import dev.neper.fleet.local.operator.OperatorProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator image started against the embedded API, as deploy/deployment.yaml runs it (two
 * replicas electing a leader, each with its own user, read-only root, no capabilities): both become
 * ready on their health endpoint, the leader runs a NeperTest of a two-node local fleet (whose pods
 * the node agent runs as processes), the standby SIGKILLed leaves no container, and the leader stops
 * cleanly on SIGTERM.
 */
@ExtendWith(ProjectImages.Extension.class)
class OperatorImageTest {
    private static ProjectImages images;
    private static LocalFleet fleet;

    @BeforeAll
    static void startFleet(ProjectImages built) throws Exception {
        images = built;
        fleet = FleetRuns.start(2, 2, 2, "neper-operator-image", new LocalFleet.Images(null, images.operator()));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet);
            assertEquals(List.of(), images.containersOf(fleet.layout().fleetId()), "no container left");
        }
    }

    @Test
    void theImageBecomesReadyRunsANeperTestAndStopsCleanlyOnSigterm() throws Exception {
        OperatorProcess operator = FleetRuns.await(() -> fleet.leader(), Duration.ofSeconds(120), "a leader");
        for (OperatorProcess replica : fleet.operators()) {
            String health = replica.awaitReady(Duration.ofSeconds(120));
            System.out.println(replica.identity() + " /q/health/ready: " + health);
            assertTrue(health.contains("Quarkus Operator SDK health check"),
                    "readiness follows the operator's informers, the standby's too: " + health);
        }

        Map<String, Object> status;
        try (InputStream yaml = Files.newInputStream(ProjectImages.ROOT.resolve("docs/examples/nepertest-host.yaml"))) {
            String name = fleet.apply(yaml);
            status = fleet.follow(name, Duration.ofSeconds(120), new PrintStream(System.out, true, StandardCharsets.UTF_8))
                    .status();
        }
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status) + "; operator log: "
                + Files.readString(operator.log()));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) status.get("summary");
        assertEquals("2/2", summary.get("links"), String.valueOf(status));

        OperatorProcess standby = fleet.operators().stream().filter(o -> o != operator).findFirst().orElseThrow();
        standby.kill();
        assertFalse(standby.isAlive());
        assertEquals(List.of(operator.identity()), images.containersOf(fleet.layout().fleetId()),
                "the killed replica's container is gone");

        int exit = operator.stop();
        String log = Files.readString(operator.log());
        assertEquals(143, exit, "a JVM stopped by SIGTERM exits 143 (128+15) after its shutdown hooks: " + log);
        assertTrue(log.contains("stopped in"), "Quarkus shut down in order: " + log);
        assertFalse(log.contains("Exception"), log);
    }
}
