package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** A non-healthy node in a fleet run's status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeEntry(
        @JsonPropertyDescription("The node.")
        String node,

        @JsonPropertyDescription("Its verdict: NodeFault, LinkFault, Flaky, Inconclusive, Skipped or Unqualified.")
        String verdict,

        @JsonPropertyDescription("The devices the verdict names.")
        List<String> devices,

        @JsonPropertyDescription("The rule and the numbers that decided it.")
        String reason,

        @JsonPropertyDescription("The deciding tests, one line per tested pair: round, peer, then per device the Gbit/s"
                + " and ok or why it failed (r2 node-0100: eth3 91.2 <median, eth5 ok).")
        List<String> evidence) {
}
