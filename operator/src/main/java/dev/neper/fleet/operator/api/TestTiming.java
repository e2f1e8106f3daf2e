package dev.neper.fleet.operator.api;

import java.time.Duration;

/** The spec's times as durations, defaults applied. */
public record TestTiming(Duration duration, Duration startDeadline, Duration finishDeadline) {
    /** Slack for the server's last sample and the runners' reports after the clients stop sending. */
    public static final Duration WIND_DOWN = Duration.ofMinutes(2);

    public static TestTiming of(NeperTestSpec spec) {
        Duration duration = Durations.parse(spec.durationText());
        Deadlines deadlines = spec.deadlinesOrDefault();
        Duration start = Durations.parse(deadlines.startText());
        Duration finish = deadlines.finish() != null
                ? Durations.parse(deadlines.finish())
                : start.multipliedBy(2).plus(duration).plus(WIND_DOWN);
        return new TestTiming(duration, start, finish);
    }

    /** How long before the finish deadline a runner gives up, so its report arrives while the test still waits. */
    public static final Duration REPORT_MARGIN = Duration.ofSeconds(10);

    /**
     * The runners' own time limit (neper's --suicide-length), so a runner ends even when the operator
     * cannot stop it, and a link stuck waiting for its peer ends with a report: the finish deadline
     * less {@link #REPORT_MARGIN} (it counts from the test's start, before any runner), but never
     * less than the test's duration plus that margin.
     */
    public int runnerSuicideSeconds() {
        Duration limit = finishDeadline.minus(REPORT_MARGIN);
        Duration floor = duration.plus(REPORT_MARGIN);
        return (int) Math.min(Integer.MAX_VALUE, (limit.compareTo(floor) < 0 ? floor : limit).toSeconds());
    }
}
