package dev.neper.fleet.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The status conditions, in a fixed order. A condition keeps its lastTransitionTime while its
 * status stays the same, so recomputing an unchanged status yields an equal one (no write).
 */
public final class Conditions {
    public static final String COMPLETE = "Complete";
    public static final String PASSED = "Passed";
    public static final String SERVERS_READY = "ServersReady";
    public static final String WAITING_FOR_NODES = "WaitingForNodes";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SPEC_CHANGED = "SpecChanged";

    private final List<Condition> previous;
    private final long generation;
    private final Instant now;
    private final List<Condition> result = new ArrayList<>();

    public Conditions(List<Condition> previous, long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    public Conditions set(String type, Boolean status, String reason, String message) {
        String value = status == null ? "Unknown" : status ? "True" : "False";
        Condition old = previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String transition = old != null && value.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now.toString();
        result.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(result);
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
}
