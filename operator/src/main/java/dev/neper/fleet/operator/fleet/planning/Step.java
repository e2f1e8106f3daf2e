package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.wave.Wave;

/** What the controller does next: run a wave, or report. */
public sealed interface Step {
    /** Test these pairs, then give their results to {@link FleetRun#with}. */
    record RunWave(Wave wave) implements Step {
    }

    /** The run is over. */
    record Finished(FleetReport report) implements Step {
    }
}
