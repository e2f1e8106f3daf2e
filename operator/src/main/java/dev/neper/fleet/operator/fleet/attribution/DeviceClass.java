package dev.neper.fleet.operator.fleet.attribution;

/** What the good-partner tests say about one device of a suspect node. */
public enum DeviceClass {
    /** Not a suspect, or never tested with a good partner while not suspect: round 1 passed. */
    UNTESTED,
    /** Passed with every good partner. */
    CLEAN,
    /** Failed with every good partner, or with most of them after a vote. */
    FAULTY,
    /** Failed with as many good partners as it passed with: round 3 adds one more partner to vote. */
    TIED,
    /** Failed with fewer good partners than it passed with. */
    FLAKY,
    /** A suspect device that fewer good partners tested than the thresholds ask for. */
    INCONCLUSIVE
}
