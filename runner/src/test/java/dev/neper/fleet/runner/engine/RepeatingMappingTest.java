package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.validate.ValidationPattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Send buffers as the kernel maps them: a memfd span repeated over a reserved range. */
@Tag("unit")
class RepeatingMappingTest {
    private static final long SPAN = HostFlowIoFactory.RANDOM_SPAN;

    @Test
    void aRandomSpanRepeatsToTheBuffersLastByteInTheSamePages() throws Exception {
        long size = 2 * SPAN + 12345;
        MemorySegment buffer = RepeatingMapping.map(size, SPAN, HostFlowIoFactory::fillRandom);
        try {
            assertEquals(size, buffer.byteSize());
            assertTrue(distinctSampledBytes(buffer, SPAN) > 200, "4096 samples of random bytes take most of the 256 values");
            for (long i : new long[] {0, 1, SPAN - 1, 5_000_000, size - SPAN - 1}) {
                assertEquals(buffer.get(ValueLayout.JAVA_BYTE, i), buffer.get(ValueLayout.JAVA_BYTE, i + SPAN), "offset " + i);
            }
            assertEquals(buffer.get(ValueLayout.JAVA_BYTE, (size - 1) % SPAN), buffer.get(ValueLayout.JAVA_BYTE, size - 1));
            // the repeats are the span's pages, not copies: a byte written in the span shows in every repeat
            byte changed = (byte) ~buffer.get(ValueLayout.JAVA_BYTE, 4242);
            buffer.set(ValueLayout.JAVA_BYTE, 4242, changed);
            assertEquals(changed, buffer.get(ValueLayout.JAVA_BYTE, SPAN + 4242));
            assertEquals(changed, buffer.get(ValueLayout.JAVA_BYTE, 2 * SPAN + 4242));
        } finally {
            Libc.munmap(buffer.address(), buffer.byteSize());
        }
    }

    /**
     * Its memory is the span's: the proportional set (each page's share among its mappings) grows by
     * about one span while the resident set counts every repeat. Kept to eight repeats: a child this
     * JVM starts inherits its peak resident set as its own ru_maxrss, which other tests read.
     */
    @Test
    void repeatsCostTheSpansMemoryNotTheirOwn() throws Exception {
        long size = 8 * SPAN;
        long pssBefore = rollup("Pss_Shmem");
        long rssBefore = rollup("Rss");
        MemorySegment buffer = RepeatingMapping.map(size, SPAN, HostFlowIoFactory::fillRandom);
        try {
            long residentGrowth = rollup("Rss") - rssBefore;
            long proportionalGrowth = rollup("Pss_Shmem") - pssBefore;
            assertTrue(residentGrowth >= size / 1024 * 9 / 10, "every repeat is mapped in: Rss grew by " + residentGrowth + " KiB");
            assertTrue(proportionalGrowth < 2 * SPAN / 1024, "the repeats took memory of their own: Pss_Shmem grew by "
                    + proportionalGrowth + " KiB for a span of " + SPAN / 1024 + " KiB");
        } finally {
            Libc.munmap(buffer.address(), buffer.byteSize());
        }
    }

    @Test
    void aPatternSpanOfWholePeriodsKeepsThePatternAcrossTheRepeats() throws Exception {
        long size = 3 * HostFlowIoFactory.PATTERN_SPAN + 777;
        MemorySegment buffer = RepeatingMapping.map(size, HostFlowIoFactory.PATTERN_SPAN, span -> ValidationPattern.fill(span, 0));
        try {
            for (long p : new long[] {0, 110, 111, HostFlowIoFactory.PATTERN_SPAN - 1, HostFlowIoFactory.PATTERN_SPAN,
                    2 * HostFlowIoFactory.PATTERN_SPAN + 5, size - 1}) {
                assertEquals((byte) (p % ValidationPattern.PERIOD + 1), buffer.get(ValueLayout.JAVA_BYTE, p), "position " + p);
            }
        } finally {
            Libc.munmap(buffer.address(), buffer.byteSize());
        }
    }

    @Test
    void aBufferSmallerThanTheSpanIsOneRandomSpan() throws Exception {
        MemorySegment buffer = RepeatingMapping.map(16384, SPAN, HostFlowIoFactory::fillRandom);
        try {
            long zeros = 0;
            for (long i = 0; i < buffer.byteSize(); i++) {
                zeros += buffer.get(ValueLayout.JAVA_BYTE, i) == 0 ? 1 : 0;
            }
            assertTrue(zeros < 200, "random bytes are zero about 64 times in 16384, got " + zeros);
        } finally {
            Libc.munmap(buffer.address(), buffer.byteSize());
        }
    }

    @Test
    void aSpanThatIsNotWholePagesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RepeatingMapping.map(1 << 20, 5000, span -> { }));
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
    }

    private static int distinctSampledBytes(MemorySegment buffer, long length) {
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (long i = 0; i < length; i += 4096) {
            int value = buffer.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            distinct += seen[value] ? 0 : 1;
            seen[value] = true;
        }
        return distinct;
    }

    /** A field of /proc/self/smaps_rollup, in KiB. */
    private static long rollup(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).strip().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no " + key + " in /proc/self/smaps_rollup");
    }
}
