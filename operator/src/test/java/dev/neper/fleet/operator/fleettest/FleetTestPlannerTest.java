package dev.neper.fleet.operator.fleettest;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.FleetPhase;
import dev.neper.fleet.operator.api.LinkResult;
import dev.neper.fleet.operator.api.LinkVerdict;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.Pair;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.api.ValidationResult;
import dev.neper.fleet.operator.exclusion.Holder;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.fleettest.discovery.RunRecord;
import dev.neper.fleet.operator.plan.Admission;
import dev.neper.fleet.operator.plan.TestPlan.Leases;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import dev.neper.fleet.operator.testing.FleetNetwork;
import dev.neper.fleet.operator.testing.FleetSpecBuilder;
import dev.neper.fleet.runner.contract.ErrorKind;
import dev.neper.fleet.runner.contract.NodeTopologies;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.ReportJson;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import dev.neper.fleet.operator.api.FleetHistory;
import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.fleettest.schedule.RunTrigger;
import dev.neper.fleet.operator.fleettest.status.FleetStatusAggregator;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.fleettest.marking.PatchedNodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet run's decisions as a pure function, driven through a whole run against an in-memory cluster
 * (the plan's objects made, a kubelet answering them from a simulated network): the run is named before
 * anything exists, discovery makes one pod per testable node and the record before Running, each wave
 * waits for the last, a planner that starts afresh (an operator restart) decides what the first one
 * would have from the children alone, and the verdicts name the injected faults.
 */
@Tag("unit")
class FleetTestPlannerTest {
    private static final Instant T0 = Instant.parse("2026-01-15T02:00:00Z");
    private static final String IMAGE = "registry.test/runner:1";

    /** A cluster as the planner sees it, moved by the plans it is given. */
    private static final class Cluster {
        final NeperFleetTest fleet;
        final List<Node> nodes = new ArrayList<>();
        final List<Pod> pods = new ArrayList<>();
        final List<NeperTest> children = new ArrayList<>();
        final List<ConfigMap> records = new ArrayList<>();
        final FleetNetwork network;
        Instant now = T0;

        Cluster(FleetNetwork network, NeperFleetTest fleet) {
            this.network = network;
            this.fleet = fleet;
            fleet.getMetadata().setNamespace("unit");
            fleet.getMetadata().setUid("uid-fleet");
            fleet.getMetadata().setGeneration(1L);
            fleet.getMetadata().setCreationTimestamp(T0.toString());
            for (String name : network.nodeNames()) {
                nodes.add(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());
            }
        }

        FleetObservation observe() {
            return FleetObservation.of(nodes, pods, children, records);
        }

        /** One reconcile, as the reconciler makes it: the trigger, the stage, admission if asked, the plan. */
        FleetTestPlan step(FleetTestPlanner planner) {
            RunTrigger trigger = RunTrigger.decide(fleet, now);
            FleetObservation observed = observe();
            FleetStage stage = planner.stage(fleet, trigger, observed, now);
            Admission admission = FleetTestPlanner.needsAdmission(fleet, stage, observed, trigger)
                    ? Admission.of(Optional.empty()) : Admission.NOT_ASKED;
            FleetTestPlan plan = planner.plan(fleet, stage, observed, admission, 42, trigger, now);
            apply(plan);
            return plan;
        }

        /** Steps until a new run ends, the kubelet answering everything each time; the last plan. */
        FleetTestPlan runToEnd(FleetTestPlanner planner) {
            String before = fleet.getStatus() == null ? null : fleet.getStatus().runId();
            for (int i = 0; i < 100; i++) {
                FleetTestPlan plan = step(planner);
                runEverything();
                if (plan.status().phase() != null && plan.status().phase().isTerminal()
                        && !java.util.Objects.equals(before, plan.status().runId())) {
                    return plan;
                }
            }
            throw new AssertionError("no end: " + fleet.getStatus());
        }

        void apply(FleetTestPlan plan) {
            if (plan.record() != null) {
                plan.record().getMetadata().setUid(UUID.randomUUID().toString());
                records.add(plan.record());
            }
            pods.addAll(plan.pods());
            for (NeperTest child : plan.children()) {
                child.getMetadata().setUid(UUID.randomUUID().toString());
                children.add(child);
            }
            if (plan.deleteDiscoveryPods()) {
                pods.clear();
            }
            for (HasMetadata gone : plan.delete()) {
                pods.remove(gone);
                children.remove(gone);
                records.remove(gone);
            }
            fleet.setStatus(plan.status());
            now = now.plusSeconds(1);
        }

        /** The kubelet and the NeperTest controller in one: every pod and child ends, as the network says. */
        void runEverything() {
            for (Pod pod : pods) {
                if (pod.getStatus() == null) {
                    NodeTopology topology = network.topology(pod.getSpec().getNodeName());
                    var container = new ContainerStatusBuilder().withName(RunnerPodTemplate.CONTAINER).withNewState()
                            .withNewTerminated().withExitCode(topology == null ? 1 : 0)
                            .withMessage(topology == null ? "cannot discover"
                                    : ReportJson.toCompactJson(NodeTopologies.compact(topology)))
                            .endTerminated().endState().build();
                    pod.setStatus(new PodStatusBuilder().withPhase(topology == null ? "Failed" : "Succeeded")
                            .withContainerStatuses(container).build());
                }
            }
            for (NeperTest child : children) {
                if (child.getStatus() == null) {
                    child.setStatus(ended(child));
                }
            }
        }

        private NeperTestStatus ended(NeperTest child) {
            List<PairStatus> pairs = new ArrayList<>();
            boolean allPassed = true;
            for (Pair pair : child.getSpec().pairList()) {
                List<LinkResult> links = new ArrayList<>();
                boolean pairPassed = true;
                for (var link : pair.linkList()) {
                    FleetNetwork.Outcome o = network.link(pair.server().node(), pair.client().node(), link.device());
                    boolean passed = o.error() == null;
                    pairPassed &= passed;
                    links.add(new LinkResult(link.device(), o.gbps(), passed ? LinkVerdict.Passed : LinkVerdict.Failed,
                            ValidationResult.Off, null, null, passed ? null : "server " + link.device() + ": "
                            + o.error() + ": " + o.message()));
                }
                allPassed &= pairPassed;
                pairs.add(new PairStatus(pair.server().node(), pair.client().node(),
                        pairPassed ? PairPhase.Succeeded : PairPhase.Failed, pairPassed ? null : "RunnerFailed", null, links));
            }
            return NeperTestStatus.builder().phase(allPassed ? TestPhase.Succeeded : TestPhase.Failed)
                    .reason(allPassed ? Reason.Succeeded : Reason.LinksFailed).pairs(pairs).build();
        }
    }

    private static FleetTestPlanner planner() {
        return new FleetTestPlanner(IMAGE, Duration.ofSeconds(5), RunRecord::read);
    }

    private static FleetNetwork network() {
        return new FleetNetwork("plan", 10, 2).bad(3).failing(6, "eth2", ErrorKind.LINK_DOWN);
    }

    private static Cluster cluster(FleetNetwork network) {
        return new Cluster(network, FleetSpecBuilder.fleetSpec().selector(Map.of()).exclude("plan-10").named("nightly"));
    }

    @Test
    void aScheduledTestWaitsForItsTimeRunsAgainKeepsItsLastRunsAndRunsNowOnANewValue() {
        Cluster cluster = new Cluster(network(), FleetSpecBuilder.fleetSpec().selector(Map.of()).exclude("plan-10")
                .schedule(new FleetSchedule("0 * * * *", null, null, 600L)).history(new FleetHistory(2, null, null))
                .named("hourly"));
        FleetTestPlanner planner = planner();
        FleetTestPlan waiting = cluster.step(planner);
        assertEquals(FleetPhase.Pending, waiting.status().phase());
        assertEquals("Scheduled", waiting.status().reason());
        assertEquals("2026-01-15T03:00:00Z", waiting.status().nextRunTime());
        assertEquals(Instant.parse("2026-01-15T03:00:00Z"), waiting.wakeAt());

        List<String> runs = new ArrayList<>();
        for (int hour = 3; hour <= 5; hour++) {
            cluster.now = Instant.parse("2026-01-15T0" + hour + ":00:05Z");
            FleetTestPlan end = cluster.runToEnd(planner);
            assertEquals(FleetPhase.Completed, end.status().phase(), end.status().message());
            runs.add(end.status().runId());
            assertEquals("2026-01-15T0" + hour + ":00:00Z", end.status().schedule().lastScheduleTime());
            assertEquals("FaultsFound", end.status().lastResult());
            FleetTestPlan idle = cluster.step(planner);
            assertEquals(FleetPhase.Completed, idle.status().phase(), "no second run for the same time");
        }
        NeperFleetTestStatus status = cluster.fleet.getStatus();
        assertEquals(runs.subList(1, 3), status.history().stream().map(h -> h.runId()).toList());
        assertEquals(List.of("plan-3", "plan-6"), status.history().getLast().faultyNodes());
        assertEquals(Set.copyOf(runs.subList(1, 3)), Set.copyOf(cluster.children.stream()
                .map(c -> c.getMetadata().getLabels().get(FleetLabels.RUN)).toList()), "only the kept runs' children");
        assertEquals(2, cluster.records.size());

        // a time missed by more than the starting deadline is skipped and recorded
        cluster.now = Instant.parse("2026-01-15T06:30:00Z");
        FleetTestPlan missed = cluster.step(planner);
        assertEquals("2026-01-15T06:00:00Z", missed.status().schedule().lastMissed());
        assertEquals(FleetPhase.Completed, missed.status().phase());

        cluster.fleet.getMetadata().setAnnotations(Map.of(FleetSchedule.RUN_NOW, "now-1"));
        FleetTestPlan trim = cluster.step(planner);
        assertTrue(trim.delete().stream().allMatch(o -> runs.get(1).equals(o.getMetadata().getLabels().get(FleetLabels.RUN))),
                "the oldest kept run's objects go first, making room: " + trim.delete());
        FleetTestPlan now = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, now.status().phase());
        assertEquals("now-1", now.status().schedule().runNowHandled());
        assertEquals("20260115-063002", now.status().runId());
    }

    @Test
    void aRunThatEndsAfterItsSuccessorsTimeMarksItsNodesBeforeTheNextRunStarts() {
        Cluster cluster = new Cluster(network(), FleetSpecBuilder.fleetSpec().selector(Map.of()).exclude("plan-10")
                .schedule(new FleetSchedule("* * * * *", null, null, 20L))
                .marking(new FleetMarking(false, true, null, 100, 10)).named("every-minute"));
        FleetTestPlanner planner = planner();
        cluster.now = Instant.parse("2026-01-15T03:00:50Z");
        cluster.step(planner);
        cluster.now = Instant.parse("2026-01-15T03:01:00Z");
        FleetTestPlan end = cluster.runToEnd(planner);
        assertTrue(cluster.now.isAfter(Instant.parse("2026-01-15T03:01:00Z")), "the run ends after 03:01, its successor's time");
        cluster.now = Instant.parse("2026-01-15T03:02:05Z");
        assertEquals(FleetStage.Kind.START, FleetStage.of(cluster.fleet, RunTrigger.decide(cluster.fleet, cluster.now)).kind(),
                "the 03:02 run is due");

        FleetTestPlan marking = cluster.step(planner);
        assertEquals(end.status().runId(), marking.status().runId(), "no new run yet");
        assertTrue(marking.pods().isEmpty() && marking.children().isEmpty());
        assertTrue(marking.marks().stream().anyMatch(m -> m.node().getMetadata().getName().equals("plan-3")
                && m.change().taintAdded() != null), "the faulty node's taint is written first: " + marking.marks());

        cluster.nodes.replaceAll(node -> marking.marks().stream().filter(m -> m.node() == node).findFirst()
                .map(m -> PatchedNodes.apply(node, m.change())).orElse(node));
        FleetTestPlan next = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, next.status().phase(), "with the marks on the nodes the due run starts");
    }

    /** A fleet test after its first run, kept, as the planner has it. */
    private static Cluster afterOneRun(FleetTestPlanner planner) {
        Cluster cluster = new Cluster(network(), FleetSpecBuilder.fleetSpec().selector(Map.of()).exclude("plan-10")
                .history(new FleetHistory(2, null, null)).named("again"));
        cluster.runToEnd(planner);
        return cluster;
    }

    /**
     * A run-now that found its nodes held for a moment at {@code at}: Pending, no run named, the kept run's
     * objects still there.
     */
    private static void runNowWaitedForNodes(Cluster cluster, Instant at) {
        cluster.fleet.setStatus(FleetStatusAggregator.waiting(cluster.fleet, cluster.fleet.getStatus(),
                "NeperTest unit/other", "waiting for NeperTest unit/other", at));
        cluster.fleet.getMetadata().setAnnotations(Map.of(FleetSchedule.RUN_NOW, "again-1"));
        cluster.now = at;
    }

    @Test
    void aRunNowThatWaitedForNodesBetweenRunsStartsOnceTheyAreFree() {
        FleetTestPlanner planner = planner();
        Cluster cluster = afterOneRun(planner);
        runNowWaitedForNodes(cluster, cluster.now);
        assertTrue(!cluster.children.isEmpty() && cluster.fleet.getStatus().runId() == null);

        FleetTestPlan next = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, next.status().phase(), "the kept run's objects are not a newer run's: "
                + next.status().message());
    }

    @Test
    void aRunNowInTheSecondTheLastRunStartedWaitsForTheNextSecondThoughItWaitedForNodesMeanwhile() {
        FleetTestPlanner planner = planner();
        Cluster cluster = afterOneRun(planner);
        NeperFleetTestStatus first = cluster.fleet.getStatus();
        runNowWaitedForNodes(cluster, Instant.parse(first.startTime()).plusMillis(500));

        FleetTestPlan held = cluster.step(planner);
        assertEquals(FleetPhase.Pending, held.status().phase(), "no second run named " + first.runId());
        assertEquals(Instant.parse(first.startTime()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusSeconds(1), held.wakeAt());
        cluster.now = held.wakeAt();
        FleetTestPlan next = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, next.status().phase(), next.status().message());
        assertTrue(next.status().runId().compareTo(first.runId()) > 0, next.status().runId());
    }

    @Test
    void theRunIsNamedBeforeAnythingIsMadeAndDiscoveryMakesOnePodPerTestableNode() {
        Cluster cluster = cluster(network());
        cluster.nodes.set(8, new NodeBuilder(cluster.nodes.get(8)).editOrNewSpec().withUnschedulable(true).endSpec().build());
        FleetTestPlanner planner = planner();

        FleetTestPlan start = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, start.status().phase());
        assertEquals("20260115-020000", start.status().runId());
        assertEquals(7L, start.status().seed(), "the spec's seed");
        assertTrue(start.pods().isEmpty() && start.children().isEmpty() && start.record() == null, "nothing made yet");
        assertEquals(Leases.KEEP, start.leases(), "the validate step took the nodes");

        FleetTestPlan discover = cluster.step(planner);
        assertEquals(8, discover.pods().size(), "10 nodes, one excluded, one cordoned");
        Pod pod = discover.pods().getFirst();
        assertEquals("nightly-20260115-020000-discover-plan-1", pod.getMetadata().getName());
        assertEquals(List.of("discover", "--termination-summary", "/tmp/neper-termination-log"),
                pod.getSpec().getContainers().getFirst().getArgs(), "host mode: no preflight");
        assertEquals(Boolean.TRUE, pod.getSpec().getHostNetwork());
        assertEquals(List.of("ALL"), pod.getSpec().getContainers().getFirst().getSecurityContext().getCapabilities().getDrop());
        assertEquals(FleetLabels.DISCOVERY, pod.getMetadata().getLabels().get(FleetLabels.COMPONENT));
        assertEquals("nightly", pod.getMetadata().getOwnerReferences().getFirst().getName());
        assertEquals(Leases.HOLD, discover.leases());

        FleetTestPlan waiting = cluster.step(planner);
        assertEquals(List.of(), waiting.pods(), "no second pod for a node");
        assertEquals(FleetPhase.Discovering, waiting.status().phase());

        cluster.runEverything();
        FleetTestPlan discovered = cluster.step(planner);
        assertNotNull(discovered.record(), "the record is written with the status that names it");
        assertEquals(FleetPhase.Running, discovered.status().phase());
        assertEquals(8, discovered.status().discovery().testable());
        assertEquals(2, discovered.status().discovery().skipped());
        assertEquals("nightly-20260115-020000", discovered.status().discovery().record());
        assertEquals(List.of(), discovered.children(), "the first wave waits for the status to say Running");
        assertEquals(List.of(), discovered.delete());
        assertFalse(discovered.deleteDiscoveryPods(), "discovery pods stay until the record is written");

        FleetTestPlan first = cluster.step(planner);
        assertTrue(first.deleteDiscoveryPods(), "the record holds what the pods said: the pods go, in one request");
        assertEquals(List.of("nightly-20260115-020000-r1w1-p1"),
                first.children().stream().map(c -> c.getMetadata().getName()).toList());
        NeperTest child = first.children().getFirst();
        assertEquals(4, child.getSpec().pairList().size());
        assertEquals("1", child.getMetadata().getLabels().get(FleetLabels.ROUND));
        assertEquals(Labels.MANAGED_BY_VALUE, child.getMetadata().getLabels().get(Labels.MANAGED_BY));
        assertNull(child.getSpec().thresholds());
        assertEquals(Integer.valueOf(1), first.status().progress().round());
    }

    @Test
    void aPlannerStartedAfreshDecidesFromTheChildrenWhatTheFirstWouldHaveAndTheVerdictsNameTheFaults() {
        Cluster cluster = cluster(network());
        FleetTestPlanner planner = planner();
        FleetTestPlan plan = null;
        int steps = 0;
        Set<String> created = new TreeSet<>();
        while (cluster.fleet.getStatus() == null || !cluster.fleet.getStatus().phase().isTerminal()) {
            assertTrue(++steps < 100, "the run ends");
            // an operator restarted before this reconcile has only the cluster: it decides the same
            FleetStage stage = FleetStage.of(cluster.fleet);
            FleetObservation observed = cluster.observe();
            Admission admission = FleetTestPlanner.needsAdmission(stage, observed) ? Admission.of(Optional.empty())
                    : Admission.NOT_ASKED;
            FleetTestPlan afresh = planner().plan(cluster.fleet, stage, observed, admission, 42, cluster.now);
            plan = cluster.step(planner);
            assertEquals(names(plan.children()), names(afresh.children()));
            assertEquals(plan.status(), afresh.status());
            plan.children().forEach(c -> created.add(c.getMetadata().getName()));
            cluster.runEverything();
        }
        assertEquals(FleetPhase.Completed, plan.status().phase(), plan.status().message());
        assertEquals(Leases.RELEASE, plan.leases());
        var faulty = plan.status().summary().faulty();
        assertEquals(List.of("plan-10 Skipped", "plan-3 NodeFault", "plan-6 LinkFault"),
                faulty.stream().map(n -> n.node() + " " + n.verdict()).sorted().toList());
        assertEquals("7/10", plan.status().healthy());
        assertEquals(2, plan.status().faults());
        assertTrue(created.stream().anyMatch(n -> n.contains("-r2w")), created.toString());
        assertEquals(created.size(), cluster.children.size(), "every child stays with its results");
    }

    @Test
    void aRunWithoutItsRecordFailsNamingItAndALostChildIsNotRecreatedBlindly() {
        Cluster cluster = cluster(network());
        FleetTestPlanner planner = planner();
        while (cluster.children.isEmpty()) {
            cluster.step(planner);
            cluster.runEverything();
        }
        cluster.records.clear();
        FleetTestPlan lost = cluster.step(planner);
        assertEquals(FleetPhase.Failed, lost.status().phase());
        assertEquals(Reason.RecordLost.name(), lost.status().reason());
        assertTrue(lost.status().message().contains("ConfigMap nightly-20260115-020000"), lost.status().message());
        assertEquals(Leases.RELEASE, lost.leases());
    }

    @Test
    void aSpecChangedMidRunStopsTheRunAndStartsAgain() {
        Cluster cluster = cluster(network());
        FleetTestPlanner planner = planner();
        while (cluster.children.isEmpty()) {
            cluster.step(planner);
            cluster.runEverything();
        }
        cluster.fleet.getMetadata().setGeneration(2L);
        assertEquals(FleetStage.Kind.RESTART, FleetStage.of(cluster.fleet).kind());
        List<HasMetadata> made = new ArrayList<>(cluster.children);
        made.addAll(cluster.records);
        FleetTestPlan stopping = cluster.step(planner);
        assertTrue(stopping.delete().containsAll(made), "the abandoned run's children and record go");
        assertEquals(FleetPhase.Running, stopping.status().phase(), "the status still says so until they are gone");
        FleetTestPlan restarted = cluster.step(planner);
        assertEquals(FleetPhase.Pending, restarted.status().phase());
        assertEquals(Reason.RunRestarted.name(), restarted.status().reason());
        assertTrue(cluster.children.isEmpty() && cluster.pods.isEmpty() && cluster.records.isEmpty());
        FleetTestPlan again = cluster.step(planner);
        assertEquals(FleetPhase.Discovering, again.status().phase());
    }

    @Test
    void aNeperTestOrARunThatHoldsANodeKeepsTheRunWaitingAndARunsChildrenUseItsNodes() {
        NodeLeases leases = new NodeLeases();
        Holder fleet = new Holder("NeperFleetTest", new ResourceID("nightly", "unit"));
        var fleetClaim = new dev.neper.fleet.operator.exclusion.Claim(fleet, Set.of("a", "b", "c", "d"), false, true, false,
                T0, null);
        var runningTest = new dev.neper.fleet.operator.exclusion.Claim(new Holder("NeperTest",
                new ResourceID("pair", "unit")), Set.of("b", "x"), true, false, false, T0.minusSeconds(60), null);
        var blocked = leases.tryAcquire(fleetClaim, java.util.stream.Stream.of(runningTest));
        assertEquals("NeperTest unit/pair", blocked.orElseThrow().describe());
        assertEquals(Set.of("b"), blocked.get().nodes());
        assertTrue(leases.tryAcquire(fleetClaim, java.util.stream.Stream.of()).isEmpty());

        var child = new dev.neper.fleet.operator.exclusion.Claim(new Holder("NeperTest",
                new ResourceID("nightly-r1w1-p1", "unit")), Set.of("a", "b"), false, true, false, T0.plusSeconds(5), fleet);
        var olderWaiter = new dev.neper.fleet.operator.exclusion.Claim(new Holder("NeperTest",
                new ResourceID("other", "unit")), Set.of("a"), false, true, false, T0.minusSeconds(1), null);
        var active = new dev.neper.fleet.operator.exclusion.Claim(fleet, Set.of("a", "b", "c", "d"), true, false, false,
                T0, null);
        assertTrue(leases.tryAcquire(child, java.util.stream.Stream.of(active, olderWaiter)).isEmpty(),
                "its run holds the nodes: neither the run nor a test waiting for the run blocks the child");
        var outsider = leases.tryAcquire(olderWaiter, java.util.stream.Stream.of(active, child));
        assertTrue(outsider.isPresent(), "an outsider waits for the run or its child");
    }

    private static List<String> names(List<NeperTest> tests) {
        return tests.stream().map(t -> t.getMetadata().getName()).toList();
    }
}
