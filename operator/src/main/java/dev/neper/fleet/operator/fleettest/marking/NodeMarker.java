package dev.neper.fleet.operator.fleettest.marking;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;

/** Writes node changes: the node's patch (labels, annotation, taint), then its status subresource's (the condition). */
public final class NodeMarker {
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;

    public NodeMarker(KubernetesClient client) {
        this.client = client;
    }

    public void apply(Node node, NodeChange change) {
        String name = node.getMetadata().getName();
        List<Map<String, Object>> metadata = NodePatches.metadata(node, change);
        Node current = node;
        if (!metadata.isEmpty()) {
            current = client.nodes().withName(name).patch(JSON_PATCH, Serialization.asJson(metadata));
        }
        List<Map<String, Object>> status = NodePatches.status(current, change);
        if (!status.isEmpty()) {
            client.nodes().withName(name).subresource("status").patch(JSON_PATCH, Serialization.asJson(status));
        }
    }
}
