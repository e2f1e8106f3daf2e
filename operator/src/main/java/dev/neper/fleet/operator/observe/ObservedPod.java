package dev.neper.fleet.operator.observe;

import dev.neper.fleet.operator.pods.Role;
import dev.neper.fleet.runner.contract.NodeSummary;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;

/**
 * A runner pod as the operator sees it. {@code reason} and {@code message} quote Kubernetes (a
 * waiting or termination reason, the scheduler's or kubelet's message); {@code terminationMessage}
 * is the container's, and {@code summary} its parse as the runner's node summary (null when it is
 * not one, e.g. the log tail of a runner that died early). {@code signal} is the signal that ended
 * the container where the kubelet says (its terminated state's signal field), and {@code finished}
 * when it ended.
 */
public record ObservedPod(Pod pod, Role role, int pairIndex, long generation, PodState state, String reason,
                          String message, Instant created, boolean deleting, Integer exitCode,
                          String terminationMessage, NodeSummary summary, Integer signal, Instant finished) {

    public String name() {
        return pod.getMetadata().getName();
    }

    public String node() {
        return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    }

    /** Reason and message as one phrase, e.g. "ImagePullBackOff: Back-off pulling image ...". */
    public String quote() {
        if (reason == null) {
            return message == null ? "" : message;
        }
        return message == null || message.isBlank() ? reason : reason + ": " + message;
    }
}
