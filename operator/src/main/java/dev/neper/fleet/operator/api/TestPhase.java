package dev.neper.fleet.operator.api;

/** A NeperTest's lifecycle. */
public enum TestPhase {
    Pending, Starting, Running, Succeeded, Failed;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed;
    }

    /** Phases in which the test owns its nodes. */
    public boolean isActive() {
        return this == Starting || this == Running;
    }
}
