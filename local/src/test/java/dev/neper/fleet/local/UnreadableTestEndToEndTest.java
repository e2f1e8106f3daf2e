package dev.neper.fleet.local;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NeperTests this operator cannot read (a mode it does not know, a field it does not know, a number
 * written as a word: what a newer CRD stores, or the embedded API, which checks no schema) are in
 * the API before the operator starts. It must start, refuse each of them as InvalidSpec naming the
 * problem, and run a good test beside them to its end.
 */
class UnreadableTestEndToEndTest {
    private static LocalFleet fleet;
    private static FleetRuns runs;
    private static boolean passed;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = FleetRuns.start(2, 2, 0, "neper-e2e-unreadable", LocalFleet.Images.NONE);
        runs = new FleetRuns(fleet);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            FleetRuns.closeAndCheck(fleet, passed);
        }
    }

    private static String unreadable(String name, String specLine) {
        return """
                apiVersion: neper.dev/v1alpha1
                kind: NeperTest
                metadata: {name: %s}
                spec:
                  %s
                  pairs:
                  - server: {node: local-node-1}
                    client: {node: local-node-2}
                    links:
                    - {device: eth1, serverIP: 198.18.1.1, clientIP: 198.18.1.2}
                """.formatted(name, specLine);
    }

    @Test
    void theOperatorStartsRefusesWhatItCannotReadAndRunsTheRest() throws Exception {
        Map<String, String> bad = Map.of(
                "bad-mode", "mode: turbo",
                "bad-field", "mode: host\n  turbo: true",
                "bad-flows", "mode: host\n  flows: \"two\"");
        bad.forEach((name, line) -> runs.apply(unreadable(name, line)));
        String good = runs.apply(runs.hostMode("good", "3s", "60s", null, new int[][] {{1, 2}}));

        fleet.startOperator();

        Map<String, Object> status = runs.follow(good);
        assertEquals("Succeeded", status.get("phase"), String.valueOf(status) + "\noperator log:\n"
                + Files.readString(fleet.operators().getFirst().log()));
        Map<String, String> expected = Map.of("bad-mode", "turbo", "bad-field", "turbo", "bad-flows", "two");
        for (var entry : expected.entrySet()) {
            runs.awaitPhase(entry.getKey(), "Failed");
            GenericKubernetesResource test = fleet.get(entry.getKey());
            Map<String, Object> refused = StatusView.status(test);
            assertEquals("InvalidSpec", refused.get("reason"), String.valueOf(refused));
            assertTrue(String.valueOf(refused.get("message")).contains(entry.getValue()), String.valueOf(refused));
        }
        List<Event> events = fleet.client().v1().events().inNamespace(fleet.namespace()).list().getItems();
        for (String name : expected.keySet()) {
            assertTrue(events.stream().anyMatch(e -> name.equals(e.getInvolvedObject().getName())
                    && "InvalidSpec".equals(e.getReason()) && "Warning".equals(e.getType())),
                    "a Warning Event for " + name + ": " + events);
        }
        assertTrue(fleet.operators().getFirst().isAlive(), "the operator still runs");
        passed = true;
    }
}
