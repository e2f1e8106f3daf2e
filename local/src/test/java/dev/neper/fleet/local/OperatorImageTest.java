package dev.neper.fleet.local;

import dev.neper.fleet.local.container.Podman;
import dev.neper.fleet.local.images.ProjectImages;
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
 * The operator image started against the embedded API, as deploy/deployment.yaml runs it (its own
 * user, read-only root, no capabilities): it becomes ready on its health endpoint, runs a NeperTest
 * of a two-node local fleet (whose pods the node agent runs as processes), and stops cleanly on SIGTERM.
 */
@ExtendWith(ProjectImages.Extension.class)
class OperatorImageTest {
    private static ProjectImages images;
    private static LocalFleet fleet;

    @BeforeAll
    static void startFleet(ProjectImages built) throws Exception {
        images = built;
        fleet = LocalFleet.start(2, 2, null, "neper-operator-image", LocalFleet.Paths.inCheckout(ProjectImages.ROOT),
                new LocalFleet.Images(null, images.operator()));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet);
            assertEquals(List.of(), images.podman().containersLabelled(Podman.FLEET_LABEL, fleet.layout().fleetId()),
                    "no container left");
        }
    }

    @Test
    void theImageBecomesReadyRunsANeperTestAndStopsCleanlyOnSigterm() throws Exception {
        String health = fleet.operator().awaitReady(Duration.ofSeconds(120));
        System.out.println("/q/health/ready: " + health);
        assertTrue(health.contains("Quarkus Operator SDK health check"), "readiness follows the operator's informers: "
                + health);

        Map<String, Object> status;
        try (InputStream yaml = Files.newInputStream(ProjectImages.ROOT.resolve("docs/examples/nepertest-host.yaml"))) {
            String name = fleet.apply(yaml);
            status = fleet.follow(name, Duration.ofSeconds(120), new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status) + "; operator log: "
                + Files.readString(fleet.operator().log()));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) status.get("summary");
        assertEquals("2/2", summary.get("links"), String.valueOf(status));

        int exit = fleet.operator().stop();
        String log = Files.readString(fleet.operator().log());
        assertEquals(143, exit, "a JVM stopped by SIGTERM exits 143 (128+15) after its shutdown hooks: " + log);
        assertTrue(log.contains("stopped in"), "Quarkus shut down in order: " + log);
        assertFalse(log.contains("Exception"), log);
    }
}
