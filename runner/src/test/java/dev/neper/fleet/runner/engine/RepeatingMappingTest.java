package dev.neper.fleet.runner.engine;

import dev.neper.fleet.runner.sys.Libc;
import dev.neper.fleet.runner.validate.ValidationPattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Send buffers as the kernel maps them: a memfd span repeated over a reserved range. */
@Tag("unit")
class RepeatingMappingTest {
    private static final long SPAN = HostFlowIoFactory.RANDOM_SPAN;
    private static final Pattern MAPPING = Pattern.compile("([0-9a-f]+)-([0-9a-f]+) ");

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
     * Its memory is the span's: over the buffer's own mappings (smaps), the proportional set (each
     * page's share among its mappings) is about one span while the resident set counts every repeat.
     * Kept to eight repeats: a child this JVM starts inherits its peak resident set as its own
     * ru_maxrss, which other tests read.
     */
    @Test
    void repeatsCostTheSpansMemoryNotTheirOwn() throws Exception {
        long size = 8 * SPAN;
        MemorySegment buffer = RepeatingMapping.map(size, SPAN, HostFlowIoFactory::fillRandom);
        try {
            long[] residentAndProportional = smapsWithin(buffer.address(), buffer.address() + size);
            assertTrue(residentAndProportional[0] >= size / 1024, "every repeat is mapped in: Rss "
                    + residentAndProportional[0] + " KiB of " + size / 1024);
            assertTrue(residentAndProportional[1] <= SPAN / 1024 + 64, "the repeats took memory of their own: Pss "
                    + residentAndProportional[1] + " KiB for a span of " + SPAN / 1024 + " KiB");
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

    /** Rss and Pss in KiB, summed over this process's mappings that lie in [from, to) (/proc/self/smaps). */
    private static long[] smapsWithin(long from, long to) throws Exception {
        long[] sums = new long[2];
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            Matcher range = MAPPING.matcher(line);
            if (range.lookingAt()) {
                long start = Long.parseUnsignedLong(range.group(1), 16);
                long end = Long.parseUnsignedLong(range.group(2), 16);
                inside = start >= from && end <= to;
            } else if (inside && line.startsWith("Rss:")) {
                sums[0] += kib(line);
            } else if (inside && line.startsWith("Pss:")) {
                sums[1] += kib(line);
            }
        }
        return sums;
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip().split("\\s+")[0]);
    }
}
