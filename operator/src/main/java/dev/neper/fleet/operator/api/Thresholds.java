package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** What a link must reach to pass, besides running without error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Thresholds(
        @Min(0)
        @JsonPropertyDescription("Lowest receiver throughput in Gbit/s (neper's number, from the server) for a link to"
                + " pass. When absent any measured throughput passes.")
        Double minLinkGbps) {

    public static final Thresholds NONE = new Thresholds(null);
}
