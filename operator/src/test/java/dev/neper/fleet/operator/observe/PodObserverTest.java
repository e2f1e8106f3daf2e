package dev.neper.fleet.operator.observe;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.testing.RunnerPods;
import dev.neper.fleet.operator.testing.RunnerReports;
import dev.neper.fleet.operator.testing.SpecBuilder;
import dev.neper.fleet.runner.contract.LinkSummary;
import dev.neper.fleet.runner.contract.ReportJson;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a runner pod's labels and status say, read the way the kubelet writes them. */
@Tag("unit")
class PodObserverTest {
    private static final NeperTest TEST = SpecBuilder.spec().pair("s0", "c0", 2).stored("obs", 1);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:05Z");

    @Test
    void aPodWithoutTheOperatorsLabelsIsNotARunner() {
        Pod stranger = new PodBuilder().withNewMetadata().withName("stranger").endMetadata().build();
        assertTrue(PodObserver.observe(stranger).isEmpty());
        Pod badLabel = observe(null).pod();
        badLabel.getMetadata().getLabels().put("neper.dev/pair", "zero");
        assertTrue(PodObserver.observe(badLabel).isEmpty());
    }

    @Test
    void labelsGiveRolePairGenerationAndCreationTime() {
        ObservedPod pod = observe(null);
        assertEquals(Role.SERVER, pod.role());
        assertEquals(0, pod.pairIndex());
        assertEquals(1, pod.generation());
        assertEquals(CREATED, pod.created());
        assertEquals(PodState.PENDING, pod.state());
        assertEquals("obs-server-0", pod.name());
        assertEquals("s0", pod.node());
    }

    @Test
    void waitingReasonsSortIntoImagePullAndStartFailures() {
        ObservedPod pull = observe(waiting("ImagePullBackOff", "Back-off pulling image"));
        assertEquals(PodState.IMAGE_PULL_FAILED, pull.state());
        assertEquals("ImagePullBackOff: Back-off pulling image", pull.quote());
        assertEquals(PodState.START_FAILED, observe(waiting("CreateContainerError", "no such mount")).state());
        assertEquals(PodState.PENDING, observe(waiting("ContainerCreating", null)).state());
    }

    @Test
    void theSchedulersRefusalIsUnschedulableWithItsMessage() {
        ObservedPod pod = observe(new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/3 nodes are available").build()).build());
        assertEquals(PodState.UNSCHEDULABLE, pod.state());
        assertEquals("Unschedulable: 0/3 nodes are available", pod.quote());
    }

    @Test
    void runningIsReadyOnlyOnceTheReadinessProbePasses() {
        assertEquals(PodState.RUNNING, observe(running(false)).state());
        assertEquals(PodState.READY, observe(running(true)).state());
    }

    @Test
    void anExitWithASummaryIsReadAsTheRunnersReport() {
        String summary = ReportJson.toCompactJson(RunnerReports.server(List.of("eth1", "eth2"), List.of(10.0, 20.0), false));
        ObservedPod pod = observe(terminated("Succeeded", 0, "Completed", summary));
        assertEquals(PodState.SUCCEEDED, pod.state());
        assertEquals(0, pod.exitCode());
        assertEquals(List.of("eth1", "eth2"), pod.summary().links().stream().map(LinkSummary::device).toList());
    }

    @Test
    void anExitWithALogTailHasNoSummaryButKeepsTheText() {
        ObservedPod pod = observe(terminated("Failed", 1, "Error", "Exception in thread main\njava.lang.Error: boom\n"));
        assertEquals(PodState.FAILED, pod.state());
        assertEquals(1, pod.exitCode());
        assertNull(pod.summary());
        assertTrue(pod.terminationMessage().contains("boom"));
        assertNull(PodObserver.parseSummary("{not json"), "a broken summary is no summary");
    }

    @Test
    void aPodEndedWithoutItsContainerEndingWasRejectedOrEvicted() {
        ObservedPod pod = observe(new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
        assertEquals(PodState.REJECTED, pod.state());
        assertEquals("Evicted", pod.reason());
        assertTrue(pod.state().isTerminated());
    }

    @Test
    void aPodBeingDeletedSaysSo() {
        Pod pod = observe(running(true)).pod();
        pod.getMetadata().setDeletionTimestamp("2026-01-01T00:01:00Z");
        assertTrue(PodObserver.observe(pod).orElseThrow().deleting());
    }

    private static ObservedPod observe(PodStatus status) {
        return PodObserver.observe(RunnerPods.labelled(TEST, 0, Role.SERVER, CREATED, status)).orElseThrow();
    }

    private static PodStatus waiting(String reason, String message) {
        return RunnerPods.withRunner("Pending", new ContainerStatusBuilder().withReady(false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()).build();
    }

    private static PodStatus running(boolean ready) {
        return RunnerPods.withRunner("Running", new ContainerStatusBuilder().withReady(ready)
                .withNewState().withNewRunning().endRunning().endState()).build();
    }

    private static PodStatus terminated(String phase, int exitCode, String reason, String message) {
        return RunnerPods.withRunner(phase, new ContainerStatusBuilder().withReady(false)
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                .endTerminated().endState()).build();
    }
}
