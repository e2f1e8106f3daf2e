package dev.neper.fleet.operator.api;

/** A pair's lifecycle inside a test. */
public enum PairPhase {
    Pending, Starting, Ready, Running, Succeeded, Failed;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed;
    }
}
