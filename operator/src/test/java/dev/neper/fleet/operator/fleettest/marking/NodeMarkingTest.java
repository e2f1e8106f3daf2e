package dev.neper.fleet.operator.fleettest.marking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node's marks: the change a target needs, and its JSON patches applied to the node as an API server
 * would (zjsonpatch, as the Fabric8 mock server does): a kubelet's condition and someone else's label and
 * taint stay untouched, ours are set and cleared, and a node already marked for the run is done.
 */
@Tag("unit")
class NodeMarkingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-01-11T01:09:12Z");
    static final MarkingContext RUN_1 = new MarkingContext("neper-fleet/nightly", "20260111-010000", "20260111T010912Z",
            true, "NoSchedule");
    static final MarkingContext RUN_2 = new MarkingContext("neper-fleet/nightly", "20260112-010000", "20260112T010912Z",
            true, "NoSchedule");
    static final MarkTarget.Faulty FAULTY = new MarkTarget.Faulty("LinkFault", List.of("eth2"), "eth2 fails with 2 of 2");

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .endCondition().endStatus().build();
    }

    /** The node after the change's two patches, as the API server applies them. */
    static Node apply(Node node, NodeChange change) {
        JsonNode json = JSON.valueToTree(node);
        json = JsonPatch.apply(JSON.valueToTree(NodePatches.metadata(node, change)), json);
        Node patched = JSON.convertValue(json, Node.class);
        json = JsonPatch.apply(JSON.valueToTree(NodePatches.status(patched, change)), json);
        return JSON.convertValue(json, Node.class);
    }

    static Node mark(Node node, MarkingContext context, MarkTarget target) {
        return apply(node, NodeMarking.change(node, context, target, NOW).orElseThrow());
    }

    static NodeCondition condition(Node node) {
        return NodeMarking.findCondition(node);
    }

    @Test
    void aFaultyNodeGetsLabelsConditionAndTaintAndTheKubeletsMarksStay() {
        Node marked = mark(node("n1"), RUN_1, FAULTY);
        Map<String, String> labels = marked.getMetadata().getLabels();
        assertEquals("faulty", labels.get(NodeMarks.HEALTH));
        assertEquals("eth2", labels.get(NodeMarks.DEVICES));
        assertEquals("20260111-010000", labels.get(NodeMarks.RUN));
        assertEquals("20260111T010912Z", labels.get(NodeMarks.TIME));
        assertEquals("n1", labels.get("kubernetes.io/hostname"));
        assertEquals("False", condition(marked).getStatus());
        assertEquals("LinkFault", condition(marked).getReason());
        assertTrue(condition(marked).getMessage().startsWith("LinkFault on eth2 in run 20260111-010000"));
        assertEquals(2, marked.getStatus().getConditions().size(), "the Ready condition stays");
        assertEquals(List.of("nvidia.com/gpu", NodeMarks.TAINT), marked.getSpec().getTaints().stream().map(Taint::getKey)
                .toList());
        OwnMarks own = OwnMarks.of(marked).orElseThrow();
        assertEquals("neper-fleet/nightly", own.owner());
        assertTrue(own.condition() && own.taint());
        assertEquals(List.of(NodeMarks.DEVICES, NodeMarks.HEALTH, NodeMarks.RUN, NodeMarks.TIME), own.labels());
        assertTrue(NodeMarking.change(marked, RUN_1, FAULTY, NOW).isEmpty(), "marked for this run: done");
    }

    @Test
    void aNodeFoundHealthyLaterLosesTheFaultyMarksAndDeletionLeavesNothingOfOurs() {
        Node faulty = mark(node("n1"), RUN_1, FAULTY);
        Node testing = mark(faulty, RUN_2, new MarkTarget.Testing());
        assertEquals("testing", testing.getMetadata().getLabels().get(NodeMarks.HEALTH));
        assertEquals("False", condition(testing).getStatus(), "the verdict's marks stay while under test");
        assertEquals("faulty", OwnMarks.of(testing).orElseThrow().previous());

        NodeChange clearing = NodeMarking.change(testing, RUN_2, new MarkTarget.Healthy(), NOW).orElseThrow();
        assertTrue(clearing.marks().contains("taint " + NodeMarks.TAINT + ":NoSchedule-"), clearing.marks().toString());
        Node healthy = apply(testing, clearing);
        assertEquals("healthy", healthy.getMetadata().getLabels().get(NodeMarks.HEALTH));
        assertFalse(healthy.getMetadata().getLabels().containsKey(NodeMarks.DEVICES));
        assertEquals("True", condition(healthy).getStatus());
        assertEquals(List.of("nvidia.com/gpu"), healthy.getSpec().getTaints().stream().map(Taint::getKey).toList());

        Node cleared = mark(healthy, RUN_2, new MarkTarget.ClearAll());
        assertEquals(Map.of("kubernetes.io/hostname", "n1"), cleared.getMetadata().getLabels());
        assertNull(condition(cleared));
        assertEquals(node("n1").getSpec().getTaints(), cleared.getSpec().getTaints());
        assertTrue(cleared.getMetadata().getAnnotations().isEmpty());
    }

    @Test
    void marksSetByOthersAreNeverTouched() {
        Node theirs = new NodeBuilder(node("n1")).editMetadata().addToLabels(NodeMarks.HEALTH, "faulty").endMetadata()
                .editSpec().addNewTaint().withKey(NodeMarks.TAINT).withEffect("NoExecute").endTaint().endSpec().build();
        Node marked = mark(theirs, RUN_1, new MarkTarget.Healthy());
        assertEquals("faulty", marked.getMetadata().getLabels().get(NodeMarks.HEALTH), "someone else's label");
        assertEquals("NoExecute", NodeMarking.findTaint(marked).getEffect(), "someone else's taint");
        assertEquals("True", condition(marked).getStatus(), "the condition was free: ours");
        OwnMarks own = OwnMarks.of(marked).orElseThrow();
        assertFalse(own.labels().contains(NodeMarks.HEALTH));
        assertFalse(own.taint());
        Node cleared = mark(marked, RUN_1, new MarkTarget.ClearAll());
        assertEquals("faulty", cleared.getMetadata().getLabels().get(NodeMarks.HEALTH));
        assertEquals("NoExecute", NodeMarking.findTaint(cleared).getEffect());

        Node otherFleet = mark(node("n2"), new MarkingContext("other/fleet", "r", "t", false, "NoSchedule"), FAULTY);
        assertTrue(NodeMarking.change(otherFleet, RUN_1, new MarkTarget.Healthy(), NOW).isEmpty(),
                "another fleet test's node");
    }

    @Test
    void aNodeNotJudgedGetsItsHealthBackAfterTheTest() {
        Node healthy = mark(node("n1"), RUN_1, new MarkTarget.Healthy());
        Node testing = mark(healthy, RUN_2, new MarkTarget.Testing());
        Node restored = mark(testing, RUN_2, new MarkTarget.Restore());
        assertEquals("healthy", restored.getMetadata().getLabels().get(NodeMarks.HEALTH));
        assertEquals("20260111-010000", restored.getMetadata().getLabels().get(NodeMarks.RUN));
        Node fresh = mark(mark(node("n2"), RUN_2, new MarkTarget.Testing()), RUN_2, new MarkTarget.Restore());
        assertFalse(fresh.getMetadata().getLabels().containsKey(NodeMarks.HEALTH));
    }

    @Test
    void withoutTaintingOnlyLabelsAndTheConditionAreSet() {
        MarkingContext labelsOnly = new MarkingContext("neper-fleet/nightly", "r1", "t1", false, "NoSchedule");
        Node marked = mark(node("n1"), labelsOnly, FAULTY);
        assertNull(NodeMarking.findTaint(marked));
        assertEquals("faulty", marked.getMetadata().getLabels().get(NodeMarks.HEALTH));
    }
}
