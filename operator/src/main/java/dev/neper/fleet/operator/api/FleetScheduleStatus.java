package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a scheduled fleet test is in its schedule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetScheduleStatus(
        @JsonPropertyDescription("The last scheduled time a run was started for, or skipped (RFC 3339).")
        String lastScheduleTime,

        @JsonPropertyDescription("The value of neper.dev/run-now last acted on.")
        String runNowHandled,

        @JsonPropertyDescription("The last scheduled time skipped because it was past startingDeadlineSeconds when it"
                + " could start (RFC 3339).")
        String lastMissed) {

    public static final FleetScheduleStatus NONE = new FleetScheduleStatus(null, null, null);
}
