package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.api.ConditionedStatus;
import dev.neper.fleet.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one status writer of a kind of resource, as the Flink operator's status recorder: given the
 * status last written and the one a reconcile computed, it computes the one {@link Transition} between
 * them and from it alone writes the status (coalesced by {@link StatusWrites}), emits its Events,
 * updates its metrics (the {@link StatusPolicy}) and decides when to reconcile again. A failed
 * reconcile goes through {@link #recordFailure}, which puts the cause in the ReconcileError condition.
 */
public final class StatusRecorder<R extends CustomResource<?, S>, S extends ConditionedStatus<S>, T extends Transition> {
    /** Longest wait between two looks at a resource even when no event comes: a safety net. */
    public static final Duration MAX_RESCHEDULE = Duration.ofSeconds(30);
    /** How soon to come back after a write that other work waits for. */
    public static final Duration FOLLOW_UP = Duration.ofMillis(100);
    /** Added to every wake-up, so a deadline has passed when the reconcile runs. */
    static final Duration PAST_DEADLINE = Duration.ofMillis(50);

    private final StatusPolicy<R, S, T> policy;
    private final StatusWrites writes;
    private final EventRecorder events;
    private final ReconcileFailures failures = new ReconcileFailures();

    public StatusRecorder(StatusPolicy<R, S, T> policy, StatusWrites writes, EventRecorder events) {
        this.policy = policy;
        this.writes = writes;
        this.events = events;
    }

    /**
     * Records {@code computed} (null: nothing to write) for {@code resource}, whose status is the one
     * last written; {@code wakeAt} is when to look again if nothing happens (null: on events only).
     */
    public UpdateControl<R> record(R resource, S computed, Instant wakeAt, Instant now) {
        S previous = resource.getStatus();
        String uid = resource.getMetadata().getUid();
        S next = computed == null ? null : settleFailures(uid, previous, computed, generation(resource), now);
        if (next == null || next.equals(previous)) {
            return reschedule(UpdateControl.noUpdate(), now, wakeAt);
        }
        T transition = policy.transition(previous, next);
        Duration wait = writes.delayBeforeWrite(uid, transition.urgent(), now);
        if (!wait.isZero()) {
            return reschedule(UpdateControl.noUpdate(), now, earliest(now.plus(wait), wakeAt));
        }
        events.emit(resource, transition.events());
        policy.written(resource, transition, next);
        writes.written(uid, now);
        failures.recorded(uid);
        resource.setStatus(next);
        return reschedule(UpdateControl.patchStatus(resource), now,
                transition.followUp() ? earliest(now.plus(FOLLOW_UP), wakeAt) : wakeAt);
    }

    /**
     * A reconcile of {@code resource} failed with {@code error}: its status gets the ReconcileError
     * condition with the cause (JOSDK writes it if the API lets it, and retries the reconcile with backoff).
     */
    public ErrorStatusUpdateControl<R> recordFailure(R resource, Exception error, Instant now) {
        S status = resource.getStatus() != null ? resource.getStatus() : policy.empty(resource);
        ReconcileFailures.Failure failure = failures.failed(resource.getMetadata().getUid(), error, now);
        Condition condition = Conditions.stamp(failure.failing(), status.conditionList(), generation(resource), now);
        resource.setStatus(status.withConditions(Conditions.replace(status.conditionList(), condition)));
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /** Drops what is kept of a deleted resource. */
    public void forget(R resource) {
        writes.forget(resource.getMetadata().getUid());
        failures.forget(resource.getMetadata().getUid());
    }

    private S settleFailures(String uid, S previous, S computed, long generation, Instant now) {
        List<Condition> before = previous == null ? List.of() : previous.conditionList();
        List<Condition> settled = failures.settle(uid, before, computed.conditionList(), generation, now);
        return settled.equals(computed.conditionList()) ? computed : computed.withConditions(settled);
    }

    /** The JOSDK control, told to come back at {@code wakeAt} (capped at {@link #MAX_RESCHEDULE}). */
    private static <R extends CustomResource<?, ?>> UpdateControl<R> reschedule(UpdateControl<R> control, Instant now,
                                                                              Instant wakeAt) {
        if (wakeAt == null) {
            return control;
        }
        Duration delay = Duration.between(now, wakeAt).plus(PAST_DEADLINE);
        if (delay.compareTo(MAX_RESCHEDULE) > 0) {
            delay = MAX_RESCHEDULE;
        }
        return control.rescheduleAfter(delay.isNegative() ? PAST_DEADLINE : delay);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static long generation(CustomResource<?, ?> resource) {
        Long generation = resource.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
