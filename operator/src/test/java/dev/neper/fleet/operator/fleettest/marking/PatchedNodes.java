package dev.neper.fleet.operator.fleettest.marking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.zjsonpatch.JsonPatch;

/** A node as an API server stores it after a change's two JSON patches (zjsonpatch, as the Fabric8 mock server applies them). */
public final class PatchedNodes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PatchedNodes() {
    }

    public static Node apply(Node node, NodeChange change) {
        JsonNode json = JSON.valueToTree(node);
        json = JsonPatch.apply(JSON.valueToTree(NodePatches.metadata(node, change)), json);
        Node patched = JSON.convertValue(json, Node.class);
        json = JsonPatch.apply(JSON.valueToTree(NodePatches.status(patched, change)), json);
        return JSON.convertValue(json, Node.class);
    }
}
