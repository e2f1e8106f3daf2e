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
     * How long a client runner may take beyond the duration: its connect attempts
     * ({@link #CLIENT_CONNECT_ATTEMPTS}, each up to 10 s and 1 s apart), the server's answers to its
     * hello and its done (15 s each at most), and the report.
     */
    public static final Duration CLIENT_WIND_DOWN = Duration.ofSeconds(75);

    /**
     * Control connections a client runner tries before its link fails. Clients start only once every
     * server listened (or found its link broken), so a control port that does not answer is that
     * link's server failing, not a server still starting: neper's 30 attempts would only hold the
     * pair up by half a minute per link.
     */
    public static final int CLIENT_CONNECT_ATTEMPTS = 3;

    /**
     * The server runner's own time limit (neper's --suicide-length), so a runner ends even when the
     * operator cannot stop it: the finish deadline less {@link #REPORT_MARGIN} (it counts from the
     * test's start, before any runner, and a server waits for its clients to be started), but never
     * less than the test's duration plus that margin. A server's links end on their own well before
     * it: a link whose client stalls ends the duration and 15 s after its client came, and one whose
     * client never comes once the node's other links are done.
     */
    public int serverSuicideSeconds() {
        Duration limit = finishDeadline.minus(REPORT_MARGIN);
        Duration floor = duration.plus(REPORT_MARGIN);
        return seconds(limit.compareTo(floor) < 0 ? floor : limit);
    }

    /** The client runner's own time limit: the duration and {@link #CLIENT_WIND_DOWN}, at most the server's. */
    public int clientSuicideSeconds() {
        return Math.min(serverSuicideSeconds(), seconds(duration.plus(CLIENT_WIND_DOWN)));
    }

    private static int seconds(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toSeconds());
    }
}
