package dev.neper.fleet.operator.fleettest.marking;

import dev.neper.fleet.operator.api.FleetMarking;
import dev.neper.fleet.operator.api.FleetMarkingStatus;
import dev.neper.fleet.operator.api.FleetSummary;
import dev.neper.fleet.operator.api.MarkingAction;
import dev.neper.fleet.operator.api.NodeEntry;
import io.fabric8.kubernetes.api.model.Node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Marking's decisions, pure functions of a run's verdicts and the nodes as observed: the budget (once a
 * run finds more faulty nodes than it allows, only those that fit are marked, and the breaker stays
 * tripped, marking no more, until a person resets it), the target of every selected node, and the
 * actions the status lists (what a dry run would do).
 */
public final class MarkingPlanner {
    /** Verdicts that mark a node faulty. */
    public static final Set<String> FAULTY_VERDICTS = Set.of("NodeFault", "LinkFault");
    static final int MAX_ACTIONS = 100;
    private static final String FAULTY_LABEL = "label " + NodeMarks.HEALTH + "=" + NodeMarks.FAULTY;

    private MarkingPlanner() {
    }

    /**
     * What marking does after a run's verdicts: decided once, when the run completes, and recorded in the
     * status; the nodes are then marked from it ({@link #targets}).
     *
     * @param tested     the nodes the run tested (the record's)
     * @param previous   the marking status of the run before (its breaker), or null
     * @param resetValue the value of the reset annotation, or null
     */
    public static FleetMarkingStatus decide(FleetMarking spec, MarkingContext context, List<Node> selected,
                                            Set<String> tested, FleetSummary summary, FleetMarkingStatus previous,
                                            String resetValue, Instant now) {
        boolean reset = resetValue != null && (previous == null || !resetValue.equals(previous.budgetResetHandled()));
        boolean latched = previous != null && previous.budgetTripped() && !previous.dryRun() && !reset;
        Map<String, NodeEntry> faulty = faultyEntries(summary);
        int allowed = Math.min(spec.maxNodesOrDefault(), selected.size() * spec.maxPercentOrDefault() / 100);
        int stillMarked = 0;
        List<String> candidates = new ArrayList<>();
        for (Node node : selected) {
            String name = node.getMetadata().getName();
            boolean markedBefore = ours(node, context).map(OwnMarks::faulty).orElse(false);
            boolean judgedHealthy = tested.contains(name) && !faulty.containsKey(name) && healthyVerdict(summary, name);
            if (markedBefore && !judgedHealthy) {
                stillMarked++;
            } else if (!markedBefore && faulty.containsKey(name)) {
                candidates.add(name);
            }
        }
        candidates.sort(Comparator.naturalOrder());
        int room = latched ? 0 : Math.max(0, allowed - stillMarked);
        boolean tripped = latched;
        String reason = latched ? previous.budgetReason() : null;
        boolean dryRun = spec.dryRunOrDefault();
        String marked = dryRun ? " would be marked" : " marked";
        if (candidates.size() > room) {
            tripped = true;
            if (!latched) {
                reason = (candidates.size() + stillMarked) + " nodes found faulty, the budget allows " + allowed
                        + " marked at once (maxNodes " + spec.maxNodesOrDefault() + ", maxPercent "
                        + spec.maxPercentOrDefault() + " of " + selected.size() + " selected nodes): "
                        + (room == 0 ? "none" : "only " + String.join(", ", candidates.subList(0, room))) + marked
                        + "; not" + marked + ": " + String.join(", ", candidates.subList(room, candidates.size()))
                        + "; annotate the fleet test " + FleetMarking.RESET_BUDGET + " to mark again";
            }
        }
        Set<String> allowedFaulty = Set.copyOf(candidates.subList(0, Math.min(room, candidates.size())));
        Map<String, MarkTarget> targets = targets(selected, tested, summary, allowedFaulty, context);
        List<MarkingAction> actions = new ArrayList<>();
        int set = 0;
        int cleared = 0;
        for (Node node : selected) {
            MarkTarget target = targets.get(node.getMetadata().getName());
            Optional<NodeChange> change = NodeMarking.change(node, context, target, now);
            List<String> marks = change.map(c -> news(c.marks(), node, context)).orElse(List.of());
            if (marks.isEmpty()) {
                continue;
            }
            boolean clears = ours(node, context).map(OwnMarks::faulty).orElse(false) && target instanceof MarkTarget.Healthy;
            boolean sets = !clears && (target instanceof MarkTarget.Faulty || target instanceof MarkTarget.Healthy);
            if (!clears && !sets) {
                continue;
            }
            if (clears) {
                cleared++;
            } else {
                set++;
            }
            String action = clears ? (dryRun ? MarkingAction.WOULD_CLEAR : MarkingAction.CLEAR)
                    : (dryRun ? MarkingAction.WOULD_SET : MarkingAction.SET);
            actions.add(new MarkingAction(node.getMetadata().getName(), action, marks));
        }
        // faulty marks first (never left out: the nodes marked are read back from this list), then clears
        actions.sort(Comparator.comparing((MarkingAction a) -> a.marks().contains(FAULTY_LABEL) ? 0
                : a.action().equals(MarkingAction.CLEAR) || a.action().equals(MarkingAction.WOULD_CLEAR) ? 1 : 2)
                .thenComparing(MarkingAction::node));
        long faultySets = actions.stream().filter(a -> a.marks().contains(FAULTY_LABEL)).count();
        int listed = (int) Math.max(MAX_ACTIONS, faultySets);
        List<MarkingAction> shown = actions.size() <= listed ? actions : actions.subList(0, listed);
        return new FleetMarkingStatus(context.runId(), dryRun, tripped, reason, set, cleared, List.copyOf(shown),
                actions.size() > listed ? actions.size() - listed : null,
                reset ? resetValue : previous == null ? null : previous.budgetResetHandled());
    }

