package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** A rail in a fleet run's status: round 1's statistics and its faults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RailEntry(
        @JsonPropertyDescription("The device name.")
        String rail,

        @JsonPropertyDescription("Round-1 links that measured a throughput.")
        int samples,

        @JsonPropertyDescription("The lowest, Gbit/s.")
        Double minGbps,

        @JsonPropertyDescription("The median, Gbit/s.")
        Double medianGbps,

        @JsonPropertyDescription("The median absolute deviation, Gbit/s.")
        Double madGbps,

        @JsonPropertyDescription("Its faults: fleet-wide or in one rack, the switch side named.")
        List<String> faults) {
}
