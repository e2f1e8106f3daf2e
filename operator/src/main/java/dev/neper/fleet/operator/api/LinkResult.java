package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One link's result, from both runners' reports. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a status a newer operator wrote (before a rollback) may have fields this one does not know: they are its own
@JsonIgnoreProperties(ignoreUnknown = true)
public record LinkResult(
        @JsonPropertyDescription("The interface name.")
        String device,

        @JsonPropertyDescription("Receiver throughput in Gbit/s: neper's throughput, measured by the server.")
        Double gbps,

        @JsonPropertyDescription("Pending until both runners reported; then Passed or Failed.")
        LinkVerdict verdict,

        @JsonPropertyDescription("Payload validation: Off (not asked), Passed, Failed (mismatches) or Unknown (no report).")
        ValidationResult validation,

        @JsonPropertyDescription("Bytes the server validated, when validation is on.")
        Long validatedBytes,

        @JsonPropertyDescription("Validation mismatches the server found, when validation is on.")
        Long mismatches,

        @JsonPropertyDescription("Why the link failed: the runner's error (kind: message), a threshold miss, or the"
                + " pair's failure. Shortened to 200 characters; the pods' termination messages have the rest.")
        String error) {
}