    /** The nodes the decision marks faulty: read back from its actions. */
    public static Set<String> markedFaulty(FleetMarkingStatus marking) {
        return Set.copyOf(marking.actionList().stream().filter(a -> a.marks().contains(FAULTY_LABEL))
                .map(MarkingAction::node).toList());
    }

    /**
     * Every selected node's target after the run: faulty when judged so and marked before or within the
     * budget ({@code allowedFaulty}), healthy when tested and judged healthy (or flaky: not convicted),
     * else as before the test.
     */
    public static Map<String, MarkTarget> targets(List<Node> selected, Set<String> tested, FleetSummary summary,
                                                  Set<String> allowedFaulty, MarkingContext context) {
        Map<String, NodeEntry> faulty = faultyEntries(summary);
        Map<String, MarkTarget> targets = new HashMap<>();
        for (Node node : selected) {
            String name = node.getMetadata().getName();
            NodeEntry entry = faulty.get(name);
            MarkTarget target;
            if (entry != null) {
                boolean markedBefore = ours(node, context).map(OwnMarks::faulty).orElse(false);
                target = markedBefore || allowedFaulty.contains(name)
                        ? new MarkTarget.Faulty(entry.verdict(), entry.devices(), entry.reason()) : new MarkTarget.Restore();
            } else if (tested.contains(name) && healthyVerdict(summary, name)) {
                target = new MarkTarget.Healthy();
            } else {
                target = new MarkTarget.Restore();
            }
            targets.put(name, target);
        }
        return targets;
    }

    /** The marks that change what the node said before its test: its health label back as it was is no news. */
    private static List<String> news(List<String> marks, Node node, MarkingContext context) {
        String before = ours(node, context).map(o -> NodeMarks.TESTING.equals(o.health()) ? o.previous() : o.health())
                .orElse(null);
        String unchanged = "label " + NodeMarks.HEALTH + "=" + before;
        return marks.stream().filter(m -> !m.equals(unchanged)).toList();
    }

    private static Map<String, NodeEntry> faultyEntries(FleetSummary summary) {
        Map<String, NodeEntry> faulty = new HashMap<>();
        summary.faultyList().stream().filter(n -> FAULTY_VERDICTS.contains(n.verdict())).forEach(n -> faulty.put(n.node(), n));
        return faulty;
    }

    /** Not listed among the non-healthy nodes, or listed only as Flaky. */
    private static boolean healthyVerdict(FleetSummary summary, String node) {
        return summary.faultyList().stream().filter(n -> n.node().equals(node)).allMatch(n -> n.verdict().equals("Flaky"));
    }

    private static Optional<OwnMarks> ours(Node node, MarkingContext context) {
        return OwnMarks.of(node).filter(o -> context.owner().equals(o.owner()));
    }
}
