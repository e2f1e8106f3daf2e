package dev.neper.fleet.runner.sys;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** -N's reuseport program, loaded into this kernel (its verifier accepts it) and run there (BPF_PROG_TEST_RUN). */
class ReuseportNumaProgramTest {
    private static Set<Integer> choices(int threads, int nodes) throws Exception {
        Set<Integer> chosen = new TreeSet<>();
        try (ReuseportNumaProgram program = ReuseportNumaProgram.load(threads, nodes)) {
            for (int i = 0; i < 200; i++) {
                chosen.add(program.testRun());
            }
        }
        return chosen;
    }

    /** This machine's test runs execute on node 0 (the only node, or the first): its threads are 0, N, 2N... */
    @Test
    void itPicksAmongTheThreadsOfTheSynsNode() throws Exception {
        assertEquals(Set.of(0, 2), choices(4, 2), "threads 0 and 2 run on node 0 of 2");
        assertEquals(Set.of(0, 3, 6), choices(7, 3), "threads 0, 3 and 6 run on node 0 of 3");
        assertEquals(Set.of(0, 1), choices(2, 1), "one node: every thread");
        assertEquals(Set.of(0), choices(1, 4), "one thread");
    }
}
