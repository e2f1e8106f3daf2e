package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The test at a glance; printed by kubectl get. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a status a newer operator wrote (before a rollback) may have fields this one does not know: they are its own
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestSummary(
        @JsonPropertyDescription("Links passed / links in the test, e.g. 7/8.")
        String links,

        @JsonPropertyDescription("Links that passed.")
        Integer linksPassed,

        @JsonPropertyDescription("Links that failed.")
        Integer linksFailed,

        @JsonPropertyDescription("Links in the test.")
        Integer linksTotal,

        @JsonPropertyDescription("Lowest receiver throughput over the links that reported one, Gbit/s.")
        Double minGbps,

        @JsonPropertyDescription("Median receiver throughput over the links that reported one, Gbit/s.")
        Double medianGbps,

        @JsonPropertyDescription("Highest receiver throughput over the links that reported one, Gbit/s.")
        Double maxGbps) {
}
