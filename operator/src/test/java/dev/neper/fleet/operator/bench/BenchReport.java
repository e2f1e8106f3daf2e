package dev.neper.fleet.operator.bench;

import java.lang.management.MemoryMXBean;
import java.util.Locale;

/** What the operator's benchmarks print and measure alike: heap after a GC, seconds between two nano times, report lines. */
final class BenchReport {
    private BenchReport() {
    }

    static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    static void report(String format, Object... args) {
        System.out.println("  " + String.format(Locale.ROOT, format, args));
    }
}
