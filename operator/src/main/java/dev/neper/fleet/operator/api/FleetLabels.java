package dev.neper.fleet.operator.api;

/**
 * Labels and annotations on what a fleet run creates, for selection ({@code kubectl get nepertest -l
 * neper.dev/fleet-test=nightly}) and for the operator's own caches.
 */
public final class FleetLabels {
    /** The fleet test (name) a child NeperTest, discovery pod or record belongs to. */
    public static final String FLEET_TEST = "neper.dev/fleet-test";
    /** The run id (status.runId) it belongs to. */
    public static final String RUN = "neper.dev/fleet-run";
    /** discovery (a discovery pod) or record (the run's record). */
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String DISCOVERY = "discovery";
    public static final String RECORD = "record";
    /** A child NeperTest's round, wave within its round, and part within its wave. */
    public static final String ROUND = "neper.dev/fleet-round";
    public static final String WAVE = "neper.dev/fleet-wave";
    public static final String PART = "neper.dev/fleet-part";
    /** Annotation: how many parts (child NeperTests) its wave has. */
    public static final String PARTS = "neper.dev/fleet-parts";
    /** Annotation on a discovery pod: its node's value of spec.pairing.topologyKey when the pod was made. */
    public static final String RACK = "neper.dev/rack";

    private FleetLabels() {
    }
}
