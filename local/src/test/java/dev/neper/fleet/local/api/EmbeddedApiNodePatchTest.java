package dev.neper.fleet.local.api;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The embedded API takes the node patches a fleet test's marking sends, as a cluster's API server does:
 * JSON Patches of labels, the annotation and a taint on the node, of the condition on its status
 * subresource (the kubelet's Ready condition and its heartbeats untouched), removals by index guarded by a
 * test op that refuses the patch when the index holds something else.
 */
class EmbeddedApiNodePatchTest {
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private static List<String> types(Node node) {
        return node.getStatus().getConditions().stream().map(NodeCondition::getType).toList();
    }

    @Test
    void labelsTaintsAndTheConditionArePatchedAndRemovedByIndexAndTheKubeletsConditionStays() {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(); KubernetesClient client = api.client()) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").addToLabels("a", "b").endMetadata()
                    .withNewSpec().addNewTaint().withKey("other").withEffect("NoSchedule").endTaint().endSpec()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
            client.nodes().withName("n1").patch(JSON_PATCH, """
                    [{"op": "add", "path": "/metadata/labels/neper.dev~1network-health", "value": "faulty"},
                     {"op": "add", "path": "/metadata/annotations", "value": {"neper.dev/network-marks": "{}"}},
                     {"op": "add", "path": "/spec/taints/-", "value": {"key": "neper.dev/network-faulty", "value": "true",
                      "effect": "NoSchedule"}}]""");
            client.nodes().withName("n1").subresource("status").patch(JSON_PATCH, """
                    [{"op": "add", "path": "/status/conditions/-", "value": {"type": "NeperNetworkHealthy",
                      "status": "False", "reason": "NodeFault", "message": "eth1, eth2"}}]""");
            Node marked = client.nodes().withName("n1").get();
            assertEquals("faulty", marked.getMetadata().getLabels().get("neper.dev/network-health"));
            assertEquals("b", marked.getMetadata().getLabels().get("a"));
            assertEquals(List.of("other", "neper.dev/network-faulty"), marked.getSpec().getTaints().stream()
                    .map(t -> t.getKey()).toList());
            assertEquals(List.of("Ready", "NeperNetworkHealthy"), types(marked));

            // the node agent's heartbeat, as a kubelet's: our condition stays
            client.nodes().withName("n1").editStatus(n -> {
                n.getStatus().getConditions().getFirst().setLastHeartbeatTime(Instant.now().toString());
                return n;
            });
            assertEquals(List.of("Ready", "NeperNetworkHealthy"), types(client.nodes().withName("n1").get()));

            // the mock server answers a patch whose test fails with no response at all (the client times out, where
            // a cluster answers 422): refused either way, and nothing changes
            assertThrows(KubernetesClientException.class, () -> client.nodes().withName("n1").patch(JSON_PATCH, """
                    [{"op": "test", "path": "/spec/taints/0/key", "value": "neper.dev/network-faulty"},
                     {"op": "remove", "path": "/spec/taints/0"}]"""));
            assertEquals(2, client.nodes().withName("n1").get().getSpec().getTaints().size(), "a failed test changes nothing");

            client.nodes().withName("n1").patch(JSON_PATCH, """
                    [{"op": "remove", "path": "/metadata/labels/neper.dev~1network-health"},
                     {"op": "remove", "path": "/metadata/annotations/neper.dev~1network-marks"},
                     {"op": "test", "path": "/spec/taints/1/key", "value": "neper.dev/network-faulty"},
                     {"op": "remove", "path": "/spec/taints/1"}]""");
            client.nodes().withName("n1").subresource("status").patch(JSON_PATCH, """
                    [{"op": "test", "path": "/status/conditions/1/type", "value": "NeperNetworkHealthy"},
                     {"op": "remove", "path": "/status/conditions/1"}]""");
            Node cleared = client.nodes().withName("n1").get();
            assertFalse(cleared.getMetadata().getLabels().containsKey("neper.dev/network-health"));
            assertEquals(List.of("other"), cleared.getSpec().getTaints().stream().map(t -> t.getKey()).toList());
            assertEquals(List.of("Ready"), types(cleared));
        }
    }
}
