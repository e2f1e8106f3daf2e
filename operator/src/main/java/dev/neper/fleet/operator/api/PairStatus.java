package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** One pair's progress and results. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a status a newer operator wrote (before a rollback) may have fields this one does not know: they are its own
@JsonIgnoreProperties(ignoreUnknown = true)
public record PairStatus(
        @JsonPropertyDescription("The server node.")
        String server,

        @JsonPropertyDescription("The client node.")
        String client,

        @JsonPropertyDescription("Pending, Starting (server pod starting), Ready (server listening on every link),"
                + " Running (client sending), Succeeded (both runners ended cleanly) or Failed.")
        PairPhase phase,

        @JsonPropertyDescription("Why the pair failed, as a CamelCase reason (see the operator's failure reasons).")
        String reason,

        @JsonPropertyDescription("What failed, quoting Kubernetes or the runner.")
        String message,

        @JsonPropertyDescription("Per-link results, in spec order.")
        List<LinkResult> links) {
}
