package dev.neper.fleet.operator.fleettest.marking;

import io.fabric8.kubernetes.api.model.NodeCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The marks to write on one node, as a difference from what it has: labels set and removed, the
 * condition set (null: unchanged; {@code conditionTurns}: its status or reason changes, not only its message) or removed, the taint added (its effect) or removed, and the
 * ownership record to write (null with {@code ownRemoved}: the annotation goes).
 */
public record NodeChange(String node, Map<String, String> labelsSet, Set<String> labelsRemoved, NodeCondition condition,
                         boolean conditionTurns, boolean conditionRemoved, String taintAdded, String taintRemoved, OwnMarks own,
                         boolean ownRemoved) {

    /** Marks that say something of the node's health (the run id and time labels aside): what the status lists. */
    public List<String> marks() {
        List<String> marks = new ArrayList<>();
        labelsSet.forEach((k, v) -> {
            if (!k.equals(NodeMarks.RUN) && !k.equals(NodeMarks.TIME)) {
                marks.add("label " + k + "=" + v);
            }
        });
        labelsRemoved.stream().filter(k -> !k.equals(NodeMarks.RUN) && !k.equals(NodeMarks.TIME))
                .forEach(k -> marks.add("label " + k + "-"));
        if (condition != null && conditionTurns) {
            marks.add("condition " + condition.getType() + "=" + condition.getStatus()
                    + (condition.getReason() == null ? "" : " (" + condition.getReason() + ")"));
        }
        if (conditionRemoved) {
            marks.add("condition " + NodeMarks.CONDITION + "-");
        }
        if (taintAdded != null) {
            marks.add("taint " + NodeMarks.TAINT + ":" + taintAdded);
        }
        if (taintRemoved != null) {
            marks.add("taint " + NodeMarks.TAINT + ":" + taintRemoved + "-");
        }
        return List.copyOf(marks);
    }

    public boolean touchesMetadata() {
        return !labelsSet.isEmpty() || !labelsRemoved.isEmpty() || taintAdded != null || taintRemoved != null
                || own != null || ownRemoved;
    }

    public boolean touchesStatus() {
        return condition != null || conditionRemoved;
    }
}
