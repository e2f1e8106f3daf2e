package dev.neper.fleet.operator.fleettest.schedule;

import dev.neper.fleet.operator.api.FleetSchedule;
import dev.neper.fleet.operator.api.FleetScheduleStatus;
import dev.neper.fleet.operator.api.NeperFleetTest;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a fleet test that is not running should start a run now, as a CronJob with concurrency
 * Forbid decides: the latest scheduled time since the last one acted on (or since the test was created)
 * starts a run, unless it is older than the starting deadline (then it is skipped, and recorded as
 * missed); a new value of the run-now annotation starts one at once. A pure function of the test and
 * the time: the reconciler asks it only between runs, so runs never overlap.
 *
 * @param kind          what to do
 * @param scheduledTime the schedule's time a run starts for, or that was missed
 * @param runNow        the run-now value acted on (for RUN_NOW)
 * @param nextRun       the schedule's next time after now (null: none, or suspended)
 * @param problem       why the schedule does not read (kind INVALID)
 */
public record RunTrigger(Kind kind, Instant scheduledTime, String runNow, Instant nextRun, String problem) {

    public enum Kind {
        /** No schedule and no run-now: a fleet test runs once. */
        NONE,
        /** Scheduled, but not yet time (or suspended). */
        WAIT,
        /** A scheduled time has come. */
        RUN_SCHEDULED,
        /** The run-now annotation has a new value. */
        RUN_NOW,
        /** A scheduled time came and went past the starting deadline: skipped. */
        MISSED,
        /** spec.schedule does not read. */
        INVALID
    }

    public boolean runs() {
        return kind == Kind.RUN_SCHEDULED || kind == Kind.RUN_NOW;
    }

    public static RunTrigger decide(NeperFleetTest fleet, Instant now) {
        FleetSchedule schedule = fleet.getSpec() == null ? null : fleet.getSpec().schedule();
        FleetScheduleStatus state = fleet.getStatus() == null ? FleetScheduleStatus.NONE : fleet.getStatus().scheduleOrNone();
        Map<String, String> annotations = fleet.getMetadata().getAnnotations();
        String runNow = annotations == null ? null : annotations.get(FleetSchedule.RUN_NOW);
        String created = fleet.getMetadata().getCreationTimestamp();
        return decide(schedule, state, runNow, created == null ? now : Instant.parse(created), now);
    }

    /**
     * @param created when the fleet test was created: the schedule's times before it are not owed a run
     */
    public static RunTrigger decide(FleetSchedule schedule, FleetScheduleStatus state, String runNowValue, Instant created,
                                    Instant now) {
        CronSchedule cron = null;
        if (schedule != null) {
            try {
                cron = CronSchedule.of(schedule);
            } catch (IllegalArgumentException e) {
                return new RunTrigger(Kind.INVALID, null, null, null, e.getMessage());
            }
        }
        Instant next = cron == null || schedule.suspended() ? null : cron.next(now).orElse(null);
        if (runNowValue != null && !runNowValue.equals(state.runNowHandled())) {
            return new RunTrigger(Kind.RUN_NOW, null, runNowValue, next, null);
        }
        if (cron == null) {
            return new RunTrigger(Kind.NONE, null, null, null, null);
        }
        if (schedule.suspended()) {
            return new RunTrigger(Kind.WAIT, null, null, null, null);
        }
        Instant since = state.lastScheduleTime() == null ? created : later(created, Instant.parse(state.lastScheduleTime()));
        Optional<Instant> latest = cron.latest(now).filter(t -> t.isAfter(since));
        if (latest.isEmpty()) {
            return new RunTrigger(Kind.WAIT, null, null, next, null);
        }
        Long deadline = schedule.startingDeadlineSeconds();
        if (deadline != null && Duration.between(latest.get(), now).compareTo(Duration.ofSeconds(deadline)) > 0) {
            return new RunTrigger(Kind.MISSED, latest.get(), null, next, null);
        }
        return new RunTrigger(Kind.RUN_SCHEDULED, latest.get(), null, next, null);
    }

    /** The schedule's state once this trigger is acted on. */
    public FleetScheduleStatus acted(FleetScheduleStatus state) {
        return switch (kind) {
            case RUN_NOW -> new FleetScheduleStatus(state.lastScheduleTime(), runNow, state.lastMissed());
            case RUN_SCHEDULED -> new FleetScheduleStatus(scheduledTime.toString(), state.runNowHandled(), state.lastMissed());
            case MISSED -> new FleetScheduleStatus(scheduledTime.toString(), state.runNowHandled(), scheduledTime.toString());
            case NONE, WAIT, INVALID -> state;
        };
    }

    public String nextRunTime() {
        return nextRun == null ? null : nextRun.toString();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
