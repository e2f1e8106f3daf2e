package dev.neper.fleet.operator.fleettest.schedule;

import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.FleetScheduleStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a fleet test runs again: CronJob's rules (concurrency Forbid, the starting deadline) and the run-now annotation. */
@Tag("unit")
class RunTriggerTest {
    private static final FleetSchedule NIGHTLY = new FleetSchedule("0 2 * * *", "Europe/Paris", null, 3600L);
    private static final Instant CREATED = Instant.parse("2026-01-10T12:00:00Z");

    private static RunTrigger at(FleetSchedule schedule, FleetScheduleStatus state, String runNow, String now) {
        return RunTrigger.decide(schedule, state, runNow, CREATED, Instant.parse(now));
    }

    @Test
    void aNightlyScheduleRunsAtTwoInItsTimeZoneNotBeforeAndNotTwice() {
        // 02:00 in Paris is 01:00 UTC in January
        RunTrigger before = at(NIGHTLY, FleetScheduleStatus.NONE, null, "2026-01-11T00:59:00Z");
        assertEquals(RunTrigger.Kind.WAIT, before.kind());
        assertEquals(Instant.parse("2026-01-11T01:00:00Z"), before.nextRun());

        RunTrigger due = at(NIGHTLY, FleetScheduleStatus.NONE, null, "2026-01-11T01:00:20Z");
        assertEquals(RunTrigger.Kind.RUN_SCHEDULED, due.kind());
        assertEquals(Instant.parse("2026-01-11T01:00:00Z"), due.scheduledTime());
        assertEquals(Instant.parse("2026-01-12T01:00:00Z"), due.nextRun());

        FleetScheduleStatus acted = due.acted(FleetScheduleStatus.NONE);
        assertEquals("2026-01-11T01:00:00Z", acted.lastScheduleTime());
        assertEquals(RunTrigger.Kind.WAIT, at(NIGHTLY, acted, null, "2026-01-11T01:40:00Z").kind(),
                "the same time never starts a second run");
    }

    @Test
    void aTimeMissedByMoreThanTheStartingDeadlineIsSkippedAndRecorded() {
        // a run was still going at 01:00 UTC and ended at 02:30: an hour's deadline is past
        RunTrigger late = at(NIGHTLY, new FleetScheduleStatus("2026-01-10T01:00:00Z", null, null), null,
                "2026-01-11T02:30:00Z");
        assertEquals(RunTrigger.Kind.MISSED, late.kind());
        FleetScheduleStatus acted = late.acted(FleetScheduleStatus.NONE);
        assertEquals("2026-01-11T01:00:00Z", acted.lastMissed());
        assertEquals(RunTrigger.Kind.WAIT, at(NIGHTLY, acted, null, "2026-01-11T02:31:00Z").kind());

        RunTrigger withinDeadline = at(NIGHTLY, new FleetScheduleStatus("2026-01-10T01:00:00Z", null, null), null,
                "2026-01-11T01:50:00Z");
        assertEquals(RunTrigger.Kind.RUN_SCHEDULED, withinDeadline.kind(), "a run that ends late starts the missed one");

        FleetSchedule noDeadline = new FleetSchedule("0 2 * * *", "Europe/Paris", null, null);
        assertEquals(RunTrigger.Kind.RUN_SCHEDULED, at(noDeadline, FleetScheduleStatus.NONE, null,
                "2026-01-11T09:00:00Z").kind(), "without a deadline a missed time runs however late");
    }

    @Test
    void timesBeforeTheTestWasCreatedAreNotOwedARun() {
        assertEquals(RunTrigger.Kind.WAIT, at(NIGHTLY, FleetScheduleStatus.NONE, null, "2026-01-10T12:00:30Z").kind());
    }

    @Test
    void suspendStopsScheduledRunsButRunNowStillRunsOnceByValue() {
        FleetSchedule suspended = new FleetSchedule("* * * * *", null, true, null);
        RunTrigger paused = at(suspended, FleetScheduleStatus.NONE, null, "2026-01-11T01:00:20Z");
        assertEquals(RunTrigger.Kind.WAIT, paused.kind());
        assertNull(paused.nextRun());

        RunTrigger now = at(suspended, FleetScheduleStatus.NONE, "try-1", "2026-01-11T01:00:20Z");
        assertEquals(RunTrigger.Kind.RUN_NOW, now.kind());
        FleetScheduleStatus acted = now.acted(FleetScheduleStatus.NONE);
        assertEquals("try-1", acted.runNowHandled());
        assertEquals(RunTrigger.Kind.WAIT, at(suspended, acted, "try-1", "2026-01-11T01:05:00Z").kind());
        assertEquals(RunTrigger.Kind.RUN_NOW, at(suspended, acted, "try-2", "2026-01-11T01:05:00Z").kind());
        assertEquals(RunTrigger.Kind.RUN_NOW, at(null, FleetScheduleStatus.NONE, "x", "2026-01-11T01:05:00Z").kind(),
                "a fleet test without a schedule runs again on run-now");
        assertEquals(RunTrigger.Kind.NONE, at(null, FleetScheduleStatus.NONE, null, "2026-01-11T01:05:00Z").kind());
    }

    @Test
    void everyMinuteRunsAtTheMinute() {
        FleetSchedule minutely = new FleetSchedule("* * * * *", null, null, 20L);
        RunTrigger due = at(minutely, new FleetScheduleStatus("2026-01-11T01:04:00Z", null, null), null,
                "2026-01-11T01:05:00Z");
        assertEquals(RunTrigger.Kind.RUN_SCHEDULED, due.kind());
        assertEquals(Instant.parse("2026-01-11T01:05:00Z"), due.scheduledTime());
        assertEquals(Instant.parse("2026-01-11T01:06:00Z"), due.nextRun());
    }

    @Test
    void aBadExpressionOrTimeZoneIsNamed() {
        RunTrigger bad = at(new FleetSchedule("61 * * * *", null, null, null), FleetScheduleStatus.NONE, null,
                "2026-01-11T01:05:00Z");
        assertEquals(RunTrigger.Kind.INVALID, bad.kind());
        assertTrue(bad.problem().startsWith("spec.schedule.cron: \"61 * * * *\""), bad.problem());
        RunTrigger zone = at(new FleetSchedule("0 2 * * *", "Mars/Olympus", null, null), FleetScheduleStatus.NONE, null,
                "2026-01-11T01:05:00Z");
        assertTrue(zone.problem().startsWith("spec.schedule.timeZone: \"Mars/Olympus\""), zone.problem());
    }
}
