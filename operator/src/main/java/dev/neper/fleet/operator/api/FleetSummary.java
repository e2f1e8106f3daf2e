package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Map;

/**
 * A run's compact result: counts, then only what is not healthy. Its size grows with the faults found,
 * not with the fleet (a few hundred bytes per listed node, about 100 per rail).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetSummary(
        @JsonPropertyDescription("Nodes observed (selected).")
        int nodes,

        @JsonPropertyDescription("Nodes per verdict (only verdicts given): Healthy, LinkFault, NodeFault, Flaky,"
                + " Inconclusive, Skipped, Unqualified.")
        Map<String, Integer> counts,

        @JsonPropertyDescription("Paths at fault: pairs that failed twice while both ends passed with good partners.")
        int paths,

        @JsonPropertyDescription("Pairs that failed once and passed on retest.")
        int flakyPairs,

        @JsonPropertyDescription("Rail faults, fleet-wide and per rack.")
        int railFaults,

        @JsonPropertyDescription("Rounds run (1 to 3).")
        int rounds,

        @JsonPropertyDescription("Pairs tested over all waves.")
        int pairTests,

        @JsonPropertyDescription("The seed the run used.")
        long seed,

        @JsonPropertyDescription("Round 1's strategy.")
        String strategy,

        @JsonPropertyDescription("The ring strategy's timestep (give the next run this plus one).")
        long ringTimestep,

        @JsonPropertyDescription("The judging thresholds in force, defaults filled in.")
        FleetJudging thresholds,

        @JsonPropertyDescription("The non-healthy nodes, by name, with verdict, devices, reason and evidence.")
        List<NodeEntry> faulty,

        @JsonPropertyDescription("The paths at fault and the flaky pairs.")
        List<PathEntry> pathFaults,

        @JsonPropertyDescription("Every rail's round-1 statistics and faults.")
        List<RailEntry> rails) {

    /** The non-healthy nodes; a summary read back from the API has none listed when all were healthy. */
    public List<NodeEntry> faultyList() {
        return faulty == null ? List.of() : faulty;
    }
}
