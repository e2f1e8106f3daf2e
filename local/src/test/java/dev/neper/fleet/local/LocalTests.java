package dev.neper.fleet.local;

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
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the local fleet's end-to-end tests share: NeperTests in host mode, following them, commands. */
final class LocalTests {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Held so the setting stays: the mock API server logs every request at INFO. */
    private static final Logger API_SERVER_LOG = Logger.getLogger("io.fabric8");

    private LocalTests() {
    }

    /** A local fleet of the checkout's build, with the embedded API server's request log quiet. */
    static LocalFleet start(int nodes, int links, int operators, String namespace) throws IOException {
        API_SERVER_LOG.setLevel(Level.WARNING);
        return LocalFleet.start(nodes, links, operators, null, namespace, LocalFleet.Paths.inCheckout(ROOT));
    }

    /**
     * A NeperTest over links eth1 and eth2 of each (server, client) node pair, in host mode.
     * @param finish the finish deadline, which is also the runners' suicide length
     */
    static String hostTest(LocalFleet fleet, String name, String duration, String finish, int[][] pairs) {
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

    static String apply(LocalFleet fleet, String yaml) {
        return fleet.apply(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Follows a NeperTest to its end (or the timeout), printing what the fleet printed; returns its last status. */
    static Map<String, Object> follow(LocalFleet fleet, String name) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Object> status = fleet.follow(name, TIMEOUT, new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.out.println(printed.toString(StandardCharsets.UTF_8));
        return status;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> links(Map<String, Object> status, int pair) {
        List<Map<String, Object>> pairs = (List<Map<String, Object>>) status.get("pairs");
        return (List<Map<String, Object>>) pairs.get(pair).get("links");
    }

    static void awaitPhase(LocalFleet fleet, String name, String phase) throws InterruptedException {
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
        java.util.Optional<T> get() throws Exception;
    }

    /** Polls until the probe has a value, or fails naming what never came. */
    static <T> T await(Probe<T> probe, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            java.util.Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s");
    }

    /** Closes the fleet and checks that none of its network namespaces is left behind. */
    static void close(LocalFleet fleet) {
        List<String> namespaces = fleet.network().namespaces();
        fleet.close();
        namespaces.forEach(ns -> assertFalse(Files.exists(Path.of("/var/run/netns", ns)), ns + " left behind"));
    }
}
