package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.PairPhase;
import dev.neper.fleet.operator.api.Reason;

import java.time.Instant;

/**
 * One pair's next state: its phase, why it failed (reason and message quoting Kubernetes or the
 * runner), whether its server pod is to be created, and the next time something may change without
 * an event (a deadline), or null.
 */
public record PairStep(PairPhase phase, Reason reason, String message, boolean createServer, Instant wakeAt) {

    static PairStep of(PairPhase phase, Instant wakeAt) {
        return new PairStep(phase, null, null, false, wakeAt);
    }

    static PairStep failed(Reason reason, String message) {
        return new PairStep(PairPhase.Failed, reason, message, false, null);
    }
}
