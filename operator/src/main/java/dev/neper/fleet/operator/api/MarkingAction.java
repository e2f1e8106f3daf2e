package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** What marking did (or, in a dry run, would do) to one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MarkingAction(
        @JsonPropertyDescription("The node.")
        String node,

        @JsonPropertyDescription("set or clear (marks written or removed), wouldSet or wouldClear (a dry run's).")
        String action,

        @JsonPropertyDescription("Each mark: label key=value, condition Type=Status, taint key:effect.")
        List<String> marks) {

    public static final String SET = "set";
    public static final String CLEAR = "clear";
    public static final String WOULD_SET = "wouldSet";
    public static final String WOULD_CLEAR = "wouldClear";
}
