package dev.neper.fleet.operator.fleettest.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.neper.fleet.operator.api.FleetSchedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A spec.schedule read by cron-utils (UNIX cron, 5 fields) in its time zone: the times it names. */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException naming the field when the expression or the time zone does not read */
    public static CronSchedule of(FleetSchedule schedule) {
        ZoneId zone;
        try {
            zone = ZoneId.of(schedule.timeZoneOrDefault());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("spec.schedule.timeZone: \"" + schedule.timeZoneOrDefault()
                    + "\" is not a time zone (an IANA name such as UTC or Europe/Paris)");
        }
        if (schedule.cron() == null || schedule.cron().isBlank()) {
            throw new IllegalArgumentException("spec.schedule.cron: required (a 5-field cron expression such as \"0 2 * * *\")");
        }
        try {
            return new CronSchedule(ExecutionTime.forCron(PARSER.parse(schedule.cron().trim()).validate()), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.schedule.cron: \"" + schedule.cron() + "\" is not a 5-field cron"
                    + " expression (minute hour day-of-month month day-of-week): " + e.getMessage());
        }
    }

    /** The first time strictly after {@code after}. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    /** The latest time at or before {@code now}. */
    public Optional<Instant> latest(Instant now) {
        ZonedDateTime at = ZonedDateTime.ofInstant(now, zone);
        if (times.isMatch(at.withSecond(0).withNano(0)) && at.withSecond(0).withNano(0).toInstant().equals(now)) {
            return Optional.of(now);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }
}
