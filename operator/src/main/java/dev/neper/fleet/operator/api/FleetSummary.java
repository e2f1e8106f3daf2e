package dev.neper.fleet.operator.fleet.summary;

import dev.neper.fleet.operator.fleet.judging.JudgingThresholds;

import java.util.List;
import java.util.Map;

/**
 * A run's compact result for the status: counts, then only what is not healthy. Its size grows with the
 * faults found, not with the fleet (a few hundred bytes per listed node, about 100 per rail).
 *
 * @param nodes      how many nodes were observed
 * @param counts     how many nodes got each verdict (only verdicts given)
 * @param paths      how many paths are at fault
 * @param flakyPairs how many pairs were flaky
 * @param railFaults how many rail faults (fleet-wide and per rack)
 * @param rounds     rounds run
 * @param pairTests  pairs tested over all waves
 * @param seed       the seed the run used
 * @param strategy   round 1's strategy
 * @param ringTimestep the ring strategy's timestep (record it; the next run uses the next one)
 * @param thresholds the judging thresholds in force (floor and relative)
 * @param faulty     the non-healthy nodes, by name
 * @param pathFaults the paths and flaky pairs
 * @param rails      every rail's statistics and faults
 */
public record FleetSummary(int nodes, Map<String, Integer> counts, int paths, int flakyPairs, int railFaults, int rounds,
                           int pairTests, long seed, String strategy, long ringTimestep, JudgingThresholds thresholds,
                           List<NodeEntry> faulty, List<PathEntry> pathFaults, List<RailEntry> rails) {
}
