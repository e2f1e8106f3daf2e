package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How many runs are kept (their child NeperTests, records and a line each in status.history) and how a
 * device's throughput is compared with its own past.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetHistory(
        @Default("5") @Min(1) @Max(30)
        @JsonPropertyDescription("Runs kept, the last one included: older runs' children and records are deleted.")
        Integer runs,

        @Default("0.2") @Min(0) @Max(1)
        @JsonPropertyDescription("A node's device whose best Gbit/s this run is below its median over the kept runs by"
                + " more than this fraction is Regressed, even above the floor; 0 turns the check off.")
        Double regressionFraction,

        @Default("2") @Min(1)
        @JsonPropertyDescription("The regression check applies to a device measured in at least this many earlier"
                + " kept runs.")
        Integer regressionMinRuns) {

    public static final FleetHistory DEFAULT = new FleetHistory(null, null, null);

    public int runsOrDefault() {
        return runs == null ? 5 : runs;
    }

    public double regressionFractionOrDefault() {
        return regressionFraction == null ? 0.2 : regressionFraction;
    }

    public int regressionMinRunsOrDefault() {
        return regressionMinRuns == null ? 2 : regressionMinRuns;
    }
}
