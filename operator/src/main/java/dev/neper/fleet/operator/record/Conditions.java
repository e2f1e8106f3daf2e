package dev.neper.fleet.operator.record;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Status conditions of any of the operator's resources. A condition is decided without its
 * timestamps and then stamped: it keeps the lastTransitionTime of the previous condition of its type
 * while its status stays the same, so recomputing an unchanged status yields an equal one (no write),
 * and it carries the generation it was decided for.
 */
public final class Conditions {
    private Conditions() {
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition condition = find(conditions, type);
        return condition != null && "True".equals(condition.getStatus());
    }

    /**
     * {@code decided} with its timestamps: a condition already stamped (carried over as it was) is
     * returned as is; otherwise it gets {@code generation} unless it names its own, and the previous
     * condition's lastTransitionTime when its status did not change, else {@code now}.
     */
    public static Condition stamp(Condition decided, List<Condition> previous, long generation, Instant now) {
        if (decided.getLastTransitionTime() != null) {
            return decided;
        }
        Condition old = find(previous, decided.getType());
        String transition = old != null && decided.getStatus().equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now.toString();
        return new ConditionBuilder(decided)
                .withObservedGeneration(decided.getObservedGeneration() != null ? decided.getObservedGeneration() : generation)
                .withLastTransitionTime(transition)
                .build();
    }

    /**
     * The conditions of {@code types}, in that order: each one {@code decided} sets as set, every other
     * one from {@code filler} (skipped when it gives null), each stamped against {@code previous}.
     */
    public static List<Condition> fill(List<String> types, List<Condition> decided, List<Condition> previous,
                                       long generation, Instant now, java.util.function.Function<String, Condition> filler) {
        List<Condition> conditions = new ArrayList<>();
        for (String type : types) {
            Condition set = find(decided, type);
            Condition condition = set != null ? set : filler.apply(type);
            if (condition != null) {
                conditions.add(stamp(condition, previous, generation, now));
            }
        }
        return List.copyOf(conditions);
    }

    /** {@code conditions} with {@code condition} in the place of the one of its type, or appended. */
    public static List<Condition> replace(List<Condition> conditions, Condition condition) {
        List<Condition> result = new ArrayList<>(conditions.size() + 1);
        boolean replaced = false;
        for (Condition c : conditions) {
            if (c.getType().equals(condition.getType())) {
                result.add(condition);
                replaced = true;
            } else {
                result.add(c);
            }
        }
        if (!replaced) {
            result.add(condition);
        }
        return List.copyOf(result);
    }
}
