package dev.neper.fleet.operator.fleettest.discovery;

import dev.neper.fleet.operator.api.FleetLabels;
import dev.neper.fleet.operator.api.NeperFleetTest;
import dev.neper.fleet.operator.api.NeperTestSpec;
import dev.neper.fleet.operator.api.TestTiming;
import dev.neper.fleet.operator.pods.Labels;
import dev.neper.fleet.operator.pods.RunnerCommand;
import dev.neper.fleet.operator.pods.RunnerPodTemplate;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod that discovers one node: {@code neper-runner discover} on the node's host network, with the
 * runner pods' privileges for the template's mode (none in host mode; in udmabuf and cuda modes what the
 * doctor's checks need, and {@code --preflight MODE}), its topology left in the termination message.
 */
public final class DiscoveryPod {
    /** A pod name is a DNS subdomain: at most 253 characters. */
    private static final int MAX_NAME = 253;
    /** Slack after the start deadline for the runner to discover and report. */
    static final long DEADLINE_SLACK_SECONDS = 60;

    private DiscoveryPod() {
    }

    public static Pod desired(NeperFleetTest fleet, String runId, Node node, String defaultImage) {
        NeperTestSpec template = fleet.getSpec().template();
        List<String> args = new ArrayList<>(List.of("discover", "--termination-summary",
                RunnerCommand.TERMINATION_MESSAGE_PATH));
        if (template.mode().isDevmem()) {
            args.addAll(List.of("--preflight", template.mode().argument()));
        }
        String nodeName = node.getMetadata().getName();
        Pod pod = RunnerPodTemplate.hostNetworkPod(fleet, name(fleet, runId, nodeName), labels(fleet, runId), nodeName,
                template, RunnerPodTemplate.container(template, defaultImage, args, RunnerCommand.TERMINATION_MESSAGE_PATH,
                        0).build(), deadline(template).toSeconds() + DEADLINE_SLACK_SECONDS).build();
        String topologyKey = fleet.getSpec().pairingOrDefault().topologyKey();
        String rack = topologyKey == null || node.getMetadata().getLabels() == null ? null
                : node.getMetadata().getLabels().get(topologyKey);
        if (rack != null) {
            pod.getMetadata().setAnnotations(Map.of(FleetLabels.RACK, rack));
        }
        return pod;
    }

    /** How long discovery may take, from the run's start: the template's start deadline. */
    public static java.time.Duration deadline(NeperTestSpec template) {
        return TestTiming.of(template).startDeadline();
    }

    public static Map<String, String> labels(NeperFleetTest fleet, String runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAME, Labels.NAME_VALUE);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(FleetLabels.COMPONENT, FleetLabels.DISCOVERY);
        labels.put(FleetLabels.FLEET_TEST, fleet.getMetadata().getName());
        labels.put(FleetLabels.RUN, runId);
        return labels;
    }

    /** {fleet}-{run}-discover-{node}, or with a digest of the node's name where that would be too long. */
    static String name(NeperFleetTest fleet, String runId, String node) {
        String prefix = fleet.getMetadata().getName() + "-" + runId + "-discover-";
        if (prefix.length() + node.length() <= MAX_NAME) {
            return prefix + node;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 6);
            return prefix + node.substring(0, MAX_NAME - prefix.length() - hash.length() - 1) + "-" + hash;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
