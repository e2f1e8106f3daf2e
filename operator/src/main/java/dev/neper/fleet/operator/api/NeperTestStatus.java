package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/** What the operator observed; written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NeperTestStatus(
        @JsonPropertyDescription("Pending (validating, or waiting for nodes another test uses), Starting (server pods"
                + " starting), Running (clients sending), Succeeded (every link passed) or Failed.")
        TestPhase phase,

        @JsonPropertyDescription("Why the test is in its phase, as a CamelCase reason (the Complete condition's reason"
                + " once it ended).")
        String reason,

        @JsonPropertyDescription("A sentence for humans saying what the reason means for this test.")
        String message,

        @JsonPropertyDescription("When the run started: its first pod was created (RFC 3339).")
        String startTime,

        @JsonPropertyDescription("When the run ended (RFC 3339).")
        String completionTime,

        @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("The NeperTest (namespace/name) this one waits for, because both use a node.")
        String waitingFor,

        @JsonPropertyDescription("Conditions: Complete (the test ended, whatever its verdict), Passed (every link passed),"
                + " ServersReady, WaitingForNodes, InvalidSpec and SpecChanged; each with the generation it was set for.")
        List<Condition> conditions,

        @JsonPropertyDescription("Links passed of total, and throughput statistics over the measured links.")
        TestSummary summary,

        @JsonPropertyDescription("One entry per spec pair, in spec order, with per-link results.")
        List<PairStatus> pairs) {

    public List<Condition> conditionList() {
        return conditions == null ? List.of() : conditions;
    }

    public List<PairStatus> pairList() {
        return pairs == null ? List.of() : pairs;
    }
}
