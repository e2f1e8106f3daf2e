package dev.neper.fleet.operator.api;

/** The condition types of a NeperTest's status; docs/operator.md says when each is True. */
public final class TestConditions {
    public static final String COMPLETE = "Complete";
    public static final String PASSED = "Passed";
    public static final String SERVERS_READY = "ServersReady";
    public static final String WAITING_FOR_NODES = "WaitingForNodes";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SPEC_CHANGED = "SpecChanged";

    private TestConditions() {
    }
}
