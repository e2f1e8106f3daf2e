package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The end-to-end tests' steps on a started local fleet: NeperTests as YAML, applied and followed to their end. */
final class FleetRuns {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /**
     * More than a connection's handshakes and first window: a receiver's window grows only as its
     * process reads, so a link that carried this much has had its bytes counted by the runners.
     */
    private static final long CARRIED_BEFORE_FAULT = 8L << 20;

    private final LocalFleet fleet;

    FleetRuns(LocalFleet fleet) {
        this.fleet = fleet;
    }

    /** A local fleet of this checkout's build on the embedded API, {@code operators} replicas electing a leader. */
    static LocalFleet start(int nodes, int links, int operators, String namespace, LocalFleet.Images images)
            throws IOException {
        return LocalFleet.start(nodes, links, operators, null, namespace, LocalFleet.Paths.inCheckout(ProjectImages.ROOT),
                images);
    }

    /**
     * A host-mode NeperTest over links eth1 and eth2 of each (server, client) node pair.
     * @param finish the finish deadline, which is also the runners' suicide length
     * @param image the runner image, or null for the operator's default
     */
    String hostMode(String name, String duration, String finish, String image, int[][] pairs) {
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
                """.formatted(name, duration, finish));
        if (image != null) {
            yaml.append("  runner: {image: ").append(image).append("}\n");
        }
        yaml.append("  pairs:\n");
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

    String apply(String yaml) {
        try {
            return fleet.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Follows the test to its end, printing its progress and table at once (not line by line amid other output). */
    Map<String, Object> follow(String name) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Object> status = fleet.follow(name, TIMEOUT, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .status();
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return status;
    }

    void awaitPhase(String name, String phase) throws InterruptedException {
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

    interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    /** Polls {@code probe} until it gives a value, which it returns; fails naming {@code what} after {@code timeout}. */
    static <T> T await(Probe<T> probe, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s");
    }

    /**
     * Sets node i's link k down once it has carried {@link #CARRIED_BEFORE_FAULT} more bytes than
     * {@code before} (its counters before the test was applied): a fixed sleep after Running could fall,
     * on a loaded machine, before the runners had connected at all.
     */
    void setLinkDownOnceItCarries(int node, int link, long before) throws Exception {
        String device = fleet.layout().nodeName(node) + " " + fleet.layout().device(link);
        long carried = await(() -> Optional.of(fleet.network().carriedBytes(node, link) - before)
                .filter(bytes -> bytes >= CARRIED_BEFORE_FAULT), TIMEOUT, "test traffic on " + device);
        fleet.network().setLink(node, link, false);
        System.out.printf("FleetRuns: set %s down after it carried %.1f MB of the test%n", device, carried / 1e6);
    }

    /** SIGKILLs the runner of the test's client pod (in a container: the container's first process); its pod's name. */
    String killClient(String test) {
        Map.Entry<String, Long> client = fleet.agent().runningPids().entrySet().stream()
                .filter(e -> e.getKey().contains(test) && e.getKey().contains("client")).findFirst().orElseThrow();
        assertTrue(ProcessHandle.of(client.getValue()).orElseThrow().destroyForcibly(), "SIGKILL the client");
        return client.getKey().substring(client.getKey().indexOf('/') + 1);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> links(Map<String, Object> status, int pair) {
        List<Map<String, Object>> pairs = (List<Map<String, Object>>) status.get("pairs");
        return (List<Map<String, Object>>) pairs.get(pair).get("links");
    }

    /** Closes the fleet, checks that its network namespaces are gone and removes its logs. */
    static void closeAndCheck(LocalFleet fleet) throws IOException {
        closeAndCheck(fleet, true);
    }

    /** As {@link #closeAndCheck(LocalFleet)}, but keeps the logs (and prints where) when the tests did not pass. */
    static void closeAndCheck(LocalFleet fleet, boolean passed) throws IOException {
        List<String> namespaces = fleet.network().namespaces();
        fleet.close();
        if (passed) {
            fleet.deleteWorkDirectory();
        } else {
            System.out.println("logs of the operators and the pods: " + fleet.workDirectory());
        }
        namespaces.forEach(ns -> assertFalse(Files.exists(Path.of("/var/run/netns", ns)), ns + " left behind"));
    }
}
