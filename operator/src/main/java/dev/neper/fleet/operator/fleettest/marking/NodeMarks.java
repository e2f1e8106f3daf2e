package dev.neper.fleet.operator.fleettest.marking;

/** The marks a fleet test puts on nodes: label keys, the Node condition, the taint, and the annotation that says which are ours. */
public final class NodeMarks {
    /** healthy, faulty, or testing while a run tests the node. */
    public static final String HEALTH = "neper.dev/network-health";
    public static final String RUN = "neper.dev/network-run";
    /** When the node was judged, UTC, as 20260115T020912Z (a label value has no colons). */
    public static final String TIME = "neper.dev/network-time";
    /** The faulty devices, joined by dots: eth1.eth3. */
    public static final String DEVICES = "neper.dev/network-faulty-devices";
    public static final String CONDITION = "NeperNetworkHealthy";
    public static final String TAINT = "neper.dev/network-faulty";
    /** Annotation: which of these marks this operator set, for which fleet test and run (JSON, {@link OwnMarks}). */
    public static final String OWN = "neper.dev/network-marks";

    public static final String HEALTHY = "healthy";
    public static final String FAULTY = "faulty";
    public static final String TESTING = "testing";

    private NodeMarks() {
    }
}
