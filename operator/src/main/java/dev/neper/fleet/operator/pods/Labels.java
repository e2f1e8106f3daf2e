package dev.neper.fleet.operator.pods;

/** Labels and annotations the operator puts on runner pods, for selection (kubectl get pods -l ...) and for its own cache. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String NAME_VALUE = "neper-runner";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "neper-fleet-operator";
    public static final String TEST = "neper.dev/test";
    public static final String ROLE = "neper.dev/role";
    public static final String PAIR = "neper.dev/pair";
    public static final String GENERATION = "neper.dev/generation";
    /** The selector of the operator's pod informer. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

    private Labels() {
    }
}
