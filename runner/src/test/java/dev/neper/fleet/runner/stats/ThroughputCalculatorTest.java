package dev.neper.fleet.runner.stats;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** neper's arithmetic on worked examples computed by hand. */
@Tag("unit")
class ThroughputCalculatorTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneFlowLinearGivesItsRateAndPerfectCorrelation() throws IOException {
        FlowSamples f = new FlowSamples(0, 0, SECOND, 4, new ThreadUsage(SECOND, CpuUsage.rusage()));
        RunClock clock = new RunClock(CpuUsage.rusage());
        // first event at t=100 s with 0 bytes, then 1,000 bytes per second for 4 s
        f.event(0, 100 * SECOND, clock);
        for (int s = 1; s <= 4; s++) {
            f.event(1000, (100 + s) * SECOND, clock);
        }
        f.finalSample((104 * SECOND) + SECOND / 2);
        ReceiveStatistics stats = ThroughputCalculator.compute(List.of(f), null);
        // samples: t=100 (0), t=102 (2000: due at 2 intervals), t=103 (3000), t=104 (4000), final t=104.5 (4000)
        assertEquals(5, stats.numSamples());
        assertEquals(4000 / 4.5, stats.bytesPerSecond(), 1e-9);
        assertEquals(104 * SECOND + SECOND / 2, stats.timeEndNanos());
        // x = 2,3,4,4.5 ; y = 2000,3000,4000,4000
        double sxy = 2 * 2000 + 3 * 3000 + 4 * 4000 + 4.5 * 4000;
        double sxx = 4 + 9 + 16 + 20.25;
        double syy = 4e6 + 9e6 + 16e6 + 16e6;
        assertEquals(sxy / Math.sqrt(sxx * syy), stats.correlationCoefficient(), 1e-12);
        assertTrue(stats.sufficient());
    }

    @Test
    void flowsMergeInTimeOrderSummingEachFlowsLatestTotal() throws IOException {
        RunClock clock = new RunClock(CpuUsage.rusage());
        FlowSamples a = new FlowSamples(0, 0, SECOND, 4, new ThreadUsage(SECOND, CpuUsage.rusage()));
        FlowSamples b = new FlowSamples(1, 0, SECOND, 4, new ThreadUsage(SECOND, CpuUsage.rusage()));
        a.event(0, 10 * SECOND, clock);          // a: t=10 0
        b.event(0, 10 * SECOND + SECOND / 2, clock); // b: t=10.5 0
        a.event(5000, 12 * SECOND, clock);       // a: t=12 5000
        b.event(3000, 13 * SECOND, clock);       // b: t=13 3000
        a.finalSample(14 * SECOND);              // a: t=14 5000
        b.finalSample(14 * SECOND + SECOND / 4); // b: t=14.25 3000
        StringWriter csv = new StringWriter();
        ReceiveStatistics stats = ThroughputCalculator.compute(List.of(a, b), csv);
        // merged totals: 10:0, 10.5:0, 12:5000, 13:8000, 14:8000, 14.25:8000
        assertEquals(6, stats.numSamples());
        assertEquals(8000 / 4.25, stats.bytesPerSecond(), 1e-9);
        String[] rows = csv.toString().split("\n");
        assertEquals(ThroughputCalculator.CSV_HEADER, rows[0]);
        assertEquals(7, rows.length);
        assertTrue(rows[1].startsWith("0,0,10.000000000,0,0.00,"), rows[1]);
        assertTrue(rows[2].startsWith("1,0,10.500000000,0,0.00,"), rows[2]);
        // the rate column is 0 while the previous merged total is 0, as in neper
        assertTrue(rows[3].startsWith("0,0,12.000000000,5000,0.00,"), rows[3]);
        assertTrue(rows[4].startsWith("1,0,13.000000000,3000,3000.00,"), rows[4]);
        assertTrue(rows[5].startsWith("0,0,14.000000000,5000,0.00,"), rows[5]);
    }

    @Test
    void fewerThanTwoSamplesIsInsufficient() throws IOException {
        FlowSamples f = new FlowSamples(0, 0, SECOND, 4, new ThreadUsage(SECOND, CpuUsage.rusage()));
        f.event(0, SECOND, new RunClock(CpuUsage.rusage()));
        ReceiveStatistics stats = ThroughputCalculator.compute(List.of(f), null);
        assertFalse(stats.sufficient());
        assertEquals(1, stats.numSamples());
    }

    @Test
    void samplesAreDueAtIntervalMultiplesOfTheRunStartNotTheFlowStart() {
        RunClock clock = new RunClock(CpuUsage.rusage());
        clock.startIfUnset(0);
        FlowSamples late = new FlowSamples(0, 1, SECOND, 4, new ThreadUsage(SECOND, CpuUsage.rusage()));
        late.event(0, SECOND / 2, clock);         // first: always
        late.event(10, SECOND + SECOND / 2, clock); // 1.5 s: not due (second sample due at 2 intervals)
        late.event(10, 2 * SECOND, clock);        // 2.0 s: due
        late.event(10, 2 * SECOND + 1, clock);    // not due until 3 s
        late.event(10, 3 * SECOND, clock);        // due
        assertEquals(3, late.count());
        assertEquals(40, late.total());
        assertEquals(2 * SECOND, late.time(1));
        assertEquals(20, late.totalAt(1));
    }

    @Test
    void csvTimesUseNepersMonotonicFormat() {
        assertEquals("891.000000005", ThroughputCalculator.monotonic(891 * SECOND + 5));
    }
}
