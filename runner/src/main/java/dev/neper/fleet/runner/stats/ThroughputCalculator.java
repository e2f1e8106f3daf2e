package dev.neper.fleet.runner.stats;

import dev.neper.fleet.runner.sys.Rusage;

import java.io.IOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * neper's throughput arithmetic. The samples of all flows are merged in time order; the running
 * total after each sample is the sum of every flow's latest cumulative bytes. With (t0, v0) the first
 * merged point and (tN, vN) the last: throughput = (vN - v0) / (tN - t0) bytes/s, and the correlation
 * coefficient is sum(xy) / sqrt(sum(x^2) sum(y^2)) over x = t - t0, y = v - v0 (uncentred).
 */
public final class ThroughputCalculator {
    /** neper's --all-samples CSV header for stream tests. */
    public static final String CSV_HEADER =
            "tid,flow_id,time,bytes_read,bytes_read/s,utime,stime,maxrss,minflt,majflt,nvcsw,nivcsw";

    private ThroughputCalculator() {
    }

    private record Cursor(int slot, FlowSamples flow, int index) {
        long time() {
            return flow.time(index);
        }
    }

    /** Merges the samples; when {@code csv} is not null, writes one CSV row per merged sample. */
    public static ReceiveStatistics compute(List<FlowSamples> flows, Writer csv) throws IOException {
        int numSamples = flows.stream().mapToInt(FlowSamples::count).sum();
        if (csv != null) {
            csv.write(CSV_HEADER + "\n");
        }
        if (numSamples < 2) {
            return new ReceiveStatistics(numSamples, 0, Double.NaN, 0, 0, false);
        }
        PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator.comparingLong(Cursor::time));
        long[] lastSeen = new long[flows.size()];
        for (int slot = 0; slot < flows.size(); slot++) {
            if (flows.get(slot).count() > 0) {
                queue.add(new Cursor(slot, flows.get(slot), 0));
            }
        }
        long currentTotal = 0;
        long previousTotal = 0;
        long previousTime = 0;
        long t0 = 0;
        long v0 = 0;
        long tN = 0;
        long vN = 0;
        boolean first = true;
        double sumXX = 0;
        double sumXY = 0;
        double sumYY = 0;
        while (!queue.isEmpty()) {
            Cursor c = queue.poll();
            FlowSamples f = c.flow();
            long value = f.totalAt(c.index());
            currentTotal += value - lastSeen[c.slot()];
            lastSeen[c.slot()] = value;
            long time = c.time();
            if (csv != null) {
                double rate = 0;
                if (previousTotal != 0 && time != previousTime) {
                    rate = (currentTotal - previousTotal) / ((time - previousTime) * 1e-9);
                }
                writeRow(csv, f, c.index(), time, value, rate);
                previousTotal = currentTotal;
                previousTime = time;
            }
            if (first) {
                t0 = time;
                v0 = currentTotal;
                first = false;
            } else {
                tN = time;
                vN = currentTotal;
                double x = (tN - t0) * 1e-9;
                double y = vN - v0;
                sumXX += x * x;
                sumXY += x * y;
                sumYY += y * y;
            }
            if (c.index() + 1 < f.count()) {
                queue.add(new Cursor(c.slot(), f, c.index() + 1));
            }
        }
        double seconds = (tN - t0) * 1e-9;
        double bytesPerSecond = (vN - v0) / seconds;
        return new ReceiveStatistics(numSamples, tN, sumXY / Math.sqrt(sumXX * sumYY), bytesPerSecond, vN - v0, true);
    }

    private static void writeRow(Writer csv, FlowSamples f, int i, long time, long value, double rate)
            throws IOException {
        Rusage u = f.usage().reading(f.usageIndexAt(i));
        csv.write(String.format(Locale.ROOT, "%d,%d,%s,%d,%.2f,%s,%s,%d,%d,%d,%d,%d%n", f.threadIndex(),
                f.flowIndex(), monotonic(time), value, rate, Rusage.seconds(u.utimeMicros()),
                Rusage.seconds(u.stimeMicros()), u.maxrss(), u.minflt(), u.majflt(), u.nvcsw(), u.nivcsw()));
    }

    /** neper's "%ld.%09ld" rendering of a CLOCK_MONOTONIC time. */
    public static String monotonic(long nanos) {
        return String.format(Locale.ROOT, "%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
