package dev.neper.fleet.local.agent;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Instant;
import java.util.List;

/** Pod status as the kubelet writes it: phase, PodScheduled and Ready conditions, the container's state. */
final class PodStatuses {
    private PodStatuses() {
    }

    static PodStatus running(Pod pod, String hostIp, Instant started, boolean ready) {
        ContainerStatus container = container(pod, ready).withNewState().withNewRunning()
                .withStartedAt(started.toString()).endRunning().endState().build();
        return status(pod, "Running", hostIp, started, ready, container);
    }

    static PodStatus terminated(Pod pod, String hostIp, Instant started, int exitCode, String message) {
        ContainerStatus container = container(pod, false).withNewState().withNewTerminated()
                .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message)
                .withStartedAt(started.toString()).withFinishedAt(Instant.now().toString()).endTerminated().endState()
                .build();
        return status(pod, exitCode == 0 ? "Succeeded" : "Failed", hostIp, started, false, container);
    }

    /** The container waits to be created, e.g. for an image the node does not have ({@code ErrImageNeverPull}). */
    static PodStatus waiting(Pod pod, String hostIp, String reason, String message) {
        ContainerStatus container = container(pod, false).withStarted(false).withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().build();
        return status(pod, "Pending", hostIp, Instant.now(), false, container);
    }

    /** The container could not be started at all (e.g. its command is not one the agent can run). */
    static PodStatus failedToStart(Pod pod, String hostIp, String reason, String message) {
        ContainerStatus container = container(pod, false).withNewState().withNewTerminated().withExitCode(128)
                .withReason(reason).withMessage(message).withFinishedAt(Instant.now().toString()).endTerminated()
                .endState().build();
        return status(pod, "Failed", hostIp, Instant.now(), false, container);
    }

    private static ContainerStatusBuilder container(Pod pod, boolean ready) {
        var spec = pod.getSpec().getContainers().getFirst();
        return new ContainerStatusBuilder().withName(spec.getName()).withImage(spec.getImage()).withReady(ready)
                .withRestartCount(0).withStarted(true);
    }

    private static PodStatus status(Pod pod, String phase, String hostIp, Instant started, boolean ready,
                                    ContainerStatus container) {
        return new PodStatusBuilder().withPhase(phase).withHostIP(hostIp).withPodIP(hostIp)
                .withStartTime(started.toString()).withConditions(conditions(ready)).withContainerStatuses(container)
                .build();
    }

    private static List<PodCondition> conditions(boolean ready) {
        String now = Instant.now().toString();
        return List.of(
                new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).build(),
                new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                        .withLastTransitionTime(now).build());
    }
}
