package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.api.ConditionedStatus;
import dev.neper.fleet.operator.api.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reconciles that failed (an API call refused or unreachable), kept per resource until a status saying
 * so is written. While attempts fail, the ReconcileError condition is True with the cause, when the
 * API takes that write; once an attempt succeeds, it turns False (reason Recovered) and still names the
 * cause, so a failure that also kept the status from being written is not lost to the operator's log.
 */
public final class ReconcileFailures {
    public static final String CONDITION = "ReconcileError";
    static final int MAX_CAUSE = 512;

    private final Map<String, Failure> pending = new ConcurrentHashMap<>();

    /** A run of failed attempts: when the first failed, how many did, and why the last one did. */
    public record Failure(Instant since, int attempts, String cause) {
        Condition failing() {
            return condition(true, Reason.ReconcileFailed, "attempt " + attempts + " since " + since
                    + " failed (retrying with backoff): " + cause);
        }

        Condition recovered(Instant now) {
            return condition(false, Reason.Recovered, "recovered at " + now + " after " + attempts + " failed attempt"
                    + (attempts == 1 ? "" : "s") + " since " + since + "; the last: " + cause);
        }
    }

    /** Records one failed attempt; returns the run of failures it belongs to. */
    public Failure failed(String uid, Throwable error, Instant now) {
        String cause = cause(error);
        return pending.merge(uid, new Failure(now, 1, cause),
                (old, latest) -> new Failure(old.since(), old.attempts() + 1, cause));
    }

    /**
     * The conditions to write after a reconcile that succeeded: {@code computed} with the
     * ReconcileError condition as it now stands (recovered from a pending failure, recovered from one
     * a previous status recorded as ongoing, or the previous one unchanged), or without it when
     * nothing ever failed.
     */
    public List<Condition> settle(String uid, List<Condition> previous, List<Condition> computed, long generation,
                                  Instant now) {
        Failure failure = pending.get(uid);
        Condition before = Conditions.find(previous, CONDITION);
        Condition settled;
        if (failure != null) {
            settled = failure.recovered(now);
        } else if (before != null && "True".equals(before.getStatus())) {
            settled = condition(false, Reason.Recovered, "recovered at " + now + "; before: " + before.getMessage());
        } else if (before != null) {
            settled = before;
        } else {
            return computed;
        }
        return Conditions.replace(computed, Conditions.stamp(settled, previous, generation, now));
    }

    /** A status carrying the pending failure went out: it is on record now. */
    public void recorded(String uid) {
        pending.remove(uid);
    }

    public void forget(String uid) {
        pending.remove(uid);
    }

    /**
     * One line saying why: the API's code and message for a refused call ("HTTP 403: Failure executing:
     * POST at: .../pods. Message: pods is forbidden: exceeded quota."), the root cause for a call that
     * never got an answer.
     */
    static String cause(Throwable error) {
        Throwable root = error;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                String message = String.valueOf(k.getMessage());
                int status = message.indexOf(" Received status:");
                return shorten("HTTP " + k.getCode() + ": " + (status < 0 ? message : message.substring(0, status)));
            }
            root = t;
        }
        String text = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (root != error) {
            text += ": " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        return shorten(text);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_CAUSE ? text : text.substring(0, MAX_CAUSE - 1) + "…";
    }

    private static Condition condition(boolean status, Reason reason, String message) {
        return ConditionedStatus.decided(CONDITION, status, reason, message, null);
    }
}
