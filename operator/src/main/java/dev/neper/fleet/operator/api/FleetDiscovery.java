package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What discovery found, in counts; the nodes' devices and addresses are in the run's record. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetDiscovery(
        @JsonPropertyDescription("Nodes the selector matched.")
        Integer selected,

        @JsonPropertyDescription("Discovery pods created (one per selected node that is Ready, schedulable and not"
                + " excluded).")
        Integer pods,

        @JsonPropertyDescription("Discovery pods that ended.")
        Integer ended,

        @JsonPropertyDescription("Nodes that take traffic tests.")
        Integer testable,

        @JsonPropertyDescription("Nodes not tested: not Ready, cordoned or excluded.")
        Integer skipped,

        @JsonPropertyDescription("Nodes that cannot take the test: a missing device or address, an address outside the"
                + " rail's subnet, a failed preflight or discovery pod.")
        Integer unqualified,

        @JsonPropertyDescription("The ConfigMap (same namespace) holding the run's record: every tested node's rack and"
                + " addresses per rail, and every untested node's verdict, as gzip'd JSON. The run replays from it and"
                + " from its child NeperTests.")
        String record) {
}
