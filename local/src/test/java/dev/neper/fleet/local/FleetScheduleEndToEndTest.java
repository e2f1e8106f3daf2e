package dev.neper.fleet.local;

import dev.neper.fleet.local.images.ProjectImages;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduling and marking on the local fleet for real (8 nodes x 2 links, faults injected with tc): a dry run
 * names what it would mark and changes no node; then a fleet test scheduled every minute runs twice. Its
 * first run finds a bad node and a slow link with a budget of one node: the bad node gets the faulty label,
 * the condition and the taint, the budget stops the second and says so; the faults are removed, and the
 * second run (a minute on, the time missed while the first ran skipped by the starting deadline) clears the
 * marks. Deleting the fleet test removes every mark it set.
 */
class FleetScheduleEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final String HEALTH = "neper.dev/network-health";
    private static final String TAINT = "neper.dev/network-faulty";
    private static LocalFleet fleet;
    private static boolean passed = true;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = FleetRuns.start(8, 2, 1, "neper-e2e-schedule", LocalFleet.Images.NONE);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.network().clearFaults();
            FleetRuns.closeAndCheck(fleet, passed);
        }
    }

    private static String fleetTest(String name, String extra) throws Exception {
        return Files.readString(ProjectImages.ROOT.resolve("docs/examples/neperfleettest-host.yaml"))
                .replace("name: local-fleet", "name: " + name) + extra.indent(2);
    }

    private static void apply(String yaml) {
        fleet.apply(LocalFleet.NEPERFLEETTESTS, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitRuns(String name, int runs) throws Exception {
        return FleetRuns.await(() -> {
            GenericKubernetesResource test = fleet.get(LocalFleet.NEPERFLEETTESTS, name);
            Map<String, Object> status = test == null ? Map.of() : StatusView.status(test);
            List<Object> history = (List<Object>) status.getOrDefault("history", List.of());
            if (!fleet.operatorsAlive()) {
                throw new AssertionError("the operator exited: " + fleet.operators().getFirst().log());
            }
            return history.size() >= runs && FleetRunView.ended(status) ? Optional.of(status) : Optional.empty();
        }, RUN_TIMEOUT, "run " + runs + " of " + name);
    }

    private static Node node(int i) {
        return fleet.client().nodes().withName(fleet.layout().nodeName(i)).get();
    }

    /** A node's marks: labels, taints, and the conditions other than Ready (whose heartbeat moves). */
    private static String marks(Node node) {
        Map<String, String> labels = new TreeMap<>(node.getMetadata().getLabels());
        List<String> conditions = node.getStatus().getConditions().stream().filter(c -> !c.getType().equals("Ready"))
                .map(c -> c.getType() + "=" + c.getStatus()).toList();
        return labels + " " + taints(node) + " " + conditions + " "
                + (node.getMetadata().getAnnotations() == null ? Map.of() : node.getMetadata().getAnnotations());
    }

    private static NodeCondition condition(Node node) {
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals("NeperNetworkHealthy")).findFirst()
                .orElse(null);
    }

    private static List<String> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().map(Taint::getKey).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDryRunChangesNothingThenTwoScheduledRunsMarkWithinTheBudgetAndClear() throws Exception {
        passed = false;
        FleetFaults.parse(fleet.layout(), List.of("5:eth2"), List.of("3"), List.of(), List.of(), null)
                .inject(fleet.network());
        List<String> before = java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(i -> marks(node(i))).toList();

        // the dry run (marking's default): the status and Events say what it would do; no node changes
        apply(fleetTest("e2e-dry", "marking: {taint: true, maxNodes: 1, maxPercent: 50}"));
        Map<String, Object> dry = awaitRuns("e2e-dry", 1);
        System.out.println("dry run: " + dry.get("message") + "\n" + dry.get("marking"));
        Map<String, Object> dryMarking = (Map<String, Object>) dry.get("marking");
        assertEquals(true, dryMarking.get("dryRun"));
        List<Map<String, Object>> wouldDo = (List<Map<String, Object>>) dryMarking.get("actions");
        assertEquals(Map.of("node", "local-node-3", "action", "wouldSet", "marks", List.of(
                "label neper.dev/network-faulty-devices=eth1.eth2", "label neper.dev/network-health=faulty",
                "condition NeperNetworkHealthy=False (NodeFault)", "taint neper.dev/network-faulty:NoSchedule")),
                wouldDo.getFirst());
        assertEquals(true, dryMarking.get("budgetTripped"), "the dry run says the budget would stop local-node-5");
        assertEquals(before, java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(i -> marks(node(i))).toList(),
                "a dry run writes nothing to any node");
        fleet.client().genericKubernetesResources(LocalFleet.NEPERFLEETTESTS).inNamespace(fleet.namespace())
                .withName("e2e-dry").delete();

        // every minute; a time missed while a run goes on is skipped after 20 s, so the faults come off in between
        apply(fleetTest("e2e-nightly", """
                schedule: {cron: "* * * * *", startingDeadlineSeconds: 20}
                history: {runs: 2}
                marking: {dryRun: false, taint: true, maxNodes: 1, maxPercent: 50}"""));
        Map<String, Object> first = awaitRuns("e2e-nightly", 1);
        fleet.network().clearFaults();
        Instant firstEnded = Instant.now();
        System.out.println("run 1: " + first.get("message") + "\n" + first.get("marking"));
        assertEquals("FaultsFound", first.get("lastResult"));
        Map<String, Object> marking = (Map<String, Object>) first.get("marking");
        assertEquals(false, marking.get("dryRun"));
        assertEquals(true, marking.get("budgetTripped"));
        assertTrue(((String) marking.get("budgetReason")).contains("not marked: local-node-5"), marking.toString());
        assertTrue(String.valueOf(first.get("conditions")).contains("MarkingBudgetExceeded"), String.valueOf(first));

        // the node's patch (labels, taint) goes before its status's (the condition): wait for both
        Node bad = FleetRuns.await(() -> Optional.of(node(3)).filter(n -> taints(n).contains(TAINT) && condition(n) != null
                && "False".equals(condition(n).getStatus())), Duration.ofSeconds(60), "local-node-3 tainted and its condition False");
        assertEquals("faulty", bad.getMetadata().getLabels().get(HEALTH));
        assertEquals("eth1.eth2", bad.getMetadata().getLabels().get("neper.dev/network-faulty-devices"));
        assertEquals("False", condition(bad).getStatus());
        assertEquals("NodeFault", condition(bad).getReason());
        Node overBudget = node(5);
        assertFalse(taints(overBudget).contains(TAINT), "the budget stopped local-node-5's marks: " + marks(overBudget));
        assertNull(overBudget.getMetadata().getLabels().get(HEALTH), marks(overBudget));
        // nodes are marked 16 at a time: another node's marks may land a moment later
        Node healthy = FleetRuns.await(() -> Optional.of(node(1)).filter(n -> condition(n) != null
                && "True".equals(condition(n).getStatus())), Duration.ofSeconds(60), "local-node-1's condition True");
        assertEquals("healthy", healthy.getMetadata().getLabels().get(HEALTH));

        Map<String, Object> second = awaitRuns("e2e-nightly", 2);
        System.out.println("run 2: " + second.get("message") + "\n" + second.get("marking"));
        List<Map<String, Object>> history = (List<Map<String, Object>>) second.get("history");
        assertEquals(List.of("FaultsFound", "Completed"), history.stream().map(h -> h.get("result")).toList());
        assertEquals(List.of("local-node-3", "local-node-5"), history.getFirst().get("faultyNodes"));
        Instant secondStarted = Instant.parse((String) history.get(1).get("startTime"));
        assertTrue(secondStarted.isAfter(firstEnded.minusSeconds(1)) && secondStarted.getEpochSecond() % 60 < 20,
                "the second run started at a scheduled minute after the first ended: " + history);
        Node cleared = FleetRuns.await(() -> Optional.of(node(3)).filter(n -> !taints(n).contains(TAINT)
                && "True".equals(condition(n).getStatus())), Duration.ofSeconds(60),
                "local-node-3's taint cleared and its condition True");
        assertEquals("healthy", cleared.getMetadata().getLabels().get(HEALTH));
        assertFalse(cleared.getMetadata().getLabels().containsKey("neper.dev/network-faulty-devices"));
        assertEquals("True", condition(cleared).getStatus());
        assertEquals(1, ((Number) ((Map<String, Object>) second.get("marking")).get("marksCleared")).intValue());

        // deleting the fleet test removes every mark it set
        fleet.client().genericKubernetesResources(LocalFleet.NEPERFLEETTESTS).inNamespace(fleet.namespace())
                .withName("e2e-nightly").delete();
        FleetRuns.await(() -> java.util.stream.IntStream.rangeClosed(1, 8).allMatch(i -> marks(node(i)).equals(before.get(i - 1)))
                ? Optional.of(true) : Optional.empty(), Duration.ofSeconds(60), "every node as it was");
        passed = true;
    }
}
