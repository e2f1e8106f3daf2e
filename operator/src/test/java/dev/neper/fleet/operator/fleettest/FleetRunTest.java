package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetConditions;
import dev.neper.fleet.operator.api.FleetHistory;
import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NodeEntry;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.metrics.FleetMetrics;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.FleetKubelet;
import dev.neper.fleet.operator.testing.FleetNetwork;
import dev.neper.fleet.operator.testing.FleetSpecBuilder;
import dev.neper.fleet.operator.testing.FleetTest;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.operator.testing.TestApiServer;
import dev.neper.fleet.runner.contract.ErrorKind;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet run end to end against the test server, the tests' kubelet answering its pods: discovery,
 * the waves as child NeperTests, the verdicts in the status and Events, the nodes held meanwhile,
 * deletion taking everything with it.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TestApiServer.class)
class FleetRunTest extends FleetTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);

    @Inject
    MeterRegistry registry;

    private java.util.Set<String> nodesWithSeries(String fleetTest) {
        return registry.find(FleetMetrics.NODE_VERDICT).tag("fleet_test", fleetTest).gauges().stream()
                .map(g -> g.getId().getTag("node") + " " + g.getId().getTag("verdict"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Map<String, String> label(String fleet) {
        return Map.of("neper.dev/test-fleet", fleet);
    }

    private NeperFleetTest awaitEnd(String name) {
        Awaitility.await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            NeperFleetTest test = fleet.fleetTest(name);
            return test != null && test.getStatus() != null && test.getStatus().phase() != null
                    && test.getStatus().phase().isTerminal();
        });
        return fleet.fleetTest(name);
    }

    @Test
    void aRunNamesTheBadNodeTheBadLinkAndTheNodesItCouldNotTest() throws Exception {
        FleetNetwork network = new FleetNetwork("runs", 12, 2).bad(3).failing(7, "eth2", ErrorKind.LINK_DOWN)
                .discoveryFails(11);
        fleet.readyNodes(label("runs"), network.nodeNames());
        fleet.client().nodes().withName(network.node(12)).edit(n -> new NodeBuilder(n).editOrNewSpec()
                .withUnschedulable(true).endSpec().build());
        try (FleetKubelet kubelet = new FleetKubelet(fleet.client(), fleet.namespace(), "runs", network).start()) {
            fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(label("runs")).exclude(network.node(10)).named("runs"));
            NeperFleetTest done = awaitEnd("runs");
            NeperFleetTestStatus status = done.getStatus();
            assertEquals(FleetPhase.Completed, status.phase(), status.message());
            assertEquals("FaultsFound", status.reason());
            Map<String, NodeEntry> faulty = status.summary().faulty().stream()
                    .collect(Collectors.toMap(NodeEntry::node, e -> e));
            assertEquals(Map.of(network.node(3), "NodeFault", network.node(7), "LinkFault", network.node(10), "Skipped",
                    network.node(11), "Unqualified", network.node(12), "Skipped"), faulty.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().verdict())), status.summary().toString());
            assertEquals(List.of("eth1", "eth2"), faulty.get(network.node(3)).devices());
            assertEquals(List.of("eth2"), faulty.get(network.node(7)).devices());
            assertTrue(faulty.get(network.node(7)).evidence().stream().anyMatch(l -> l.contains("LINK_DOWN")),
                    faulty.get(network.node(7)).toString());
            assertTrue(faulty.get(network.node(11)).reason().contains("exited with 1"), faulty.get(network.node(11)).reason());
            assertEquals("7/12", status.healthy());
            assertEquals(2, status.faults());
            assertTrue(Conditions.isTrue(status.conditions(), FleetConditions.COMPLETE));
            assertEquals("False", Conditions.find(status.conditions(), FleetConditions.HEALTHY).getStatus());
            assertEquals(done.getMetadata().getGeneration(),
                    Conditions.find(status.conditions(), FleetConditions.HEALTHY).getObservedGeneration());
            assertEquals(7L, status.seed());
            assertTrue(status.runId().matches("\\d{8}-\\d{6}"), status.runId());

            List<NeperTest> children = fleet.children("runs");
            assertTrue(children.size() >= 2, "round 1 and round 2 at least: " + children.size());
            for (NeperTest child : children) {
                assertTrue(child.getMetadata().getName().startsWith("runs-" + status.runId() + "-r"), child.getMetadata().getName());
                assertEquals(status.runId(), child.getMetadata().getLabels().get(FleetLabels.RUN));
                assertEquals(done.getMetadata().getUid(), child.getMetadata().getOwnerReferences().getFirst().getUid());
                assertTrue(child.getStatus().phase().isTerminal());
                assertEquals(null, child.getSpec().thresholds(), "children judge errors only");
            }
            assertTrue(fleet.client().pods().inNamespace(fleet.namespace()).withLabel(FleetLabels.COMPONENT,
                    FleetLabels.DISCOVERY).list().getItems().isEmpty(), "discovery pods are gone");
            assertEquals(1, fleet.client().configMaps().inNamespace(fleet.namespace())
                    .withLabel(FleetLabels.FLEET_TEST, "runs").list().getItems().size(), "the run's record stays");

            List<String> warnings = fleet.events("runs").stream().filter(e -> "Warning".equals(e.getType()))
                    .map(e -> e.getReason() + " " + e.getMessage()).toList();
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("NodeFault node " + network.node(3) + " eth1, eth2")),
                    warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("LinkFault node " + network.node(7) + " eth2")),
                    warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Unqualified node " + network.node(11))),
                    warnings.toString());
            for (int healthy : new int[] {1, 2, 4, 5, 6, 8, 9}) {
                assertTrue(warnings.stream().noneMatch(w -> w.contains("node " + network.node(healthy) + " ")),
                        warnings.toString());
            }

            // the run's gauges, one per node; a node deleted from the cluster loses its own at once
            Awaitility.await().atMost(RUN_TIMEOUT).until(() -> nodesWithSeries("runs").size() == 12);
            assertTrue(nodesWithSeries("runs").contains(network.node(3) + " NodeFault"), nodesWithSeries("runs").toString());
            assertTrue(nodesWithSeries("runs").contains(network.node(1) + " Healthy"), nodesWithSeries("runs").toString());
            fleet.client().nodes().withName(network.node(9)).delete();
            Awaitility.await().atMost(RUN_TIMEOUT).until(() -> nodesWithSeries("runs").size() == 11
                    && !nodesWithSeries("runs").contains(network.node(9) + " Healthy"));
        }

        fleet.deleteFleet("runs");
        Awaitility.await().atMost(RUN_TIMEOUT).until(() -> fleet.fleetTest("runs") == null && fleet.children("runs").isEmpty()
                && fleet.client().configMaps().inNamespace(fleet.namespace()).withLabel(FleetLabels.FLEET_TEST, "runs")
                .list().getItems().isEmpty());
        Awaitility.await().atMost(RUN_TIMEOUT).until(() -> registry.find(FleetMetrics.DEVICE_VERDICT)
                .tag("fleet_test", "runs").gauges().isEmpty() && nodesWithSeries("runs").isEmpty());
    }

    @Test
    void aNeperTestOnANodeOfARunningFleetRunWaitsForTheRun() throws Exception {
        FleetNetwork network = new FleetNetwork("held", 4, 2);
        fleet.readyNodes(label("held"), network.nodeNames());
        fleet.nodes("held-outsider");
        try (FleetKubelet kubelet = new FleetKubelet(fleet.client(), fleet.namespace(), "held", network).start()) {
            kubelet.pause();
            fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(label("held")).named("held"));
            fleet.awaitFleetPhase("held", FleetPhase.Discovering);
            fleet.create(SpecBuilder.spec().pair(network.node(2), "held-outsider", 1).named("held-outsider"));
            NeperTest waiting = fleet.await("held-outsider", t -> t.getStatus() != null
                    && "WaitingForNodes".equals(t.getStatus().reason()));
            assertTrue(waiting.getStatus().message().contains("NeperFleetTest " + fleet.namespace() + "/held"),
                    waiting.getStatus().message());
            kubelet.resume();
            NeperFleetTest done = awaitEnd("held");
            assertEquals(FleetPhase.Completed, done.getStatus().phase(), done.getStatus().message());
            assertEquals("4/4", done.getStatus().healthy());
            // started once the run let go of the node (the kubelet, taking it for the run's, may run it on)
            fleet.await("held-outsider", t -> t.getStatus() != null && t.getStatus().phase() != TestPhase.Pending);
        }
        fleet.delete("held-outsider");
        fleet.deleteFleet("held");
    }

    /** Each new value of the run-now annotation runs the fleet test again; only the kept runs' children and records stay. */
    @Test
    void runNowRunsAgainAndOnlyTheKeptRunsStay() throws Exception {
        FleetNetwork network = new FleetNetwork("again", 4, 2);
        fleet.readyNodes(label("again"), network.nodeNames());
        try (FleetKubelet kubelet = new FleetKubelet(fleet.client(), fleet.namespace(), "again", network).start()) {
            fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(label("again")).history(new FleetHistory(2, null, null))
                    .named("again"));
            String previous = awaitEnd("again").getStatus().runId();
            for (int run = 2; run <= 3; run++) {
                String value = "run-" + run;
                fleet.client().resources(NeperFleetTest.class).inNamespace(fleet.namespace()).withName("again")
                        .edit(f -> {
                            f.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(f.getMetadata())
                                    .addToAnnotations(FleetSchedule.RUN_NOW, value).build());
                            return f;
                        });
                String before = previous;
                Awaitility.await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    NeperFleetTest again = fleet.fleetTest("again");
                    NeperFleetTestStatus status = again.getStatus();
                    assertTrue(!before.equals(status.runId()) && status.phase().isTerminal(),
                            again.getMetadata().getAnnotations() + " " + status);
                });
                previous = fleet.fleetTest("again").getStatus().runId();
            }
        }
        NeperFleetTestStatus status = fleet.fleetTest("again").getStatus();
        assertEquals("run-3", status.schedule().runNowHandled());
        List<String> kept = status.history().stream().map(h -> h.runId()).toList();
        assertEquals(2, kept.size(), status.history().toString());
        assertEquals(status.runId(), kept.getLast());
        assertEquals(List.of("Completed", "Completed"), status.history().stream().map(h -> h.result()).toList());
        Awaitility.await().atMost(RUN_TIMEOUT).untilAsserted(() -> {
            assertEquals(Set.copyOf(kept), fleet.children("again").stream()
                    .map(c -> c.getMetadata().getLabels().get(FleetLabels.RUN)).collect(Collectors.toSet()));
            assertEquals(Set.copyOf(kept), fleet.client().configMaps().inNamespace(fleet.namespace())
                    .withLabel(FleetLabels.FLEET_TEST, "again").list().getItems().stream()
                    .map(c -> c.getMetadata().getLabels().get(FleetLabels.RUN)).collect(Collectors.toSet()));
        });
        fleet.deleteFleet("again");
    }

    @Test
    void aSelectorThatMatchesNoNodeFailsTheRunWithTheReason() {
        fleet.createFleet(FleetSpecBuilder.fleetSpec().selector(label("nobody")).named("nobody"));
        NeperFleetTest failed = fleet.awaitFleetPhase("nobody", FleetPhase.Failed);
        assertEquals("NoNodesSelected", failed.getStatus().reason());
        List<Event> events = fleet.events("nobody");
        assertTrue(events.stream().anyMatch(e -> "NoNodesSelected".equals(e.getReason())), events.toString());
        fleet.deleteFleet("nobody");
    }
}
