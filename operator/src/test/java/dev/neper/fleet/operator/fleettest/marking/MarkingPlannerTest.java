package dev.neper.fleet.operator.fleettest.marking;

import dev.neper.fleet.operator.api.FleetJudging;
import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.MarkingAction;
import dev.neper.fleet.operator.api.NodeEntry;
import io.fabric8.kubernetes.api.model.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.neper.fleet.operator.fleettest.marking.NodeMarkingTest.NOW;
import static dev.neper.fleet.operator.fleettest.marking.NodeMarkingTest.RUN_1;
import static dev.neper.fleet.operator.fleettest.marking.NodeMarkingTest.RUN_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Marking's decisions over a run's verdicts: the dry run, the budget and its breaker, clearing. */
@Tag("unit")
class MarkingPlannerTest {
    private static final FleetMarking MARK = new FleetMarking(false, true, null, 50, 2);
    private static final FleetMarking DRY = new FleetMarking(null, true, null, 50, 2);

    private static List<Node> nodes(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> NodeMarkingTest.node("n" + i)).toList();
    }

    private static Set<String> all(List<Node> nodes) {
        return Set.copyOf(nodes.stream().map(n -> n.getMetadata().getName()).toList());
    }

    private static FleetSummary summary(int nodes, String... faulty) {
        List<NodeEntry> entries = new ArrayList<>();
        for (String node : faulty) {
            entries.add(new NodeEntry(node, "NodeFault", List.of("eth1", "eth2"), "2 of 2 devices fail", List.of()));
        }
        return new FleetSummary(nodes, Map.of("Healthy", nodes - faulty.length, "NodeFault", faulty.length), 0, 0, 0, 2,
                4, 7, "RANDOM", 0, FleetJudging.DEFAULT, entries, List.of(), List.of());
    }

    /** The nodes marked as the decision says: the reconciler's step after the status is written. */
    private static List<Node> markAll(List<Node> nodes, FleetMarkingStatus decision, FleetSummary summary,
                                      MarkingContext context) {
        Map<String, MarkTarget> targets = MarkingPlanner.targets(nodes, all(nodes), summary,
                MarkingPlanner.markedFaulty(decision), context);
        return nodes.stream().map(n -> NodeMarking.change(n, context, targets.get(n.getMetadata().getName()), NOW)
                .map(c -> NodeMarkingTest.apply(n, c)).orElse(n)).toList();
    }

    private static String health(Node node) {
        return node.getMetadata().getLabels().get(NodeMarks.HEALTH);
    }

    @Test
    void aDryRunSaysExactlyWhatItWouldSetAndClear() {
        List<Node> nodes = nodes(4);
        FleetSummary summary = summary(4, "n3");
        FleetMarkingStatus dry = MarkingPlanner.decide(DRY, RUN_1, nodes, all(nodes), summary, null, null, NOW);
        assertTrue(dry.dryRun());
        assertEquals(4, dry.marksSet());
        MarkingAction first = dry.actionList().getFirst();
        assertEquals("n3", first.node());
        assertEquals(MarkingAction.WOULD_SET, first.action());
        assertEquals(List.of("label neper.dev/network-faulty-devices=eth1.eth2", "label neper.dev/network-health=faulty",
                "condition NeperNetworkHealthy=False (NodeFault)", "taint neper.dev/network-faulty:NoSchedule"),
                first.marks());
        assertEquals(List.of(MarkingAction.WOULD_SET), dry.actionList().stream().map(MarkingAction::action).distinct()
                .toList());
    }

    @Test
    void theBudgetMarksOnlyWhatFitsAndTheBreakerHoldsUntilReset() {
        List<Node> nodes = nodes(8);
        FleetSummary three = summary(8, "n2", "n5", "n7");
        FleetMarkingStatus first = MarkingPlanner.decide(MARK, RUN_1, nodes, all(nodes), three, null, null, NOW);
        assertTrue(first.budgetTripped());
        assertTrue(first.budgetReason().startsWith("3 nodes found faulty, the budget allows 2 marked at once"),
                first.budgetReason());
        assertTrue(first.budgetReason().contains("not marked: n7"), first.budgetReason());
        assertEquals(Set.of("n2", "n5"), MarkingPlanner.markedFaulty(first));
        List<Node> marked = markAll(nodes, first, three, RUN_1);
        assertEquals(java.util.Arrays.asList("healthy", "faulty", "healthy", "healthy", "faulty", "healthy", null, "healthy"),
                marked.stream().map(MarkingPlannerTest::health).toList(), "n7 is over the budget: left as it was");

        // the next run finds n2 healthy again and n1 faulty: n2 is cleared, but the breaker marks nothing new
        FleetSummary next = summary(8, "n1", "n5");
        FleetMarkingStatus second = MarkingPlanner.decide(MARK, RUN_2, marked, all(marked), next, first, null, NOW);
        assertTrue(second.budgetTripped());
        assertEquals(1, second.marksCleared());
        assertEquals(Set.of(), MarkingPlanner.markedFaulty(second));
        List<Node> after = markAll(marked, second, next, RUN_2);
        assertEquals("healthy", health(after.get(1)));
        assertNull(NodeMarking.findTaint(after.get(1)));
        assertEquals("faulty", health(after.get(4)), "still faulty: its marks stay");
        assertFalse("faulty".equals(health(after.get(0))), "the breaker holds");

        FleetMarkingStatus reset = MarkingPlanner.decide(MARK, RUN_2, marked, all(marked), next, first, "by-alice", NOW);
        assertFalse(reset.budgetTripped());
        assertEquals("by-alice", reset.budgetResetHandled());
        assertEquals(Set.of("n1"), MarkingPlanner.markedFaulty(reset));
    }

    @Test
    void thePercentageBoundsTheBudgetToo() {
        List<Node> nodes = nodes(10);
        FleetMarking tenPercent = new FleetMarking(false, false, null, 10, 50);
        FleetMarkingStatus decision = MarkingPlanner.decide(tenPercent, RUN_1, nodes, all(nodes), summary(10, "n1", "n2"),
                null, null, NOW);
        assertEquals(Set.of("n1"), MarkingPlanner.markedFaulty(decision));
        assertTrue(decision.budgetTripped());
    }
}
