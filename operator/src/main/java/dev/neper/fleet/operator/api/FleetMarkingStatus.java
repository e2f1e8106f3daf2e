package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/** What the last run's marking did or would do, and whether the budget stopped it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetMarkingStatus(
        @JsonPropertyDescription("The run these marks are for.")
        String runId,

        @JsonPropertyDescription("True: nothing was written to any node; the actions say what would have been.")
        boolean dryRun,

        @JsonPropertyDescription("True once more nodes were found faulty than the budget allows: no more node is marked"
                + " faulty until the annotation neper.dev/reset-marking-budget gets a new value.")
        boolean budgetTripped,

        @JsonPropertyDescription("Why the budget stopped marking.")
        String budgetReason,

        @JsonPropertyDescription("Nodes whose marks were set (or would be) by this run: healthy and faulty.")
        int marksSet,

        @JsonPropertyDescription("Nodes whose faulty marks were cleared (or would be).")
        int marksCleared,

        @JsonPropertyDescription("The nodes whose health marks change, with the marks (at most 100 listed).")
        List<MarkingAction> actions,

        @JsonPropertyDescription("Actions beyond the 100 listed.")
        Integer actionsNotListed,

        @JsonPropertyDescription("The value of neper.dev/reset-marking-budget last acted on.")
        String budgetResetHandled) {

    public List<MarkingAction> actionList() {
        return actions == null ? List.of() : actions;
    }
}
