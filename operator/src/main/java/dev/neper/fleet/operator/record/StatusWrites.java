package dev.neper.fleet.operator.record;

import dev.neper.fleet.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces status writes: at most one write per test per minimum interval, except that a phase
 * change is written at once (it is what users wait for, and what the run's next steps rely on).
 * Changes arriving in between are not lost: the reconciler recomputes the whole status from what it
 * observes and asks to be called again when the interval has passed.
 */
@ApplicationScoped
public class StatusWrites {
    private final Duration minInterval;
    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

    public StatusWrites(OperatorConfig config) {
        this.minInterval = config.status().minWriteInterval();
    }

    /** Zero when a write may go now, else how long to wait. */
    public Duration delayBeforeWrite(String testUid, boolean phaseChanged, Instant now) {
        Instant last = lastWrite.get(testUid);
        if (phaseChanged || last == null) {
            return Duration.ZERO;
        }
        Duration since = Duration.between(last, now);
        return since.compareTo(minInterval) >= 0 ? Duration.ZERO : minInterval.minus(since);
    }

    public void written(String testUid, Instant now) {
        lastWrite.put(testUid, now);
    }

    public void forget(String testUid) {
        lastWrite.remove(testUid);
    }
}
