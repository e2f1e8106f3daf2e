package dev.neper.fleet.operator.testing;

import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import dev.neper.fleet.runner.contract.NodeSummary;
import dev.neper.fleet.runner.contract.ReportJson;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' kubelet: moves runner pods through their phases by writing pod status the way the
 * kubelet does (phase, conditions, the runner container's state and its termination message).
 */
public final class Kubelet {
    private final KubernetesClient client;
    private final String namespace;

    public Kubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public Pod pod(String name) {
        return client.pods().inNamespace(namespace).withName(name).get();
    }

    /** The container started; for a server, its readiness probe has not passed yet. */
    public void running(String name) {
        write(name, status("Running", conditions(true, false), container(name, false)
                .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState().build()));
    }

    /** The readiness probe passed: the server listens on every link. */
    public void ready(String name) {
        write(name, status("Running", conditions(true, true), container(name, true)
                .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState().build()));
    }

    public void running(List<String> names) {
        names.forEach(this::running);
    }

    public void ready(List<String> names) {
        names.forEach(this::ready);
    }

    /** The runner exited 0 after writing its summary to the termination-message file. */
    public void succeeded(String name, NodeSummary summary) {
        terminated(name, "Succeeded", 0, "Completed", ReportJson.toCompactJson(summary));
    }

    /** The container exited 0 leaving {@code message} in its termination file (a discovery pod's topology). */
    public void terminated(String name, String message) {
        terminated(name, "Succeeded", 0, "Completed", message);
    }

    /** The runner exited with {@code exitCode}; {@code message} is what the kubelet found in the termination file (or logs). */
    public void failed(String name, int exitCode, String reason, String message) {
        terminated(name, "Failed", exitCode, reason, message);
    }

    public void failed(String name, NodeSummary summary) {
        terminated(name, "Failed", 1, "Error", ReportJson.toCompactJson(summary));
    }

    /** The scheduler could not place the pod. */
    public void unschedulable(String name, String message) {
        PodCondition scheduled = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message).withLastTransitionTime(now()).build();
        write(name, new PodStatusBuilder().withPhase("Pending").withConditions(scheduled).build());
    }

    /** The container waits with this reason (ImagePullBackOff, ContainerCreating, CreateContainerError...). */
    public void waiting(String name, String reason, String message) {
        write(name, status("Pending", conditions(true, false), container(name, false)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build()));
    }

    /** The kubelet refused the pod at admission or ended it before its container ran (phase Failed, no container state). */
    public void rejected(String name, String reason, String message) {
        write(name, new PodStatusBuilder().withPhase("Failed").withReason(reason).withMessage(message).build());
    }

    private void terminated(String name, String phase, int exitCode, String reason, String message) {
        ContainerStatus container = container(name, false).withNewState().withNewTerminated()
                .withExitCode(exitCode).withReason(reason).withMessage(message)
                .withStartedAt(now()).withFinishedAt(now()).endTerminated().endState().build();
        write(name, status(phase, conditions(true, false), container));
    }

    private void write(String name, PodStatus status) {
        client.pods().inNamespace(namespace).withName(name).editStatus(pod -> {
            pod.setStatus(status);
            return pod;
        });
    }

    private ContainerStatusBuilder container(String pod, boolean ready) {
        return new ContainerStatusBuilder().withName(RunnerPodTemplate.CONTAINER).withReady(ready)
                .withImage(pod(pod).getSpec().getContainers().getFirst().getImage()).withRestartCount(0);
    }

    private static PodStatus status(String phase, List<PodCondition> conditions, ContainerStatus container) {
        return new PodStatusBuilder().withPhase(phase).withConditions(conditions).withContainerStatuses(container)
                .withStartTime(now()).build();
    }

    private static List<PodCondition> conditions(boolean scheduled, boolean ready) {
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus(scheduled ? "True" : "False")
                .withLastTransitionTime(now()).build());
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(now()).build());
        return conditions;
    }

    private static String now() {
        return Instant.now().toString();
    }
}
