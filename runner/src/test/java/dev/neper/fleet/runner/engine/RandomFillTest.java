package dev.neper.fleet.runner.engine;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class RandomFillTest {
    private static final long SPAN = 16L << 20;

    @Test
    void theFirstSixteenMibAreRandomAndRepeatToTheBuffersLastByte() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            long size = 2 * SPAN + 12345;
            MemorySegment buffer = arena.allocate(size, 4096);
            HostFlowIoFactory.fillRandom(buffer);
            int[] counts = new int[256];
            for (long i = 0; i < SPAN; i += 4096) {
                counts[buffer.get(ValueLayout.JAVA_BYTE, i) & 0xff]++;
            }
            int distinct = 0;
            for (int count : counts) {
                distinct += count > 0 ? 1 : 0;
            }
            assertTrue(distinct > 200, "4096 samples of random bytes take most of the 256 values, got " + distinct);
            for (long i : new long[] {0, 1, SPAN - 1, 5_000_000, size - SPAN - 1}) {
                assertEquals(buffer.get(ValueLayout.JAVA_BYTE, i), buffer.get(ValueLayout.JAVA_BYTE, i + SPAN), "offset " + i);
            }
            assertEquals(buffer.get(ValueLayout.JAVA_BYTE, (size - 1) % SPAN), buffer.get(ValueLayout.JAVA_BYTE, size - 1));
        }
    }

    @Test
    void aBufferSmallerThanTheSpanIsAllRandom() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16384, 4096);
            HostFlowIoFactory.fillRandom(buffer);
            long zeros = 0;
            for (long i = 0; i < buffer.byteSize(); i++) {
                zeros += buffer.get(ValueLayout.JAVA_BYTE, i) == 0 ? 1 : 0;
            }
            assertTrue(zeros < 200, "random bytes are zero about 64 times in 16384, got " + zeros);
        }
    }
}
