package dev.neper.fleet.operator.fleet.wave;

/** Why a pair is tested, for the status and events. */
public enum Purpose {
    /** Round 1's matching. */
    FIRST_ROUND,
    /** Round 1's odd node out, with a node that already passed. */
    ODD_NODE,
    /** Round 2: a suspect with a known-good partner. */
    GOOD_PARTNER,
    /** Round 3: a pair that failed in round 1 while both ends passed with good partners: path or flaky. */
    RETEST,
    /** Round 3: a device with mixed results in round 2 gets one more good partner, to decide by vote. */
    VOTE
}
