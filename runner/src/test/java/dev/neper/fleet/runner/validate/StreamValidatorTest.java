package dev.neper.fleet.runner.validate;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Tag("unit")
class StreamValidatorTest {
    private final Arena arena = Arena.ofAuto();

    @Test
    void patternIsOneTo111() {
        assertEquals(1, ValidationPattern.byteAt(0));
        assertEquals(111, ValidationPattern.byteAt(110));
        assertEquals(1, ValidationPattern.byteAt(111));
        assertEquals((byte) ((4096 % 111) + 1), ValidationPattern.byteAt(4096));
        MemorySegment s = arena.allocate(1000);
        ValidationPattern.fill(s, 5000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(ValidationPattern.byteAt(5000 + i), s.get(ValueLayout.JAVA_BYTE, i));
        }
    }

    @Test
    void correctStreamInUnevenPiecesHasNoMismatch() {
        MemorySegment data = arena.allocate(3 * ValidationPattern.SPAN + 12345);
        ValidationPattern.fill(data, 0);
        StreamValidator v = new StreamValidator("1/0");
        long at = 0;
        for (long piece : new long[] {1, 110, 4096, ValidationPattern.SPAN + 7, 2 * ValidationPattern.SPAN}) {
            v.check(data, at, piece);
            at += piece;
        }
        v.check(data, at, data.byteSize() - at);
        assertEquals(data.byteSize(), v.validatedBytes());
        assertEquals(0, v.mismatches());
        assertNull(v.firstMismatch());
    }

    @Test
    void everyMismatchIsCountedAndTheFirstIsKept() {
        MemorySegment data = arena.allocate(2 * ValidationPattern.SPAN + 500);
        ValidationPattern.fill(data, 77);
        data.set(ValueLayout.JAVA_BYTE, 10, (byte) 0);
        data.set(ValueLayout.JAVA_BYTE, 11, (byte) 0);
        data.set(ValueLayout.JAVA_BYTE, ValidationPattern.SPAN - 1, (byte) 0);
        data.set(ValueLayout.JAVA_BYTE, ValidationPattern.SPAN, (byte) 0);
        data.set(ValueLayout.JAVA_BYTE, data.byteSize() - 1, (byte) 0);
        // the data holds stream bytes from 77 on: the validator first sees the 77 before them
        StreamValidator w = new StreamValidator("0/2");
        MemorySegment head = arena.allocate(77);
        ValidationPattern.fill(head, 0);
        w.check(head, 0, 77);
        w.check(data, 0, data.byteSize());
        assertEquals(5, w.mismatches());
        assertEquals(new Mismatch("0/2", 87, Byte.toUnsignedInt(ValidationPattern.byteAt(87)), 0), w.firstMismatch());
        assertEquals(77 + data.byteSize(), w.validatedBytes());
    }

    @Test
    void aStreamShiftedByOneByteMismatchesEverywhere() {
        MemorySegment data = arena.allocate(10_000);
        ValidationPattern.fill(data, 1);
        StreamValidator v = new StreamValidator("0/0");
        v.check(data, 0, data.byteSize());
        assertEquals(10_000, v.mismatches());
        assertEquals(0, v.firstMismatch().offset());
        assertEquals(1, v.firstMismatch().expected());
        assertEquals(2, v.firstMismatch().got());
    }
}
