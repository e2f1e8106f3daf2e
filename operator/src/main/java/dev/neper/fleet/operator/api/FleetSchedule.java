package dev.neper.fleet.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * When a fleet test runs again, as a CronJob: a cron expression in a time zone, never two runs at once
 * (a time that comes while a run is going is started once it ended, unless the starting deadline passed),
 * suspended at will. The annotation {@value #RUN_NOW} asks for one run at once, schedule or not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetSchedule(
        @Required
        @JsonPropertyDescription("A standard (UNIX, 5-field) cron expression: \"0 2 * * *\" is every night at 02:00.")
        String cron,

        @Default("UTC")
        @JsonPropertyDescription("The time zone the cron expression is in (an IANA name such as Europe/Paris).")
        String timeZone,

        @Default("false")
        @JsonPropertyDescription("No scheduled run starts while true (a run going on finishes; the run-now annotation"
                + " still runs one).")
        Boolean suspend,

        @Min(1)
        @JsonPropertyDescription("A scheduled time missed by more than this many seconds (the operator was down, or a run"
                + " was still going) is skipped, with an Event; absent: a missed time runs however late.")
        Long startingDeadlineSeconds) {

    /** Annotation on a NeperFleetTest: a new value starts one run at once. */
    public static final String RUN_NOW = "neper.dev/run-now";

    public String timeZoneOrDefault() {
        return timeZone == null ? "UTC" : timeZone;
    }

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }
}
