package dev.neper.fleet.runner.stats;

import dev.neper.fleet.runner.sys.Rusage;

import java.util.ArrayList;
import java.util.List;

/**
 * One worker thread's RUSAGE_THREAD readings, refreshed at most once per interval as neper does, so
 * that a sample costs a getrusage call only once per interval however many flows the thread has.
 */
public final class ThreadUsage {
    private final long intervalNanos;
    private final CpuUsage source;
    private final List<Rusage> readings = new ArrayList<>();
    private long lastReadingNanos = Long.MIN_VALUE;

    public ThreadUsage(long intervalNanos, CpuUsage source) {
        this.intervalNanos = intervalNanos;
        this.source = source;
    }

    /** The index of the reading current at {@code nowNanos}, taking a new one if the last is an interval old. */
    public int current(long nowNanos) {
        if (readings.isEmpty() || nowNanos - lastReadingNanos >= intervalNanos) {
            readings.add(source.thread());
            lastReadingNanos = nowNanos;
        }
        return readings.size() - 1;
    }

    public Rusage reading(int index) {
        return readings.get(index);
    }
}
