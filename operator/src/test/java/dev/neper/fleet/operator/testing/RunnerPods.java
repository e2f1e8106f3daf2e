package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.api.NeperTest;
import dev.neper.fleet.operator.observe.ObservedPod;
import dev.neper.fleet.operator.observe.PodState;
import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import dev.neper.fleet.runner.contract.NodeSummary;

import java.time.Instant;

/** Runner pods for the plain unit tests: as the operator labels them, and as the operator observes them. */
public final class RunnerPods {
    private RunnerPods() {
    }

    /** A pod of {@code test}'s pair with the operator's labels (generation 1, created at {@code created}) and this status. */
    public static Pod labelled(NeperTest test, int pair, Role role, Instant created, PodStatus status) {
        return new PodBuilder()
                .withNewMetadata()
                    .withName(RunnerPodTemplate.podName(test, pair, role))
                    .withNamespace(test.getMetadata().getNamespace())
                    .withLabels(RunnerPodTemplate.labels(test, pair, role))
                    .withCreationTimestamp(created.toString())
                .endMetadata()
                .withNewSpec().withNodeName(role == Role.SERVER ? "s" + pair : "c" + pair).endSpec()
                .withStatus(status)
                .build();
    }

    /** A container status of the runner container, for {@link #labelled}. */
    public static PodStatusBuilder withRunner(String phase, ContainerStatusBuilder runner) {
        return new PodStatusBuilder().withPhase(phase)
                .withContainerStatuses(runner.withName(RunnerPodTemplate.CONTAINER).build());
    }

    /** An observed pod of pair {@code pair} on node s{pair} or c{pair}, of run generation 1. */
    public static ObservedPod observed(Role role, int pair, PodState state, Instant created) {
        return observed(role, pair, state, created, null, null);
    }

    public static ObservedPod observed(Role role, int pair, PodState state, Instant created, Integer exitCode,
                                       NodeSummary summary) {
        Pod pod = new PodBuilder().withNewMetadata().withName("t-" + role.label() + "-" + pair).endMetadata()
                .withNewSpec().withNodeName((role == Role.SERVER ? "s" : "c") + pair).endSpec().build();
        return new ObservedPod(pod, role, pair, 1, state, null, null, created, false, exitCode,
                summary == null ? null : "{}", summary, null, null);
    }

    /** The same pod with the Kubernetes reason and message it is waiting or ended with. */
    public static ObservedPod because(ObservedPod pod, String reason, String message) {
        return new ObservedPod(pod.pod(), pod.role(), pod.pairIndex(), pod.generation(), pod.state(), reason, message,
                pod.created(), pod.deleting(), pod.exitCode(), pod.terminationMessage(), pod.summary(), pod.signal(),
                pod.finished());
    }

    /** The same pod, ended at {@code finished}. */
    public static ObservedPod finishedAt(ObservedPod pod, Instant finished) {
        return new ObservedPod(pod.pod(), pod.role(), pod.pairIndex(), pod.generation(), pod.state(), pod.reason(),
                pod.message(), pod.created(), pod.deleting(), pod.exitCode(), pod.terminationMessage(), pod.summary(),
                pod.signal(), finished);
    }
}
