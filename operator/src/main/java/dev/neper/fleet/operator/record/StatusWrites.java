package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces status writes: at most one write per resource per minimum interval, except that an
 * urgent change (a phase change) is written at once: it is what users wait for, and what the next
 * steps rely on. Changes arriving in between are not lost: a reconcile recomputes the whole status
 * from what it observes and asks to be called again when the interval has passed.
 */
@ApplicationScoped
public class StatusWrites {
    private final Duration minInterval;
    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

    @Inject
    public StatusWrites(OperatorConfig config) {
        this(config.status().minWriteInterval());
    }

    public StatusWrites(Duration minInterval) {
        this.minInterval = minInterval;
    }

    /** Zero when a write may go now, else how long to wait. */
    public Duration delayBeforeWrite(String uid, boolean urgent, Instant now) {
        Instant last = lastWrite.get(uid);
        if (urgent || last == null) {
            return Duration.ZERO;
        }
        Duration since = Duration.between(last, now);
        return since.compareTo(minInterval) >= 0 ? Duration.ZERO : minInterval.minus(since);
    }

    public void written(String uid, Instant now) {
        lastWrite.put(uid, now);
    }

    public void forget(String uid) {
        lastWrite.remove(uid);
    }
}
