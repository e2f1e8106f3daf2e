package dev.neper.fleet.runner.validate;

/** The first byte that did not match: which flow, its stream offset, the byte expected and the byte received. */
public record Mismatch(String flow, long offset, int expected, int got) {
    @Override
    public String toString() {
        return "flow " + flow + " at stream offset " + offset + ": expected " + expected + ", got " + got;
    }
}
