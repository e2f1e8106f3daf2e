package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** What the rounds' results must show before a verdict names a node, device, path or rail. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetAttribution(
        @Default("2") @Min(2) @Max(8)
        @JsonPropertyDescription("Known-good partners each suspect is tested with in round 2 (in other racks when the"
                + " topology allows); a suspect device fewer of them could test is Inconclusive.")
        Integer goodPartners,

        @Default("0.5") @Min(0) @Max(1)
        @JsonPropertyDescription("A node is a NodeFault when at least this share of its devices (and at least 2) fail"
                + " with good partners; fewer make a LinkFault.")
        Double nodeFaultShare,

        @Default("0.5") @Min(0) @Max(1)
        @JsonPropertyDescription("A rail is a fleet-wide RailFault when it fails on at least this share of round 1's pairs"
                + " whose other rails mostly pass.")
        Double railFleetShare,

        @Default("0.9") @Min(0) @Max(1)
        @JsonPropertyDescription("A rail is a fleet-wide RailFault when its round-1 median is below this fraction of the"
                + " median of all rails' medians; 0 turns the rule off (rails of different speeds).")
        Double railMedianFraction,

        @Default("1.0") @Min(0) @Max(1)
        @JsonPropertyDescription("A rail is a RailFault in one rack when at least this share of the rack's nodes whose"
                + " other devices pass fail on it with good partners.")
        Double rackRailShare,

        @Default("3") @Min(1)
        @JsonPropertyDescription("A rack needs at least this many such nodes for a rack RailFault.")
        Integer minRackNodes) {

    public static final FleetAttribution DEFAULT = new FleetAttribution(null, null, null, null, null, null);
}
