package dev.neper.fleet.operator.run;

import dev.neper.fleet.operator.api.Durations;
import dev.neper.fleet.operator.api.TestTiming;

import java.time.Instant;

/** The run's time: now, when it started, and its deadlines. */
public record RunClock(Instant now, Instant startedAt, TestTiming timing) {

    public Instant finishAt() {
        return startedAt.plus(timing.finishDeadline());
    }

    public boolean pastFinish() {
        return now.isAfter(finishAt());
    }

    public String startText() {
        return Durations.format(timing.startDeadline());
    }

    public String finishText() {
        return Durations.format(timing.finishDeadline());
    }
}
