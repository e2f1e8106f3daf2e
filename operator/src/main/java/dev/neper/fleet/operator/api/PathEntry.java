package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** A path or flaky pair in a fleet run's status: no node blamed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PathEntry(
        @JsonPropertyDescription("The two nodes, round 1's server first.")
        List<String> nodes,

        @JsonPropertyDescription("The rail.")
        String device,

        @JsonPropertyDescription("Path (failed again on retest), Flaky (passed on retest) or Inconclusive.")
        String verdict,

        @JsonPropertyDescription("The rule and the numbers.")
        String reason,

        @JsonPropertyDescription("The deciding tests, one line each (r3 node-a->node-b: eth2 0.9 <floor).")
        List<String> evidence) {
}
