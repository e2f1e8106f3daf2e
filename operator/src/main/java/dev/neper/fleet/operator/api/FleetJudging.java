package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * When a link fails: below the floor, or (on rails with enough round-1 samples) below a fraction of
 * its rail's median or with a robust z-score below a bound. The status records the values in force.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetJudging(
        @Min(0)
        @JsonPropertyDescription("The absolute floor in Gbit/s (receiver throughput); absent: none. Set it on small fleets,"
                + " where the relative tests do not apply (fewer than minSamples links per rail), e.g. to 75% of line rate.")
        Double minLinkGbps,

        @Default("0.9") @Min(0) @Max(1)
        @JsonPropertyDescription("A link below this fraction of its rail's round-1 median fails; 0 turns the test off.")
        Double minFractionOfMedian,

        @Default("-3.5") @Max(0)
        @JsonPropertyDescription("A link whose robust z-score, 0.6745 (x - median) / MAD, is below this fails; a very"
                + " low value (-1000) turns the test off.")
        Double minRobustZ,

        @Default("0.01") @Min(0) @Max(1)
        @JsonPropertyDescription("The MAD in the z-score is at least this fraction of the median, so a rail whose links"
                + " are all within a hair of each other does not flag a 1% dip.")
        Double minMadFraction,

        @Default("8") @Min(2)
        @JsonPropertyDescription("The relative tests apply on rails with at least this many round-1 samples (links that"
                + " measured a throughput).")
        Integer minSamples) {

    public static final FleetJudging DEFAULT = new FleetJudging(null, null, null, null, null);
}
