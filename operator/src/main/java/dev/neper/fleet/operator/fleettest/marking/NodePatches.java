package dev.neper.fleet.operator.fleettest.marking;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node change as JSON Patches (RFC 6902), which the API server applies to the node as stored: labels
 * and the annotation one key at a time (nobody else's keys are sent), the taint appended or removed by
 * index after a test that the index still holds our key, the condition likewise in the status
 * subresource (a kubelet's conditions are never rewritten). A test that fails makes the API refuse the
 * patch; the reconcile is retried against the node as it is then.
 */
public final class NodePatches {
    private NodePatches() {
    }

    /** The patch of the node itself (metadata and spec), empty when the change has none. */
    public static List<Map<String, Object>> metadata(Node node, NodeChange change) {
        List<Map<String, Object>> ops = new ArrayList<>();
        Map<String, String> labels = node.getMetadata().getLabels();
        if ((labels == null || labels.isEmpty()) && !change.labelsSet().isEmpty()) {
            ops.add(op("add", "/metadata/labels", new LinkedHashMap<>(change.labelsSet())));
        } else {
            change.labelsSet().forEach((k, v) -> ops.add(op("add", "/metadata/labels/" + escape(k), v)));
            change.labelsRemoved().forEach(k -> ops.add(op("remove", "/metadata/labels/" + escape(k), null)));
        }
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        boolean hasOwn = annotations != null && annotations.containsKey(NodeMarks.OWN);
        if (change.own() != null) {
            if (annotations == null || annotations.isEmpty()) {
                ops.add(op("add", "/metadata/annotations", Map.of(NodeMarks.OWN, change.own().json())));
            } else {
                ops.add(op("add", "/metadata/annotations/" + escape(NodeMarks.OWN), change.own().json()));
            }
        } else if (change.ownRemoved() && hasOwn) {
            ops.add(op("remove", "/metadata/annotations/" + escape(NodeMarks.OWN), null));
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints();
        if (change.taintRemoved() != null) {
            int index = indexOfTaint(taints);
            if (index >= 0) {
                ops.add(op("test", "/spec/taints/" + index + "/key", NodeMarks.TAINT));
                ops.add(op("remove", "/spec/taints/" + index, null));
            }
        }
        if (change.taintAdded() != null) {
            Map<String, Object> taint = new LinkedHashMap<>();
            taint.put("key", NodeMarks.TAINT);
            taint.put("value", "true");
            taint.put("effect", change.taintAdded());
            if (node.getSpec() == null) {
                ops.add(op("add", "/spec", Map.of("taints", List.of(taint))));
            } else {
                ops.add(taints.isEmpty() ? op("add", "/spec/taints", List.of(taint)) : op("add", "/spec/taints/-", taint));
            }
        }
        return ops;
    }

    /** The patch of the node's status subresource: the condition, empty when the change has none. */
    public static List<Map<String, Object>> status(Node node, NodeChange change) {
        List<Map<String, Object>> ops = new ArrayList<>();
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? null : node.getStatus().getConditions();
        int index = -1;
        if (conditions != null) {
            for (int i = 0; i < conditions.size(); i++) {
                if (NodeMarks.CONDITION.equals(conditions.get(i).getType())) {
                    index = i;
                }
            }
        }
        if (change.condition() != null) {
            Map<String, Object> condition = condition(change.condition());
            if (index >= 0) {
                ops.add(op("test", "/status/conditions/" + index + "/type", NodeMarks.CONDITION));
                ops.add(op("replace", "/status/conditions/" + index, condition));
            } else if (conditions == null) {
                ops.add(op("add", "/status/conditions", List.of(condition)));
            } else {
                ops.add(op("add", "/status/conditions/-", condition));
            }
        } else if (change.conditionRemoved() && index >= 0) {
            ops.add(op("test", "/status/conditions/" + index + "/type", NodeMarks.CONDITION));
            ops.add(op("remove", "/status/conditions/" + index, null));
        }
        return ops;
    }

    private static Map<String, Object> condition(NodeCondition c) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", c.getType());
        map.put("status", c.getStatus());
        map.put("reason", c.getReason());
        map.put("message", c.getMessage());
        map.put("lastTransitionTime", c.getLastTransitionTime());
        map.put("lastHeartbeatTime", c.getLastHeartbeatTime());
        return map;
    }

    private static int indexOfTaint(List<Taint> taints) {
        for (int i = 0; i < taints.size(); i++) {
            if (NodeMarks.TAINT.equals(taints.get(i).getKey())) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("op", op);
        map.put("path", path);
        if (!op.equals("remove")) {
            map.put("value", value);
        }
        return map;
    }

    /** A JSON Pointer's reference token: ~ and / escaped. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
