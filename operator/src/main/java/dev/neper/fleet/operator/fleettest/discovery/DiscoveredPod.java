package dev.neper.fleet.operator.fleettest.discovery;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import dev.neper.fleet.runner.contract.NodeTopology;
import dev.neper.fleet.runner.contract.ReportJson;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.io.IOException;
import java.util.List;

/**
 * A discovery pod as the run sees it: its node, the rack recorded when it was made, and either the
 * topology it reported, why it failed, or that it has not ended (with Kubernetes' last word on it).
 *
 * @param name     the pod's name
 * @param node     the node it ran on
 * @param rack     its node's topology value when the pod was made, or null
 * @param outcome  whether it ended, and how
 * @param topology what discover reported, for {@link Outcome#REPORTED}
 * @param problem  why it failed, or what it waits on (null when nothing is known)
 */
public record DiscoveredPod(String name, String node, String rack, Outcome outcome, NodeTopology topology,
                            String problem) {
    private static final int MAX_QUOTE = 200;

    public enum Outcome {
        /** Not ended yet. */
        RUNNING,
        /** Ended and left a topology. */
        REPORTED,
        /** Ended without one. */
        FAILED
    }

    public static DiscoveredPod of(Pod pod) {
        String name = pod.getMetadata().getName();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String rack = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(FleetLabels.RACK);
        PodStatus status = pod.getStatus();
        ContainerStatus container = status == null || status.getContainerStatuses() == null ? null
                : status.getContainerStatuses().stream().filter(c -> RunnerPodTemplate.CONTAINER.equals(c.getName()))
                        .findFirst().orElse(null);
        ContainerState state = container == null ? null : container.getState();
        if (state != null && state.getTerminated() != null) {
            var terminated = state.getTerminated();
            int exit = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
            String message = terminated.getMessage();
            if (exit != 0) {
                return new DiscoveredPod(name, node, rack, Outcome.FAILED, null, "exited with " + exit
                        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")") + ": "
                        + lastLine(message));
            }
            try {
                NodeTopology topology = ReportJson.fromJson(message, NodeTopology.class);
                return new DiscoveredPod(name, node, rack, Outcome.REPORTED, topology, null);
            } catch (IOException | RuntimeException e) {
                return new DiscoveredPod(name, node, rack, Outcome.FAILED, null,
                        "left a termination message that is not a topology: " + quote(message));
            }
        }
        String phase = status == null ? null : status.getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            return new DiscoveredPod(name, node, rack, Outcome.FAILED, null, "ended before its container ran: "
                    + status.getReason() + (status.getMessage() == null ? "" : ": " + quote(status.getMessage())));
        }
        String waiting = state != null && state.getWaiting() != null && state.getWaiting().getReason() != null
                ? state.getWaiting().getReason() + (state.getWaiting().getMessage() == null ? ""
                        : ": " + quote(state.getWaiting().getMessage()))
                : phase == null ? "no status from the kubelet" : "phase " + phase;
        return new DiscoveredPod(name, node, rack, Outcome.RUNNING, null, waiting);
    }

    public boolean ended() {
        return outcome != Outcome.RUNNING;
    }

    private static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "no termination message (see kubectl logs)";
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return quote(lines.getLast());
    }

    private static String quote(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_QUOTE ? text : text.substring(0, MAX_QUOTE - 1) + "…";
    }
}
