package dev.neper.fleet.runner.stats;

import dev.neper.fleet.runner.sys.Libc;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuUsageTest {
    @Test
    void systemTimeIsSystemPlusIrqPlusSoftirqOfTheAggregateLine() throws Exception {
        Path stat = Files.createTempFile("stat", "");
        try {
            Files.writeString(stat, "cpu  10 20 30 40 50 60 70 80 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
            long hz = Libc.sysconf(2);
            assertEquals((30 + 60 + 70) * 1_000_000L / hz, CpuUsage.systemMicros(stat));
            Files.writeString(stat, "intr 1 2 3\n");
            assertThrows(IllegalStateException.class, () -> CpuUsage.systemMicros(stat));
        } finally {
            Files.deleteIfExists(stat);
        }
    }

    @Test
    void theRealProcStatGrowsAndThreadsShareIt() {
        CpuUsage usage = CpuUsage.procStat(4);
        assertTrue(usage.self().stimeMicros() >= 0);
        assertTrue(usage.thread().stimeMicros() <= usage.self().stimeMicros());
        assertTrue(CpuUsage.rusage().self().utimeMicros() > 0, "this JVM has run");
    }
}
