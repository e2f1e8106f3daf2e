package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./run-local --runtime podman}: the local fleet with the node agent running every runner pod
 * the operator writes in podman from the runner image (its command, env, mounts, hostNetwork into the
 * node's namespace, security context and termination-message path), as a kubelet would.
 */
@ExtendWith(ProjectImages.Extension.class)
class LocalFleetPodmanTest {
    private static ProjectImages images;
    private static LocalFleet fleet;
    private static FleetRuns runs;

    @BeforeAll
    static void startFleet(ProjectImages built) throws Exception {
        images = built;
        fleet = FleetRuns.start(2, 2, 1, "neper-podman", new LocalFleet.Images(images.runner(), null));
        runs = new FleetRuns(fleet);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet);
            assertEquals(List.of(), containers(), "no container of the fleet left");
        }
    }

    private static List<String> containers() {
        return images.containersOf(fleet.layout().fleetId());
    }

    @Test
    void theReadmeExampleRunsWithEveryRunnerPodAContainer() throws Exception {
        String name;
        try (InputStream yaml = Files.newInputStream(ProjectImages.ROOT.resolve("docs/examples/nepertest-host.yaml"))) {
            name = fleet.apply(yaml);
        }
        String prefix = "nf" + fleet.layout().fleetId() + "-" + fleet.namespace() + "-" + name;
        List<String> pods = List.of(prefix + "-server-0", prefix + "-client-0");
        long end = System.nanoTime() + FleetRuns.TIMEOUT.toNanos();
        while (!containers().containsAll(pods) && System.nanoTime() < end) {
            Thread.sleep(200);
        }
        assertTrue(containers().containsAll(pods), "both runners in containers: " + containers());
        Map<String, Object> status = runs.follow(name);
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status));
        for (Map<String, Object> link : FleetRuns.links(status, 0)) {
            assertEquals("Passed", link.get("verdict"), String.valueOf(link));
        }
        awaitNoContainer();
    }

    @Test
    void aRunnerKilledInsideItsContainerFailsItsPairWithTheKubeletsExitCode() throws Exception {
        String name = runs.apply(runs.hostMode("killed", "20s", "90s", null, new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");
        Thread.sleep(1500);
        String podName = runs.killClient(name);
        Map<String, Object> status = runs.follow(name);
        assertEquals("Failed", status.get("phase"), String.valueOf(status));
        assertEquals("RunnerFailed", status.get("reason"), String.valueOf(status));
        // a failed pair's pods are kept for their logs: the client's says what the kubelet says of a SIGKILL
        var terminated = fleet.client().pods().inNamespace(fleet.namespace()).withName(podName).get().getStatus()
                .getContainerStatuses().getFirst().getState().getTerminated();
        assertEquals(137, terminated.getExitCode(), String.valueOf(terminated));
        awaitNoContainer();
    }

    @Test
    void aNeperTestDeletedMidRunStopsAndRemovesItsContainers() throws Exception {
        String name = runs.apply(runs.hostMode("deleted", "30s", "90s", null, new int[][] {{1, 2}}));
        runs.awaitPhase(name, "Running");
        assertTrue(containers().stream().anyMatch(c -> c.contains(name)), containers().toString());
        fleet.delete(name);
        awaitNoContainer();
        assertTrue(fleet.agent().runningPids().isEmpty(), "runners left: " + fleet.agent().runningPids());
    }

    @Test
    void anImageTheNodeDoesNotHaveFailsThePairAtOnceAsAnImagePullFailure() throws Exception {
        String image = "localhost/neper-fleet-test/absent:" + fleet.layout().fleetId();
        String name = runs.apply(runs.hostMode("no-image", "4s", "90s", image, new int[][] {{1, 2}}));
        Map<String, Object> status = runs.follow(name);
        assertEquals("Failed", status.get("phase"), String.valueOf(status));
        assertEquals("ImagePullFailed", status.get("reason"), String.valueOf(status));
        assertTrue(String.valueOf(status.get("message")).contains("ErrImageNeverPull")
                || String.valueOf(status).contains("is not present with pull policy of Never"), String.valueOf(status));
    }

    /** A stopped container is removed (podman run --rm) within a few seconds of its pod's end. */
    private static void awaitNoContainer() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!containers().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(500);
        }
        assertEquals(List.of(), containers(), "containers left");
    }
}
