package dev.neper.fleet.operator.fleettest.discovery;

import io.fabric8.kubernetes.api.model.Node;

/** What a fleet run reads of a Node object. */
public final class NodeState {
    private NodeState() {
    }

    /** Its Ready condition is True. */
    public static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** It is cordoned (spec.unschedulable). */
    public static boolean cordoned(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }
}
