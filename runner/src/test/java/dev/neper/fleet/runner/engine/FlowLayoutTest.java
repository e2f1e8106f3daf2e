package dev.neper.fleet.runner.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlowLayoutTest {
    @Test
    void theFirstThreadsTakeTheRemainder() {
        // 8 flows over 3 threads: 3, 3, 2 starting at 0, 3, 6
        int[] counts = {3, 3, 2};
        int[] firsts = {0, 3, 6};
        for (int t = 0; t < 3; t++) {
            assertEquals(counts[t], FlowLayout.flowsInThread(t, 8, 3));
            assertEquals(firsts[t], FlowLayout.firstFlowOfThread(t, 8, 3));
        }
    }

    @Test
    void flowsUseTheDataPortsRoundRobin() {
        assertEquals(12867, FlowLayout.dataPort(0, 12867, 2));
        assertEquals(12868, FlowLayout.dataPort(1, 12867, 2));
        assertEquals(12867, FlowLayout.dataPort(2, 12867, 2));
    }

    @Test
    void shortTestsSampleEveryFifthOfASecond() {
        assertEquals(1.0, StreamRun.adjustedInterval(1.0, 10));
        assertEquals(1.0, StreamRun.adjustedInterval(1.0, 5));
        assertEquals(0.2, StreamRun.adjustedInterval(1.0, 4));
        assertEquals(0.2, StreamRun.adjustedInterval(0.5, 2));
    }
}
