package dev.neper.fleet.operator.fleet.planning;

import dev.neper.fleet.operator.fleet.attribution.FleetVerdicts;

/**
 * A finished run.
 *
 * @param verdicts  every verdict with its evidence
 * @param rounds    how many rounds ran (1 to 3; 0 when no node could be tested)
 * @param waves     how many waves ran
 * @param pairTests how many pairs were tested, over all waves
 * @param linkTests how many links were tested
 * @param settings  the settings it ran with (the seed and ring timestep to record)
 */
public record FleetReport(FleetVerdicts verdicts, int rounds, int waves, int pairTests, int linkTests,
                          FleetSettings settings) {
}
