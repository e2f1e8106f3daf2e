package dev.neper.fleet.operator.plan;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.api.NeperTestStatus;
import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.PairStatus;
import dev.neper.fleet.operator.api.PodSettings;
import dev.neper.fleet.operator.api.PodSettings.KeepPods;
import dev.neper.fleet.operator.api.Reason;
import dev.neper.fleet.operator.api.TestConditions;
import dev.neper.fleet.operator.api.TestPhase;
import dev.neper.fleet.operator.exclusion.Holder;
import dev.neper.fleet.operator.exclusion.NodeLeases;
import dev.neper.fleet.operator.observe.PodState;
import dev.neper.fleet.operator.observe.TestObservation;
import dev.neper.fleet.operator.plan.TestPlan.Leases;
import dev.neper.fleet.operator.plan.TestStage.Kind;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.record.Conditions;
import dev.neper.fleet.operator.testing.RunnerPods;
import dev.neper.fleet.operator.testing.SpecBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test-level decisions as pure functions: which stage a test is in, when a run restarts or
 * ends, which pods to create and to delete (only those whose reason is already written), the hold on
 * the nodes, and when to look again.
 */
@Tag("unit")
class TestPlannerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TestPlanner PLANNER = new TestPlanner("registry.test/runner:1", Duration.ofSeconds(5));

    @Test
    void theStageFollowsThePhaseAndWhetherTheSpecChanged() {
        assertEquals(new TestStage(Kind.START, 1), TestStage.of(test(1, null)));
        assertEquals(new TestStage(Kind.START, 1), TestStage.of(test(1, status(TestPhase.Pending, Reason.WaitingForNodes, 1))));
        assertEquals(new TestStage(Kind.RUN, 1), TestStage.of(test(1, status(TestPhase.Running, Reason.ClientsStarted, 1))));
        assertEquals(new TestStage(Kind.RESTART, 1), TestStage.of(test(2, status(TestPhase.Starting, Reason.Started, 1))));
        assertEquals(new TestStage(Kind.ENDED, 1), TestStage.of(test(2, status(TestPhase.Succeeded, Reason.Succeeded, 1))));
        assertEquals(new TestStage(Kind.START, 2), TestStage.of(test(2, status(TestPhase.Failed, Reason.InvalidSpec, 1))),
                "a refused spec that was edited is tried again");
    }

    @Test
    void onlyATestAboutToStartIsValidated() {
        NeperTest fresh = test(1, null);
        assertTrue(TestPlanner.needsAdmission(TestStage.of(fresh), observe(fresh)));
        assertFalse(TestPlanner.needsAdmission(TestStage.of(fresh), observe(fresh, pod(fresh, 0, Role.SERVER, null))),
                "pods of an abandoned run go first");
        NeperTest running = test(1, status(TestPhase.Running, Reason.ClientsStarted, 1));
        assertFalse(TestPlanner.needsAdmission(TestStage.of(running), observe(running)));
    }

    @Test
    void anAdmittedTestCreatesItsServersAndAWaitingOneNamesWhatItWaitsFor() {
        NeperTest test = test(1, null);
        TestPlan admitted = plan(test, Admission.of(Optional.empty()));
        assertEquals(List.of("plan-server-0", "plan-server-1"), names(admitted.create()));
        assertEquals(TestPhase.Starting, admitted.status().phase());
        assertEquals(T0.plusSeconds(60), admitted.wakeAt(), "the start deadline");

        NodeLeases.Blocker blocker = new NodeLeases.Blocker(new Holder("NeperTest", new ResourceID("first", "unit")),
                new TreeSet<>(Set.of("s0", "s1", "c0", "c1")));
        TestPlan waiting = plan(test, Admission.of(Optional.of(blocker)));
        assertEquals(List.of(), waiting.create());
        assertEquals("unit/first", waiting.status().waitingFor());
        assertEquals("waiting for NeperTest unit/first, which uses nodes c0, c1, s0 and 1 more", waiting.status().message());
        assertEquals(T0.plusSeconds(5), waiting.wakeAt());
        assertEquals(Leases.KEEP, waiting.leases());
    }

    @Test
    void aRefusedSpecSchedulesNothingAndNeitherHoldsNorWaits() {
        TestPlan refused = plan(test(1, null), Admission.refused(List.of("spec.pairs[0].links: at least one link")));
        assertEquals(TestPhase.Failed, refused.status().phase());
        assertEquals(Reason.InvalidSpec.name(), refused.status().reason());
        assertEquals(List.of(), refused.create());
        assertEquals(Leases.FORGET, refused.leases());
        assertNull(refused.wakeAt());
    }

    @Test
    void podsOfAnAbandonedRunGoBeforeAnythingStarts() {
        NeperTest test = test(2, status(TestPhase.Pending, Reason.RunRestarted, 2));
        Pod old = pod(test(1, null), 0, Role.SERVER, terminated(0));
        TestPlan plan = PLANNER.plan(test, TestStage.of(test), observe(test, old), Admission.NOT_ASKED, T0);
        assertEquals(List.of(old), plan.delete());
        assertSame(test.getStatus(), plan.status(), "nothing new to say");
        assertEquals(T0.plus(TestPlanner.DELETION_POLL), plan.wakeAt());
    }

    @Test
    void aRunningTestHoldsItsNodesAndStopsOnlyThePodsOfPairsWhoseFailureIsWritten() {
        NeperTestStatus persisted = status(TestPhase.Running, Reason.ClientsStarted, 1, PairPhase.Failed, PairPhase.Running);
        NeperTest test = test(1, persisted);
        Pod failedServer = pod(test, 0, Role.SERVER, running());
        Pod liveServer = pod(test, 1, Role.SERVER, running());
        Pod liveClient = pod(test, 1, Role.CLIENT, running());
        TestPlan plan = PLANNER.plan(test, TestStage.of(test), observe(test, failedServer, liveServer, liveClient),
                Admission.NOT_ASKED, T0.plusSeconds(10));
        assertEquals(List.of(failedServer), plan.delete());
        assertEquals(Leases.HOLD, plan.leases());
        assertEquals(List.of(), plan.create());
        assertEquals(TestPhase.Running, plan.status().phase());
    }

    @Test
    void theSpecChangingDuringTheRunStopsEveryPodThenStartsOverWithTheNewSpec() {
        NeperTest edited = test(2, status(TestPhase.Running, Reason.ClientsStarted, 1, PairPhase.Running, PairPhase.Running));
        Pod server = pod(test(1, null), 0, Role.SERVER, running());
        TestPlan stopping = PLANNER.plan(edited, TestStage.of(edited), observe(edited, server), Admission.NOT_ASKED, T0);
        assertEquals(List.of(server), stopping.delete());
        assertSame(edited.getStatus(), stopping.status());
        assertEquals(Leases.KEEP, stopping.leases(), "the nodes stay the test's while its old pods run");

        TestPlan restarted = PLANNER.plan(edited, TestStage.of(edited), observe(edited), Admission.NOT_ASKED, T0);
        assertEquals(Leases.RELEASE, restarted.leases());
        assertEquals(TestPhase.Pending, restarted.status().phase());
        assertEquals(Reason.RunRestarted.name(), restarted.status().reason());
        assertTrue(restarted.status().message().contains("from generation 1 to 2"), restarted.status().message());
        assertEquals(T0, restarted.wakeAt());
    }

    @Test
    void anEndedTestStopsWhatRunsAndKeepsEndedPodsPerItsKeepPolicy() {
        NeperTestStatus failed = status(TestPhase.Failed, Reason.RunnerFailed, 1, PairPhase.Failed, PairPhase.Succeeded);
        NeperTest keepOnFailure = test(1, failed);
        Pod ended = pod(keepOnFailure, 0, Role.SERVER, terminated(1));
        Pod stillRunning = pod(keepOnFailure, 1, Role.CLIENT, running());
        TestPlan kept = PLANNER.plan(keepOnFailure, TestStage.of(keepOnFailure), observe(keepOnFailure, ended, stillRunning),
                Admission.NOT_ASKED, T0);
        assertEquals(List.of(stillRunning), kept.delete(), "a failed test keeps its ended pods for their logs");
        assertEquals(Leases.HOLD, kept.leases(), "its nodes are its own until its pods stopped");
        assertEquals(T0.plus(TestPlanner.DELETION_POLL), kept.wakeAt());

        NeperTest keepNever = test(1, failed, KeepPods.Never);
        Pod endedToo = pod(keepNever, 0, Role.SERVER, terminated(1));
        TestPlan gone = PLANNER.plan(keepNever, TestStage.of(keepNever), observe(keepNever, endedToo), Admission.NOT_ASKED, T0);
        assertEquals(List.of(endedToo), gone.delete());
        assertEquals(Leases.RELEASE, gone.leases());
        assertNull(gone.wakeAt());
        assertSame(keepNever.getStatus(), gone.status());
    }

    @Test
    void anEditAfterTheEndRunsNothingAndSaysSo() {
        NeperTest edited = test(2, status(TestPhase.Succeeded, Reason.Succeeded, 1, PairPhase.Succeeded, PairPhase.Succeeded));
        TestPlan plan = PLANNER.plan(edited, TestStage.of(edited), observe(edited), Admission.NOT_ASKED, T0);
        assertEquals(List.of(), plan.create());
        assertEquals(TestPhase.Succeeded, plan.status().phase());
        assertTrue(Conditions.isTrue(plan.status().conditions(), TestConditions.SPEC_CHANGED));
    }

    private static TestPlan plan(NeperTest test, Admission admission) {
        return PLANNER.plan(test, TestStage.of(test), observe(test), admission, T0);
    }

    private static NeperTest test(long generation, NeperTestStatus status) {
        return test(generation, status, null);
    }

    private static NeperTest test(long generation, NeperTestStatus status, KeepPods keep) {
        NeperTest test = SpecBuilder.spec().pair("s0", "c0", 1).pair("s1", "c1", 1).deadlines("1m", "10m")
                .pods(new PodSettings(null, null, keep)).stored("plan", generation);
        test.setStatus(status);
        return test;
    }

    private static NeperTestStatus status(TestPhase phase, Reason reason, long generation, PairPhase... pairs) {
        List<PairStatus> pairStatus = new ArrayList<>();
        for (int i = 0; i < pairs.length; i++) {
            boolean failed = pairs[i] == PairPhase.Failed;
            pairStatus.add(new PairStatus("s" + i, "c" + i, pairs[i], failed ? Reason.RunnerFailed.name() : null,
                    failed ? "boom" : null, List.of()));
        }
        return NeperTestStatus.builder().phase(phase).reason(reason).message(phase.name())
                .startTime(phase.isActive() || phase.isTerminal() ? T0.toString() : null)
                .observedGeneration(generation).pairs(pairs.length == 0 ? null : pairStatus).build();
    }

    private static TestObservation observe(NeperTest test, Pod... pods) {
        return TestObservation.of(List.of(pods), TestStage.of(test).runGeneration(), Set.of(), node -> true);
    }

    private static Pod pod(NeperTest test, int pair, Role role, PodStatus status) {
        return RunnerPods.labelled(test, pair, role, T0, status);
    }

    private static PodStatus running() {
        return RunnerPods.withRunner("Running", new ContainerStatusBuilder().withReady(true)
                .withNewState().withNewRunning().endRunning().endState()).build();
    }

    private static PodStatus terminated(int exitCode) {
        return RunnerPods.withRunner(exitCode == 0 ? "Succeeded" : "Failed", new ContainerStatusBuilder().withReady(false)
                .withNewState().withNewTerminated().withExitCode(exitCode).withMessage("log tail").endTerminated()
                .endState()).build();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }
}
