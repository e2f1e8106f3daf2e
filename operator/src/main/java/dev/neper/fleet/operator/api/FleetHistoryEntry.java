package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;
import java.util.Map;

/** One kept run, compactly: when, how it ended, nodes per verdict and the faulty nodes' names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetHistoryEntry(
        @JsonPropertyDescription("The run's id (its start time in UTC).")
        String runId,

        @JsonPropertyDescription("When it started (RFC 3339).")
        String startTime,

        @JsonPropertyDescription("When it ended (RFC 3339).")
        String completionTime,

        @JsonPropertyDescription("How it ended: Completed (healthy), FaultsFound, Inconclusive, or why it failed"
                + " (InvalidSpec, RecordLost...).")
        String result,

        @JsonPropertyDescription("Nodes per verdict.")
        Map<String, Integer> counts,

        @JsonPropertyDescription("The nodes with a NodeFault or LinkFault verdict.")
        List<String> faultyNodes) {
}
