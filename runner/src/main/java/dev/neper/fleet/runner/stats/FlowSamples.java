package dev.neper.fleet.runner.stats;

import java.util.Arrays;

/**
 * One flow's samples of its cumulative received bytes, taken as neper's stat_event takes them: the
 * first event always, then an event once the time since the run's start passes interval*(i+1) for
 * the i-th sample, and a forced one when the flow stops. Arrays grow by doubling, so the per-recv
 * path allocates nothing in the steady state.
 */
public final class FlowSamples {
    private final int threadIndex;
    private final int flowIndex;
    private final long intervalNanos;
    private final ThreadUsage usage;
    private long[] times;
    private long[] totals;
    private int[] usageIndex;
    private int count;
    private long total;
    /** When, since the run's start, the next sample is due; the first event is always due. */
    private long nextDueNanos = Long.MIN_VALUE;

    public FlowSamples(int threadIndex, int flowIndex, long intervalNanos, int expectedSamples, ThreadUsage usage) {
        this.threadIndex = threadIndex;
        this.flowIndex = flowIndex;
        this.intervalNanos = intervalNanos;
        this.usage = usage;
        int capacity = Math.max(4, expectedSamples + 2);
        this.times = new long[capacity];
        this.totals = new long[capacity];
        this.usageIndex = new int[capacity];
    }

    /** Accounts {@code bytes} received at {@code nowNanos} and samples if one is due. */
    public void event(long bytes, long nowNanos, RunClock clock) {
        if (total == 0) {
            clock.startIfUnset(nowNanos);
        }
        total += bytes;
        // one test for the first sample and the periodic ones, so that the JIT has seen it taken (the first
        // event) and does not compile it as never taken, to deoptimize at the first periodic sample
        if (nowNanos - clock.startNanos() >= nextDueNanos) {
            add(nowNanos);
        }
    }

    /** The sample neper takes when a thread stops, whatever the interval. */
    public void finalSample(long nowNanos) {
        add(nowNanos);
    }

    private void add(long nowNanos) {
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            totals = Arrays.copyOf(totals, count * 2);
            usageIndex = Arrays.copyOf(usageIndex, count * 2);
        }
        times[count] = nowNanos;
        totals[count] = total;
        usageIndex[count] = usage.current(nowNanos);
        count++;
        nextDueNanos = intervalNanos * (count + 1);
    }

    public int threadIndex() {
        return threadIndex;
    }

    public int flowIndex() {
        return flowIndex;
    }

    public int count() {
        return count;
    }

    public long total() {
        return total;
    }

    public long time(int i) {
        return times[i];
    }

    public long totalAt(int i) {
        return totals[i];
    }

    public ThreadUsage usage() {
        return usage;
    }

    public int usageIndexAt(int i) {
        return usageIndex[i];
    }
}
