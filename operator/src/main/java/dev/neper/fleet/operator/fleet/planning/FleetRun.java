package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.eligibility.EligibleFleet;
import dev.neper.fleet.operator.fleet.wave.WaveResult;

import java.util.ArrayList;
import java.util.List;

/**
 * A fleet run so far: its fleet, its settings and the results of the waves run, in the order the planner
 * gave them. Everything else (the next wave, the verdicts) is a function of this, so a controller can
 * rebuild it from what it stored (the child tests' results) after a restart.
 *
 * @param fleet    the eligible fleet
 * @param settings the settings
 * @param results  each completed wave's results, in order
 */
public record FleetRun(EligibleFleet fleet, FleetSettings settings, List<WaveResult> results) {
    public FleetRun {
        results = List.copyOf(results);
    }

    public static FleetRun start(EligibleFleet fleet, FleetSettings settings) {
        return new FleetRun(fleet, settings, List.of());
    }

    public FleetRun with(WaveResult result) {
        List<WaveResult> more = new ArrayList<>(results);
        more.add(result);
        return new FleetRun(fleet, settings, more);
    }
}
