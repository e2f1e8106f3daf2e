package dev.neper.fleet.operator.api;

/** The condition types of a NeperFleetTest's status; docs/fleet.md says when each is True. */
public final class FleetConditions {
    public static final String COMPLETE = TestConditions.COMPLETE;
    public static final String HEALTHY = "Healthy";
    public static final String WAITING_FOR_NODES = TestConditions.WAITING_FOR_NODES;
    public static final String INVALID_SPEC = TestConditions.INVALID_SPEC;
    public static final String SPEC_CHANGED = TestConditions.SPEC_CHANGED;
    /** True while the marking budget's breaker is tripped: no more node is marked faulty until it is reset. */
    public static final String MARKING_BUDGET_EXCEEDED = "MarkingBudgetExceeded";

    private FleetConditions() {
    }
}
