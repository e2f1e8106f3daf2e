package dev.neper.fleet.operator.report;

import dev.neper.fleet.operator.api.NeperFleetTestStatus;
import dev.neper.fleet.operator.api.NeperTest;

import java.util.List;

/**
 * What a report is made of: one fleet test's last run (its status and its child NeperTests) and the runs to
 * list beside it.
 *
 * @param namespace the fleet test's namespace, or null when only its status is known
 * @param name      the fleet test's name, or null when only its status is known
 * @param status    its status
 * @param children  its child NeperTests (none when only the status is known: the heatmap then has only the
 *                  nodes the status names)
 * @param runs      the last runs, newest first
 */
public record FleetRun(String namespace, String name, NeperFleetTestStatus status, List<NeperTest> children,
                       List<RunLine> runs) {
    public FleetRun {
        children = List.copyOf(children);
        runs = List.copyOf(runs);
    }

    /** A run in the list of last runs. */
    public record RunLine(String fleetTest, String runId, String phase, String reason, String startTime,
                          String completionTime, String healthy, Integer faults) {
        /** A kept run of a fleet test's history. */
        public static RunLine of(String fleetTest, dev.neper.fleet.operator.api.FleetHistoryEntry run) {
            java.util.Map<String, Integer> counts = run.counts() == null ? java.util.Map.of() : run.counts();
            int nodes = counts.values().stream().mapToInt(Integer::intValue).sum();
            boolean completed = dev.neper.fleet.operator.metrics.FleetMetrics.COMPLETED_RESULTS.contains(run.result());
            return new RunLine(fleetTest, run.runId(), completed ? "Completed" : "Failed", run.result(), run.startTime(),
                    run.completionTime(), completed ? counts.getOrDefault("Healthy", 0) + "/" + nodes : null,
                    run.faultyNodes() == null ? null : run.faultyNodes().size());
        }

        public static RunLine of(String fleetTest, NeperFleetTestStatus status) {
            return new RunLine(fleetTest, status.runId(), status.phase() == null ? null : status.phase().name(),
                    status.reason(), status.startTime(), status.completionTime(), status.healthy(), status.faults());
        }
    }
}
