package dev.neper.fleet.runner.engine;

import java.util.Locale;

/**
 * neper's --iostat-ms line: seconds since the client's threads started, then the calls and bytes of
 * the last period in each direction with their rate, e.g.
 * {@code t=1.000      TX:   8012 ops,  131268608 bytes,   1050.1 Mbps; RX:      0 ops,          0 bytes,      0.0 Mbps;}
 */
final class IoStatLine {
    private final long startNanos;
    private long previousNanos;
    private IoCounters previous = new IoCounters();

    IoStatLine(long startNanos) {
        this.startNanos = startNanos;
        this.previousNanos = startNanos;
    }

    /** The line for the period ending {@code nowNanos}, whose counters now stand at {@code totals}. */
    String next(long nowNanos, IoCounters totals) {
        double seconds = (nowNanos - previousNanos) * 1e-9;
        long txOps = totals.txOps - previous.txOps;
        long txBytes = totals.txBytes - previous.txBytes;
        long rxOps = totals.rxOps - previous.rxOps;
        long rxBytes = totals.rxBytes - previous.rxBytes;
        previous = totals;
        previousNanos = nowNanos;
        return String.format(Locale.ROOT,
                "t=%-10.3f TX: %6d ops, %10d bytes, %8.1f Mbps; RX: %6d ops, %10d bytes, %8.1f Mbps;",
                (nowNanos - startNanos) * 1e-9, txOps, txBytes, txBytes * 8e-6 / seconds, rxOps, rxBytes,
                rxBytes * 8e-6 / seconds);
    }
}
