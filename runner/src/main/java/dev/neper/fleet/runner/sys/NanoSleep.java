package dev.neper.fleet.runner.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A worker thread's short sleeps (neper's --delay between sends) with clock_nanosleep on CLOCK_MONOTONIC. */
public final class NanoSleep implements AutoCloseable {
    private static final int CLOCK_MONOTONIC = 1;
    private static final int PR_SET_TIMERSLACK = 29;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment request = arena.allocate(16, 8);

    /**
     * Sets the calling thread's timer slack to 1 ns, as neper does when pacing sends, so a sleep of a
     * few microseconds is not stretched by the default 50 us of slack.
     */
    public static void tightenTimerSlack() throws SysCallException {
        SysCallException.check("prctl(PR_SET_TIMERSLACK)", Libc.prctl(PR_SET_TIMERSLACK, 1));
    }

    /** Sleeps for {@code nanos}, resuming after signals until the time has passed. */
    public void sleep(long nanos) {
        request.set(ValueLayout.JAVA_LONG, 0, nanos / NANOS_PER_SECOND);
        request.set(ValueLayout.JAVA_LONG, 8, nanos % NANOS_PER_SECOND);
        while (Libc.clockNanosleep(CLOCK_MONOTONIC, 0, request, request) == Errno.EINTR) {
            // request now holds what is left
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
