package dev.neper.fleet.operator.api;

/** A fleet run's lifecycle. */
public enum FleetPhase {
    /** Validating, or waiting for nodes another test uses. */
    Pending,
    /** One discovery pod per selected node reports its devices and addresses. */
    Discovering,
    /** Waves of child NeperTests run, round by round. */
    Running,
    /** Every verdict is in (healthy or not: the Healthy condition says). */
    Completed,
    /** The run could not reach verdicts (an invalid spec, no node to test, its record lost). */
    Failed;

    public boolean isTerminal() {
        return this == Completed || this == Failed;
    }

    /** Phases in which the run holds its nodes. */
    public boolean isActive() {
        return this == Discovering || this == Running;
    }
}
