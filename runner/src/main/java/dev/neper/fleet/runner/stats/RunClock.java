package dev.neper.fleet.runner.stats;

import dev.neper.fleet.runner.sys.Rusage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's shared start: the CLOCK_MONOTONIC time (System.nanoTime on Linux) of the first data
 * event of any flow, and the process rusage taken at that moment, as neper's thread_time_start sets
 * them. Samples are due at multiples of the interval since this start.
 */
public final class RunClock {
    private static final long UNSET = Long.MIN_VALUE;

    private final AtomicLong startNanos = new AtomicLong(UNSET);
    private final CpuUsage cpuUsage;
    private volatile Rusage startUsage = Rusage.ZERO;

    public RunClock(CpuUsage cpuUsage) {
        this.cpuUsage = cpuUsage;
    }

    /** Sets the start if no flow has set it yet. */
    public void startIfUnset(long nowNanos) {
        if (startNanos.get() == UNSET && startNanos.compareAndSet(UNSET, nowNanos)) {
            startUsage = cpuUsage.self();
        }
    }

    public boolean started() {
        return startNanos.get() != UNSET;
    }

    /** The start, or 0 when no flow ever saw an event (neper then prints time_start=0.000000000). */
    public long startNanos() {
        long start = startNanos.get();
        return start == UNSET ? 0 : start;
    }

    public Rusage startUsage() {
        return startUsage;
    }

    /** The usage at the start, taken now if no flow has started (as neper's main thread does before waiting). */
    public void takeStartUsageIfUnstarted() {
        if (!started()) {
            startUsage = cpuUsage.self();
        }
    }
}
