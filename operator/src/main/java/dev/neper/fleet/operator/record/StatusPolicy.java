package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.api.ConditionedStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** What the status recorder needs to know of one kind of resource. */
public interface StatusPolicy<R extends HasMetadata, S extends ConditionedStatus<S>, T extends Transition> {
    /** The change from {@code before} (null: never written) to a different {@code after}. */
    T transition(S before, S after);

    /** Bookkeeping for a status about to be written with this transition (metrics). */
    void written(R resource, T transition, S status);

    /** The status of a resource that has none yet, to carry a reconcile failure's condition. */
    S empty(R resource);
}
